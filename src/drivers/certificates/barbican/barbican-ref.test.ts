import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseBarbicanRef, refUrl, versionedBase } from './barbican-ref.js'
import { catalogUrl, type CatalogEndpoint } from './keystone-session.js'

const ID = '0f3c1a52-9a5e-4a1b-8d55-1c2b3a4d5e6f'

describe('parseBarbicanRef', () => {
  it('when the ref is a secret or container href on any host or prefix, then kind and UUID come out', () => {
    assert.deepEqual(parseBarbicanRef(`https://kms.example.com:9311/v1/secrets/${ID}`), { kind: 'secrets', id: ID })
    assert.deepEqual(parseBarbicanRef(`http://10.0.0.1/key-manager/v1/containers/${ID.toUpperCase()}/`), { kind: 'containers', id: ID })
  })

  it('when the ref is no secret or container href, then it is null', () => {
    for (const ref of ['', 'not-a-ref', `http://x/v1/orders/${ID}`, `http://x/v1/secrets/${ID}/payload`, `http://x/v1/secrets/123`]) assert.equal(parseBarbicanRef(ref), null, ref)
  })

  it('when the catalog URL has no version, then /v1 is appended once', () => {
    assert.equal(versionedBase('http://h:9311'), 'http://h:9311/v1')
    assert.equal(versionedBase('http://h:9311/v1/'), 'http://h:9311/v1')
    assert.equal(refUrl('http://h/v1', { kind: 'secrets', id: ID }), `http://h/v1/secrets/${ID}`)
  })
})

describe('catalogUrl', () => {
  const endpoints: CatalogEndpoint[] = [
    { interface: 'public', region: 'RegionOne', url: 'http://public-one' },
    { interface: 'internal', region: 'RegionOne', url: 'http://internal-one' },
    { interface: 'public', region: 'RegionTwo', url: 'http://public-two' },
  ]
  const catalog = new Map([['key-manager', endpoints]])

  it('when endpoint_type and region_name are set, then the matching endpoint is chosen (publicURL means public)', () => {
    assert.equal(catalogUrl(catalog, 'key-manager', 'publicURL', 'RegionTwo'), 'http://public-two')
    assert.equal(catalogUrl(catalog, 'key-manager', 'internal', ''), 'http://internal-one')
    assert.equal(catalogUrl(catalog, 'key-manager', 'admin', ''), null)
    assert.equal(catalogUrl(catalog, 'load-balancer', 'public', ''), null)
  })
})
