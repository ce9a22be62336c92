import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { commandVerdict, serverCommands } from './server-commands.js'

describe('server commands', () => {
  it('when a change sets address, weight and state, then the commands come in that order', () => {
    assert.deepEqual(serverCommands({ backend: 'p:l', server: 'm', address: '10.0.0.2', port: 81, weight: 5, state: 'drain' }), [
      'set server p:l/m addr 10.0.0.2 port 81', 'set server p:l/m weight 5', 'set server p:l/m state drain',
    ])
  })

  it('when a name could inject a second command or a value is out of range, then the change is refused', () => {
    assert.throws(() => serverCommands({ backend: 'p;shutdown sessions', server: 'm', weight: 1 }), /invalid backend/)
    assert.throws(() => serverCommands({ backend: 'p', server: 'm x', weight: 1 }), /invalid server/)
    assert.throws(() => serverCommands({ backend: 'p', server: 'm', weight: 257 }), /invalid weight/)
    assert.throws(() => serverCommands({ backend: 'p', server: 'm', address: 'example.com' }), /not an IP/)
    assert.throws(() => serverCommands({ backend: 'p', server: 'm', port: 80 }), /needs the address/)
    assert.throws(() => serverCommands({ backend: 'p', server: 'm' }), /nothing to change/)
  })

  it('when HAProxy answers, then success, unknown names and refusals are told apart', () => {
    assert.equal(commandVerdict('\n'), 'ok')
    assert.equal(commandVerdict("IP changed from '127.0.0.1' to '127.0.0.2' by 'stats socket command'\n"), 'ok')
    assert.equal(commandVerdict("no need to change the addr by 'stats socket command'\n"), 'ok')
    assert.equal(commandVerdict('No such server.\n'), 'not-found')
    assert.equal(commandVerdict('No such backend.\n'), 'not-found')
    assert.equal(commandVerdict("Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.\n"), 'refused')
  })
})
