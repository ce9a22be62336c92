import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ROOT_LBAAS_COLLECTIONS } from '../../src/api/lbaas-aliases.js'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'
import { L7_HARNESS_OPTIONS, settle } from '../support/l7-fixtures.js'
import { buildTaggedTree, type TaggedTree } from '../support/tagged-tree.js'

// Every path Octavia routes to a resource: its v2 root is mounted at `/v2` and
// `/v2.0`, and serves the lbaas collections both under `lbaas/` and directly
// (gophercloud sends `/v2.0/quotas/{project}`); amphorae only under `octavia/`.

const PREFIXES = ['/v2', '/v2.0', '/v2/lbaas', '/v2.0/lbaas'] as const
const PROJECT = 'p-aliases'

for (const dialect of testDialects) {
  describe(`path aliases of the v2 API (${dialect})`, () => {
    let h: Harness
    let tree: TaggedTree
    const ids: Record<string, string> = {}
    before(async () => {
      h = await startHarness(dialect, L7_HARNESS_OPTIONS)
      tree = await buildTaggedTree(h, PROJECT)
      await adminObjects()
    })
    after(async () => { await h?.close() })

    const ok = async (method: string, url: string, body?: unknown, status = 200): Promise<any> => {
      const r = await h.request(method, url, body)
      assert.equal(r.status, status, `${method} ${url}: ${JSON.stringify(r.body)}`)
      return r.body
    }

    /** A flavor, an availability zone with their profiles, and a quota: each created through an alias path. */
    const adminObjects = async () => {
      ids.fp = (await ok('POST', '/v2.0/flavorprofiles', { flavorprofile: { name: 'fp', provider_name: 'noop_driver', flavor_data: '{}' } }, 201)).flavorprofile.id
      ids.flavor = (await ok('POST', '/v2/flavors', { flavor: { name: 'f', flavor_profile_id: ids.fp } }, 201)).flavor.id
      ids.azp = (await ok('POST', '/v2.0/availabilityzoneprofiles', {
        availability_zone_profile: { name: 'azp', provider_name: 'noop_driver', availability_zone_data: '{}' },
      }, 201)).availability_zone_profile.id
      await ok('POST', '/v2/availabilityzones', { availability_zone: { name: 'az1', availability_zone_profile_id: ids.azp } }, 201)
      await ok('PUT', `/v2.0/quotas/${PROJECT}`, { quota: { loadbalancer: 10 } }, 202)
    }

    it('when GET /, then the versions are in ascending order and the last one is the CURRENT v2.30', async () => {
      const versions = (await ok('GET', '/')).versions as { id: string; status: string }[]
      const minors = versions.map(v => Number(v.id.replace(/^v2\./, '')))
      assert.deepEqual(minors, [...minors].sort((a, b) => a - b))
      assert.equal(new Set(minors).size, minors.length)
      assert.deepEqual(versions.at(-1), { ...versions.at(-1), id: 'v2.30', status: 'CURRENT' })
      assert.deepEqual(versions.slice(0, -1).filter(v => v.status !== 'SUPPORTED'), [])
    })

    it('when each collection of the v2 root is listed under /v2, /v2.0, /v2/lbaas and /v2.0/lbaas, then the four answers are the same', async () => {
      for (const collection of ROOT_LBAAS_COLLECTIONS) {
        const [first, ...others] = await Promise.all(PREFIXES.map(p => ok('GET', `${p}/${collection}`)))
        const items = Object.entries(first).find(([k]) => !k.endsWith('_links'))?.[1] as unknown[]
        assert.ok(items.length > 0, `${collection}: ${JSON.stringify(first)}`)
        for (const [i, other] of others.entries()) assert.deepEqual(other, first, `${PREFIXES[i + 1]}/${collection}`)
      }
    })

    it('when an object, its status, statistics or a child is read without lbaas/, then it is the object read under lbaas/', async () => {
      const lb = tree.lbIds[0]
      const f = tree.first
      const paths = [
        `loadbalancers/${lb}`, `loadbalancers/${lb}/status`, `loadbalancers/${lb}/stats`, `listeners/${f.listener}`,
        `listeners/${f.listener}/stats`, `pools/${f.pool}`, `pools/${f.pool}/members/${f.member}`, `healthmonitors/${f.healthmonitor}`,
        `l7policies/${f.l7policy}`, `l7policies/${f.l7policy}/rules/${f.rule}`, `quotas/${PROJECT}`, `quotas/${PROJECT}/default`,
        'quotas/defaults', 'providers/noop_driver/flavor_capabilities', `flavors/${ids.flavor}`, `flavorprofiles/${ids.fp}`,
        'availabilityzones/az1', `availabilityzoneprofiles/${ids.azp}`,
      ]
      for (const path of paths) {
        const reference = await ok('GET', `/v2/lbaas/${path}`)
        for (const url of [`/v2/${path}`, `/v2.0/${path}`, `/v2.0/lbaas/${path}`, `/v2.0/${path}.json`]) {
          assert.deepEqual(await ok('GET', url), reference, url)
        }
      }
    })

    it('when gophercloud sets, reads and resets a quota at /v2.0/quotas/{project}, then each call acts on that project', async () => {
      const set = await ok('PUT', `/v2.0/quotas/${PROJECT}`, { quota: { loadbalancer: 7, listener: 20, l7rule: 3 } }, 202)
      assert.deepEqual([set.quota.load_balancer, set.quota.listener, set.quota.l7rule], [7, 20, 3])
      const got = (await ok('GET', `/v2.0/quotas/${PROJECT}`)).quota
      assert.deepEqual([got.load_balancer, got.loadbalancer, got.listener, got.l7rule, got.pool], [7, 7, 20, 3, -1])
      const listed = (await ok('GET', '/v2.0/quotas')).quotas.find((q: any) => q.project_id === PROJECT)
      assert.equal(listed?.load_balancer, 7)
      await ok('DELETE', `/v2.0/quotas/${PROJECT}`, undefined, 202)
      const reset = (await ok('GET', `/v2/quotas/${PROJECT}`)).quota
      assert.deepEqual([reset.load_balancer, reset.listener, reset.l7rule], [-1, -1, -1])
    })

    it('when amphorae are asked, then only octavia/ serves them, under /v2 and /v2.0', async () => {
      for (const url of ['/v2/octavia/amphorae', '/v2.0/octavia/amphorae']) assert.ok(Array.isArray((await ok('GET', url)).amphorae), url)
      for (const url of ['/v2/amphorae', '/v2.0/amphorae', '/v2/lbaas/amphorae', '/v2.0/lbaas/octavia/amphorae', '/v2/members', '/v2.0/rules']) {
        const r = await h.request('GET', url)
        assert.equal(r.status, 404, url)
        assert.equal(r.body.faultcode, 'Client', url)
      }
    })

    it('when objects are updated, batch-updated and cascade-deleted without lbaas/, then they change as under lbaas/', async () => {
      const [lb0, lb1, lb2] = tree.lbIds
      assert.equal((await ok('PUT', `/v2.0/loadbalancers/${lb1}`, { loadbalancer: { name: 'renamed', tags: ['z'] } })).loadbalancer.name, 'renamed')
      await settle(h, lb1)
      const shown = (await ok('GET', `/v2/lbaas/loadbalancers/${lb1}`)).loadbalancer
      assert.deepEqual([shown.name, shown.tags], ['renamed', ['z']])
      const pool = tree.first.pool
      await ok('PUT', `/v2.0/pools/${pool}/members`, { members: [{ address: '192.0.2.99', protocol_port: 81, name: 'only' }] }, 202)
      await settle(h, lb0)
      assert.deepEqual((await ok('GET', `/v2/lbaas/pools/${pool}/members`)).members.map((m: any) => m.name), ['only'])
      await ok('DELETE', `/v2.0/loadbalancers/${lb0}?cascade=true`, undefined, 204)
      await ok('DELETE', `/v2/loadbalancers/${lb2}`, undefined, 204)
      for (const lb of [lb0, lb2]) await h.waitFor(`/v2/lbaas/loadbalancers/${lb}`, 'gone', b => (b?.faultcode ? 'gone' : 'present'), 15000)
      assert.deepEqual((await ok('GET', '/v2.0/loadbalancers')).loadbalancers.map((l: any) => l.id), [lb1])
      assert.deepEqual((await ok('GET', '/v2.0/listeners')).listeners, [])
    })
  })
}
