import { test } from 'node:test'
import assert from 'node:assert/strict'
import { macAddressOf, stableId, uuidV5 } from './stable-id.js'

test('when a UUIDv5 is derived, then it matches RFC 4122 (Python uuid.uuid5)', () => {
  // uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
  assert.equal(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org'), '886313e1-3b8a-5372-9b90-0c9aee199e5d')
})

test('when the same name is given twice, then the same id comes back, and kinds do not collide', () => {
  assert.equal(stableId('network', 'public'), stableId('network', 'public'))
  assert.notEqual(stableId('network', 'public'), stableId('subnet', 'public'))
  assert.match(macAddressOf('x'), /^fa:16:3e(:[0-9a-f]{2}){3}$/)
})
