import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'

for (const dialect of testDialects) {
  describe(`api core (${dialect})`, () => {
    let h: Harness
    before(async () => { h = await startHarness(dialect) })
    after(async () => { await h.close() })

    const raw = (method: string, url: string, payload?: string, headers: Record<string, string> = {}) =>
      h.app.inject({ method: method as 'GET', url, payload, headers })

    describe('version discovery', () => {
      it('when GET /, then every version v2.0 … v2.30 links to <request url>/v2 and only v2.30 is CURRENT', async () => {
        const r = await h.request('GET', '/')
        assert.equal(r.status, 200)
        const versions = r.body.versions as { id: string; status: string; updated: string; links: { href: string; rel: string }[] }[]
        assert.equal(versions.length, 31)
        assert.deepEqual(versions.map(v => v.id), Array.from({ length: 31 }, (_, i) => `v2.${i}`))
        assert.deepEqual(versions[0], {
          id: 'v2.0', status: 'SUPPORTED', updated: '2016-12-11T00:00:00Z',
          links: [{ href: 'http://localhost:80/v2', rel: 'self' }],
        })
        assert.deepEqual(versions[30], {
          id: 'v2.30', status: 'CURRENT', updated: '2025-02-26T00:00:00Z',
          links: [{ href: 'http://localhost:80/v2', rel: 'self' }],
        })
        assert.equal(versions.filter(v => v.status === 'CURRENT').length, 1)
        assert.equal(versions[5].updated, '2019-01-21T00:00:00Z')
      })

      it('when GET /v2, /v2.0, /v2/lbaas or /v2.0/lbaas, then the answer is the JSON string "v2"', async () => {
        for (const url of ['/v2', '/v2.0', '/v2/', '/v2/lbaas', '/v2.0/lbaas', '/v2/octavia']) {
          const r = await raw('GET', url)
          assert.equal(r.statusCode, 200, url)
          assert.equal(r.body, '"v2"', url)
          assert.match(String(r.headers['content-type']), /^application\/json/)
        }
      })
    })

    describe('paths', () => {
      it('when a path uses /v2.0 or ends in .json, then it is the same resource as under /v2', async () => {
        const a = await h.request('GET', '/v2/lbaas/loadbalancers')
        const b = await h.request('GET', '/v2.0/lbaas/loadbalancers')
        const c = await h.request('GET', '/v2.0/lbaas/loadbalancers.json')
        const d = await h.request('GET', '/v2/lbaas/providers.json')
        assert.equal(a.status, 200)
        assert.deepEqual(b.body, a.body)
        assert.deepEqual(c.body, a.body)
        assert.equal(d.status, 200)
        assert.ok(Array.isArray(d.body.providers))
      })

      it('when a path is unknown, then the answer is a 404 fault', async () => {
        const r = await h.request('GET', '/v2/lbaas/nothing-here')
        assert.equal(r.status, 404)
        assert.equal(r.body.faultcode, 'Client')
        assert.equal(r.body.debuginfo, null)
      })
    })

    describe('request ids', () => {
      it('when any request is answered, then it carries a req-<uuid> X-OpenStack-Request-Id', async () => {
        for (const url of ['/', '/v2/lbaas/loadbalancers', '/v2/lbaas/nothing']) {
          const r = await raw('GET', url)
          assert.match(String(r.headers['x-openstack-request-id']), /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, url)
        }
        const a = await raw('GET', '/')
        const b = await raw('GET', '/')
        assert.notEqual(a.headers['x-openstack-request-id'], b.headers['x-openstack-request-id'])
      })

      it('when a request fails, then the error answer also carries the request id', async () => {
        const r = await raw('GET', '/v2/lbaas/loadbalancers/00000000-0000-0000-0000-000000000001')
        assert.equal(r.statusCode, 404)
        assert.match(String(r.headers['x-openstack-request-id']), /^req-/)
      })
    })

    describe('content negotiation', () => {
      it('when Accept does not allow JSON, then the answer is 406 in pecan\'s format', async () => {
        for (const accept of ['application/xml', 'application/xml,text/html', 'application/json;q=0']) {
          const r = await raw('GET', '/', undefined, { accept })
          assert.equal(r.statusCode, 406, accept)
          assert.match(String(r.headers['content-type']), /^application\/json/)
          assert.deepEqual(r.json(), {
            code: 406, title: 'Not Acceptable', description: 'Only content type application/json is accepted.',
          })
        }
      })

      it('when Accept allows JSON, is empty, or cannot be parsed, then the answer is JSON', async () => {
        for (const accept of ['application/json', '*/*', 'application/*', 'text/html,application/json;q=0.8',
          'text/html,*/*', 'application/json, text/plain, */*', '', 'bogus']) {
          const r = await raw('GET', '/v2/lbaas/loadbalancers', undefined, { accept })
          assert.equal(r.statusCode, 200, accept)
          assert.match(String(r.headers['content-type']), /^application\/json/, accept)
        }
      })
    })

    describe('request bodies', () => {
      it('when the body is not valid JSON, then the answer is 400 "Request is not in valid JSON format"', async () => {
        const r = await raw('POST', '/v2/lbaas/loadbalancers', '{"loadbalancer": {', { 'content-type': 'application/json' })
        assert.equal(r.statusCode, 400)
        assert.deepEqual(r.json(), { faultcode: 'Client', faultstring: 'Request is not in valid JSON format', debuginfo: null })
      })

      it('when the body has an unknown attribute, then WSME\'s message names the argument path', async () => {
        let r = await h.request('POST', '/v2/lbaas/loadbalancers', { loadbalancer: { vip_subnet_id: subnetId(h), bogus: 1 } })
        assert.equal(r.status, 400)
        assert.equal(r.body.faultstring, 'Unknown attribute for argument load_balancer.loadbalancer: bogus')
        r = await h.request('POST', '/v2/lbaas/loadbalancers', { bogus: {} })
        assert.equal(r.status, 400)
        assert.equal(r.body.faultstring, 'Unknown attribute for argument load_balancer: bogus')
        r = await h.request('POST', '/v2/lbaas/loadbalancers',
          { loadbalancer: { vip_subnet_id: subnetId(h), listeners: [{ protocol: 'HTTP', protocol_port: 80, bogus: 1 }] } })
        assert.equal(r.status, 400)
        assert.equal(r.body.faultstring, 'Unknown attribute for argument load_balancer.loadbalancer.listeners: bogus')
      })

      it('when a field has the wrong type or format, then the answer is WSME\'s invalid input message', async () => {
        const r = await h.request('POST', '/v2/lbaas/loadbalancers', { loadbalancer: { vip_subnet_id: 'HI' } })
        assert.equal(r.status, 400)
        assert.equal(r.body.faultstring, "Invalid input for field/attribute vip_subnet_id. Value: 'HI'. Value should be UUID format")
      })

      it('when the body is not JSON at all, then the answer is 415 naming the media type', async () => {
        const r = await raw('POST', '/v2/lbaas/loadbalancers', 'x=1', { 'content-type': 'text/plain' })
        assert.equal(r.statusCode, 415)
        assert.equal(r.json().faultstring, 'Unknown mimetype: text/plain')
      })
    })
  })
}

function subnetId(h: Harness): string {
  return h.deps.network.listSubnets().find(s => s.name === 'public-subnet')!.id
}
