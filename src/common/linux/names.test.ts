import assert from 'node:assert/strict'
import { test } from 'node:test'
import { namespaceAlias, ownerKey, parseAlias, vethAlias } from './names.js'

test('when a namespace alias is written, then it parses back to its amphora and owner and fits an interface alias', () => {
  const owner = ownerKey('/var/lib/octavia-ts/amphorae')
  assert.match(owner, /^[0-9a-f]{16}$/)
  assert.equal(ownerKey('/var/lib/octavia-ts/amphorae'), owner, 'stable')
  assert.notEqual(ownerKey('/var/lib/octavia-ts-2/amphorae'), owner)
  const amp = '0f6b6a52-3c1e-4d7e-9a52-7e2d1a0c9b11'
  const alias = namespaceAlias(amp, owner)
  assert.deepEqual(parseAlias(alias), { amphoraId: amp, owner })
  assert.ok(alias.length < 256, 'IFALIASZ')
  assert.deepEqual(parseAlias(vethAlias(amp, 'net-1')), { amphoraId: amp, networkId: 'net-1' }, 'older aliases parse as before')
  assert.equal(parseAlias('amp-somebody-else'), null)
})
