import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:net'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { ApiServer } from '../../src/api/api-server.js'
import { createAuthenticator } from '../../src/api/auth/authenticator.js'
import { buildNeutronApi } from '../../src/api/neutron/neutron-app.js'
import { stableId } from '../../src/common/net/stable-id.js'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'

// The Neutron-compatible subset where clients discover it as they discover
// Neutron: its own listener ([neutron_api]) and the API port's /networking.
// keystoneauth reads `versions` at the root and fails over from a versioned
// URL whose answer is no version document (test/e2e/openstacksdk.test.ts runs
// the real SDK).

const PUBLIC_SUBNET = stableId('subnet', 'public-subnet')
const HOST = 'neutron.example:9696'

const versionDocument = (root: string) =>
  ({ versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ rel: 'self', href: `${root}/v2.0/` }] }] })
const resourceListing = (v2: string) => ({
  resources: [['network', 'networks'], ['subnet', 'subnets'], ['subnetpool', 'subnetpools'], ['port', 'ports']]
    .map(([name, collection]) => ({ name, collection, links: [{ rel: 'self', href: `${v2}${collection}` }] })),
})

for (const dialect of testDialects.slice(0, 1)) {
  describe(`the Neutron-compatible listener (${dialect})`, () => {
    let h: Harness
    let neutron: FastifyInstance
    const get = async (url: string) => {
      const res = await neutron.inject({ method: 'GET', url, headers: { host: HOST } })
      return { status: res.statusCode, body: res.json(), requestId: res.headers['x-openstack-request-id'] }
    }
    before(async () => {
      h = await startHarness(dialect)
      neutron = buildNeutronApi(h.deps, createAuthenticator(h.deps))
      await neutron.ready()
    })
    after(async () => {
      await neutron?.close()
      await h?.close()
    })

    test('when a client asks the root, then it gets Neutron\'s version document linking to /v2.0/', async () => {
      const root = await get('/')
      assert.equal(root.status, 200)
      assert.deepEqual(root.body, versionDocument(`http://${HOST}`))
      assert.match(String(root.requestId), /^req-[0-9a-f-]{36}$/)
    })

    test('when a client asks /v2.0/, then it lists Neutron\'s core resources; /v2.0 without the slash is a 404 as in Neutron', async () => {
      const listing = await get('/v2.0/')
      assert.equal(listing.status, 200)
      assert.deepEqual(listing.body, resourceListing(`http://${HOST}/v2.0/`))
      const bare = await get('/v2.0')
      assert.equal(bare.status, 404)
      assert.deepEqual(bare.body, { NeutronError: { type: 'HTTPNotFound', message: 'The resource could not be found.', detail: '' } })
    })

    test('when collections are read, then they answer as Neutron (suffix .json, trailing slash, NeutronError bodies, empty subnet pools)', async () => {
      assert.deepEqual((await get('/v2.0/subnets?name=public-subnet')).body.subnets.map((s: any) => s.id), [PUBLIC_SUBNET])
      assert.equal((await get(`/v2.0/subnets/${PUBLIC_SUBNET}.json`)).body.subnet.name, 'public-subnet')
      assert.equal((await get('/v2.0/networks/')).body.networks[0].name, 'public')
      assert.deepEqual((await get('/v2.0/subnetpools')).body, { subnetpools: [] })
      const missing = await get('/v2.0/subnets/nope')
      assert.equal(missing.status, 404)
      assert.equal(missing.body.NeutronError.type, 'SubnetNotFound')
      assert.equal((await get('/v2.0/lbaas/loadbalancers')).status, 404)
    })

    test('when the API port is asked under /networking, then it is the same discoverable root; /v2.0 stays Octavia\'s "v2"', async () => {
      const api = async (url: string) => (await h.request('GET', url, undefined, { host: 'api.example:9876' })).body
      assert.deepEqual(await api('/networking/'), versionDocument('http://api.example:9876/networking'))
      assert.deepEqual(await api('/networking'), versionDocument('http://api.example:9876/networking'))
      assert.deepEqual(await api('/networking/v2.0/'), resourceListing('http://api.example:9876/networking/v2.0/'))
      assert.deepEqual((await api('/networking/v2.0/subnets?name=public-subnet')).subnets.map((s: any) => s.id), [PUBLIC_SUBNET])
      assert.equal(await api('/v2.0/'), 'v2')
      assert.deepEqual((await api('/v2.0/subnets?name=public-subnet')).subnets.map((s: any) => s.id), [PUBLIC_SUBNET])
    })
  })
}

describe('the API server\'s listeners', () => {
  let h: Harness
  before(async () => {
    h = await startHarness(testDialects[0], { api_settings: { bind_port: '0' }, neutron_api: { bind_port: '0' } })
  })
  after(async () => { await h?.close() })

  const withConfig = (neutron: Record<string, unknown>) =>
    ({ ...h.deps, config: { ...h.deps.config, neutron_api: { ...h.deps.config.neutron_api, ...neutron } } })

  test('when [neutron_api] is enabled, then both listeners answer until the server is aborted', async () => {
    const server = new ApiServer(h.deps)
    const abort = new AbortController()
    await server.start(abort.signal)
    try {
      const port = server.neutronAddress?.port ?? assert.fail('no neutron listener')
      const res = await fetch(`http://127.0.0.1:${port}/`)
      assert.deepEqual(await res.json(), versionDocument(`http://127.0.0.1:${port}`))
      assert.equal((await fetch(`http://127.0.0.1:${server.address.port}/v2.0/`)).status, 200)
    } finally {
      abort.abort()
      await server.stopped
    }
  })

  test('when [neutron_api] is disabled, then only the API listens', async () => {
    const server = new ApiServer(withConfig({ enabled: false }))
    const abort = new AbortController()
    await server.start(abort.signal)
    try {
      assert.equal(server.neutronAddress, null)
    } finally {
      abort.abort()
      await server.stopped
    }
  })

  test('when the Neutron port is taken, then start fails naming [neutron_api] and the API port is released', async () => {
    const blocker: Server = createServer()
    await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve))
    const taken = (blocker.address() as { port: number }).port
    try {
      const server = new ApiServer(withConfig({ bind_port: taken }))
      await assert.rejects(server.start(new AbortController().signal), /\[neutron_api\] cannot listen on 127\.0\.0\.1:\d+ .*enabled = false/)
      assert.throws(() => server.address, /not listening/)
    } finally {
      await new Promise<void>(resolve => blocker.close(() => resolve()))
    }
  })
})
