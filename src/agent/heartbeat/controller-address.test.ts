import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseControllerAddress } from './controller-address.js'

describe('controller address', () => {
  it('when an entry is ip:port, then it splits at the last colon, with or without brackets around IPv6', () => {
    assert.deepEqual(parseControllerAddress('127.0.0.1:5555'), { host: '127.0.0.1', port: 5555 })
    assert.deepEqual(parseControllerAddress('[::1]:5555'), { host: '::1', port: 5555 })
    assert.deepEqual(parseControllerAddress('::1:5555'), { host: '::1', port: 5555 })
    assert.deepEqual(parseControllerAddress(' [fd00:213::5]:6000 '), { host: 'fd00:213::5', port: 6000 })
    assert.deepEqual(parseControllerAddress('hm.example.org:5555'), { host: 'hm.example.org', port: 5555 })
  })

  it('when an entry has no usable port or host, then it throws naming the entry', () => {
    for (const bad of ['127.0.0.1', '127.0.0.1:', ':5555', '127.0.0.1:0', '127.0.0.1:70000', '127.0.0.1:55x', '[::1]', 'fd00::zz:5555', 'bad host:5555']) {
      assert.throws(() => parseControllerAddress(bad), (err: Error) => err.message.includes(`'${bad}'`), bad)
    }
  })
})
