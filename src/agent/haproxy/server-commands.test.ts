import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { commandVerdict, serverCommands } from './server-commands.js'

describe('server commands', () => {
  it('when a change sets address, weight and state, then the commands come in that order', () => {
    assert.deepEqual(serverCommands({ backend: 'p:l', server: 'm', address: '10.0.0.2', port: 81, weight: 5, state: 'drain' }), [
      'set server p:l/m addr 10.0.0.2 port 81', 'set server p:l/m weight 5', 'set server p:l/m state drain',
    ])
  })

  it('when a server is added or deleted, then it is created, checked and enabled, or disabled, cut off and removed', () => {
    assert.deepEqual(serverCommands({ op: 'add', backend: 'p:l', server: 'm', address: '10.0.0.2', port: 81, keywords: ['weight', '3', 'check', 'inter', '5s'] }), [
      'add server p:l/m 10.0.0.2:81 weight 3 check inter 5s', 'enable health p:l/m', 'enable server p:l/m',
    ])
    assert.deepEqual(serverCommands({ op: 'add', backend: 'p:l', server: 'm', address: 'fd00::2', port: 81, keywords: ['weight', '1'], state: 'maint' }), [
      'add server p:l/m [fd00::2]:81 weight 1',
    ])
    assert.deepEqual(serverCommands({ op: 'delete', backend: 'p:l', server: 'm' }), [
      'disable server p:l/m', 'del server p:l/m',
    ])
    assert.throws(() => serverCommands({ op: 'add', backend: 'p', server: 'm', address: '10.0.0.2', port: 81, keywords: ['weight', '1;', 'shutdown'] }), /invalid server keyword/)
    assert.throws(() => serverCommands({ op: 'add', backend: 'p', server: 'm', address: '10.0.0.2', port: 81, keywords: ['weight 1'] }), /invalid server keyword/)
    assert.throws(() => serverCommands({ op: 'add', backend: 'p', server: 'm', address: 'x', port: 81 }), /IP address/)
    assert.throws(() => serverCommands({ op: 'add', backend: 'p', server: 'm', address: '10.0.0.2' }), /invalid port/)
    assert.deepEqual(['New server registered.\n', 'Server deleted.\n'].map(commandVerdict), ['ok', 'ok'])
    assert.equal(commandVerdict(`'cookie' option is not accepted for dynamic server\n`), 'refused')
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
