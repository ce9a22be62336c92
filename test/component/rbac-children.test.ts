import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'
import { as, installHeaderCallers } from '../support/test-callers.js'

// RBAC of pools, members (batch included), health monitors, L7 policies and
// rules, and providers, with Octavia 11's default policy (load-balancer_*
// roles; enforce_new_defaults = false).

const LBS = '/v2/lbaas/loadbalancers'
const POOLS = '/v2/lbaas/pools'
const HMS = '/v2/lbaas/healthmonitors'
const L7P = '/v2/lbaas/l7policies'
const POLICY = 'Policy does not allow this request to be performed.'
const P = 'project-p'
const Q = 'project-q'
const memberP = as(P, 'load-balancer_member', 'member', 'reader')
const readerP = as(P, 'load-balancer_observer', 'reader')
const memberQ = as(Q, 'load-balancer_member', 'member', 'reader')
/** Keystone's own roles in the project: Octavia 11 knows neither. */
const keystoneMemberP = as(P, 'member', 'reader')
const keystoneReaderP = as(P, 'reader')
const adminQ = as(Q, 'admin', 'member', 'reader')
const serviceQ = as(Q, 'service')
const nobodyP = as(P)

type Headers = Record<string, string>
interface Tree { lb: string; listener: string; pool: string; member: string; hm: string; l7policy: string; l7rule: string }

for (const dialect of testDialects) {
  describe(`RBAC: pools, members, health monitors, L7 policies and rules, providers (${dialect})`, () => {
    let h: Harness
    let p: Tree
    let q: Tree

    const expectStatus = async (method: string, url: string, who: Headers, status: number, body?: unknown) => {
      const r = await h.request(method, url, body, who)
      assert.equal(r.status, status, `${method} ${url} as ${JSON.stringify(who)}: ${JSON.stringify(r.body)}`)
      if (status === 403) assert.deepEqual(r.body, { faultcode: 'Client', faultstring: POLICY, debuginfo: null })
      return r.body
    }
    const settle = (lb: string) => h.waitFor(`${LBS}/${lb}`)
    /** POST as `who` (noauth admin when omitted), then waits for the load balancer to settle; the new object. */
    const make = async (lb: string, url: string, body: Record<string, unknown>, who: Headers = {}) => {
      const out = await expectStatus('POST', url, who, 201, body)
      await settle(lb)
      return Object.values(out)[0] as { id: string; project_id: string }
    }
    const ids = (body: any, key: string) => (body[key] as { id: string }[]).map(o => o.id)
    const poolBody = (lb: string) => ({ pool: { loadbalancer_id: lb, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' } })
    const hmBody = (pool: string) => ({ healthmonitor: { pool_id: pool, type: 'HTTP', delay: 1, timeout: 1, max_retries: 1 } })
    const ruleBody = { rule: { type: 'PATH', compare_type: 'EQUAL_TO', value: '/x' } }

    /** Every kind of object under one ACTIVE load balancer of `project`, built by noauth's admin. */
    const tree = async (project: string): Promise<Tree> => {
      const subnetId = h.deps.network.listSubnets().find(s => s.name === 'public-subnet')!.id
      const lb = (await expectStatus('POST', LBS, {}, 201, { loadbalancer: { vip_subnet_id: subnetId, project_id: project } })).loadbalancer
      await settle(lb.id)
      const listener = await make(lb.id, '/v2/lbaas/listeners', { listener: { loadbalancer_id: lb.id, protocol: 'HTTP', protocol_port: 80 } })
      const pool = await make(lb.id, POOLS, poolBody(lb.id))
      const member = await make(lb.id, `${POOLS}/${pool.id}/members`, { member: { address: '192.0.2.1', protocol_port: 80 } })
      const hm = await make(lb.id, HMS, hmBody(pool.id))
      const l7policy = await make(lb.id, L7P, { l7policy: { listener_id: listener.id, action: 'REJECT' } })
      const l7rule = await make(lb.id, `${L7P}/${l7policy.id}/rules`, ruleBody)
      return { lb: lb.id, listener: listener.id, pool: pool.id, member: member.id, hm: hm.id, l7policy: l7policy.id, l7rule: l7rule.id }
    }
    const reads = (t: Tree) => [
      `${POOLS}/${t.pool}`, `${POOLS}/${t.pool}/members`, `${POOLS}/${t.pool}/members/${t.member}`, `${HMS}/${t.hm}`,
      `${L7P}/${t.l7policy}`, `${L7P}/${t.l7policy}/rules`, `${L7P}/${t.l7policy}/rules/${t.l7rule}`,
    ]
    /** Valid write requests on the tree (a denied one changes nothing). */
    const writes = (t: Tree): [string, string, unknown?][] => [
      ['POST', POOLS, poolBody(t.lb)],
      ['PUT', `${POOLS}/${t.pool}`, { pool: { name: 'x' } }],
      ['DELETE', `${POOLS}/${t.pool}`],
      ['POST', `${POOLS}/${t.pool}/members`, { member: { address: '192.0.2.9', protocol_port: 80 } }],
      ['PUT', `${POOLS}/${t.pool}/members/${t.member}`, { member: { name: 'x' } }],
      ['DELETE', `${POOLS}/${t.pool}/members/${t.member}`],
      ['PUT', `${POOLS}/${t.pool}/members`, { members: [] }],
      ['PUT', `${POOLS}/${t.pool}/members?additive_only=true`, { members: [] }],
      ['POST', HMS, hmBody(t.pool)],
      ['PUT', `${HMS}/${t.hm}`, { healthmonitor: { delay: 2 } }],
      ['DELETE', `${HMS}/${t.hm}`],
      ['POST', L7P, { l7policy: { listener_id: t.listener, action: 'REJECT' } }],
      ['PUT', `${L7P}/${t.l7policy}`, { l7policy: { name: 'x' } }],
      ['DELETE', `${L7P}/${t.l7policy}`],
      ['POST', `${L7P}/${t.l7policy}/rules`, ruleBody],
      ['PUT', `${L7P}/${t.l7policy}/rules/${t.l7rule}`, { rule: { value: '/y' } }],
      ['DELETE', `${L7P}/${t.l7policy}/rules/${t.l7rule}`],
    ]

    before(async () => {
      h = await startHarness(dialect, { 'network:public': { cidr: '127.226.0.0/16' } }, installHeaderCallers)
      p = await tree(P)
      q = await tree(Q)
    })
    after(async () => { await h.close() })

    it('when the owning project\'s observer or load-balancer member reads, then every read passes', async () => {
      for (const who of [readerP, memberP, as(P, 'load-balancer_member')]) {
        for (const url of reads(p)) await expectStatus('GET', url, who, 200)
      }
    })

    it('when an observer writes, then every write is 403 and nothing changes', async () => {
      for (const [method, url, body] of writes(p)) await expectStatus(method, url, readerP, 403, body)
      assert.equal((await h.request('GET', `${LBS}/${p.lb}`)).body.loadbalancer.provisioning_status, 'ACTIVE')
    })

    it('when another project\'s member, a roleless caller or one with only Keystone\'s member or reader role addresses the objects, then each is 403', async () => {
      for (const who of [memberQ, nobodyP, keystoneMemberP, keystoneReaderP]) {
        for (const url of reads(p)) await expectStatus('GET', url, who, 403)
        for (const [method, url, body] of writes(p)) await expectStatus(method, url, who, 403, body)
      }
      for (const who of [nobodyP, keystoneMemberP, keystoneReaderP]) {
        for (const url of [POOLS, HMS, L7P]) await expectStatus('GET', url, who, 403)
      }
      assert.equal((await h.request('GET', `${LBS}/${p.lb}`)).body.loadbalancer.provisioning_status, 'ACTIVE')
    })

    it('when lists are read, then other projects\' objects are absent unless the caller is a global reader', async () => {
      for (const [url, key, mine, theirs] of [[POOLS, 'pools', p.pool, q.pool], [HMS, 'healthmonitors', p.hm, q.hm], [L7P, 'l7policies', p.l7policy, q.l7policy]] as const) {
        const seen = ids(await expectStatus('GET', url, readerP, 200), key)
        assert.ok(seen.includes(mine) && !seen.includes(theirs), url)
        const all = ids(await expectStatus('GET', url, adminQ, 200), key)
        assert.ok(all.includes(mine) && all.includes(theirs), url)
        assert.deepEqual(ids(await expectStatus('GET', `${url}?project_id=${P}&id=${mine}`, adminQ, 200), key), [mine])
        await expectStatus('GET', `${url}?project_id=${Q}`, readerP, 403)
        assert.deepEqual(ids(await expectStatus('GET', `${url}?project_id=${P}&id=${mine}`, readerP, 200), key), [mine])
      }
    })

    it('when the service role lists a pool\'s members, then it is 403 as everything else (Octavia 11 has no service exception; 17.0.0 added it)', async () => {
      await expectStatus('GET', `${POOLS}/${p.pool}/members`, serviceQ, 403)
      await expectStatus('GET', `${POOLS}/${p.pool}/members/${p.member}`, serviceQ, 403)
      await expectStatus('GET', `${POOLS}/${p.pool}`, serviceQ, 403)
    })

    it('when the owning project\'s member writes, then creates, updates, batches and deletes pass', async () => {
      const pool = await make(p.lb, POOLS, poolBody(p.lb), memberP)
      assert.equal(pool.project_id, P)
      await expectStatus('PUT', `${POOLS}/${pool.id}`, memberP, 200, { pool: { name: 'mine' } })
      await settle(p.lb)
      const member = await make(p.lb, `${POOLS}/${pool.id}/members`, { member: { address: '192.0.2.2', protocol_port: 80 } }, memberP)
      await expectStatus('PUT', `${POOLS}/${pool.id}/members/${member.id}`, memberP, 200, { member: { name: 'm' } })
      await settle(p.lb)
      await expectStatus('PUT', `${POOLS}/${pool.id}/members?additive_only=true`, memberP, 202,
        { members: [{ address: '192.0.2.3', protocol_port: 80 }] })
      await settle(p.lb)
      await expectStatus('PUT', `${POOLS}/${pool.id}/members`, memberP, 202, { members: [{ address: '192.0.2.3', protocol_port: 80 }] })
      await settle(p.lb)
      const hm = await make(p.lb, HMS, hmBody(pool.id), memberP)
      await expectStatus('PUT', `${HMS}/${hm.id}`, memberP, 200, { healthmonitor: { delay: 3 } })
      await settle(p.lb)
      await expectStatus('DELETE', `${HMS}/${hm.id}`, memberP, 204)
      await settle(p.lb)
      const policy = await make(p.lb, L7P, { l7policy: { listener_id: p.listener, action: 'REJECT', position: 1 } }, memberP)
      await expectStatus('PUT', `${L7P}/${policy.id}`, memberP, 200, { l7policy: { name: 'mine' } })
      await settle(p.lb)
      const rule = await make(p.lb, `${L7P}/${policy.id}/rules`, ruleBody, memberP)
      await expectStatus('PUT', `${L7P}/${policy.id}/rules/${rule.id}`, memberP, 200, { rule: { value: '/z' } })
      await settle(p.lb)
      await expectStatus('DELETE', `${L7P}/${policy.id}/rules/${rule.id}`, memberP, 204)
      await settle(p.lb)
      await expectStatus('DELETE', `${L7P}/${policy.id}`, memberP, 204)
      await settle(p.lb)
      await expectStatus('DELETE', `${POOLS}/${pool.id}`, memberP, 204)
      await settle(p.lb)
    })

    it('when an admin of another project writes, then every rule passes', async () => {
      for (const url of reads(p)) await expectStatus('GET', url, adminQ, 200)
      await expectStatus('PUT', `${POOLS}/${p.pool}`, adminQ, 200, { pool: { description: 'admin' } })
      await settle(p.lb)
      await expectStatus('PUT', `${POOLS}/${p.pool}/members/${p.member}`, adminQ, 200, { member: { weight: 5 } })
      await settle(p.lb)
      await expectStatus('PUT', `${POOLS}/${p.pool}/members?additive_only=true`, adminQ, 202, { members: [] })
      await settle(p.lb)
      await expectStatus('PUT', `${HMS}/${p.hm}`, adminQ, 200, { healthmonitor: { delay: 4 } })
      await settle(p.lb)
      await expectStatus('PUT', `${L7P}/${p.l7policy}`, adminQ, 200, { l7policy: { description: 'admin' } })
      await settle(p.lb)
      await expectStatus('PUT', `${L7P}/${p.l7policy}/rules/${p.l7rule}`, adminQ, 200, { rule: { value: '/admin' } })
      await settle(p.lb)
      const pool = await make(p.lb, POOLS, poolBody(p.lb), adminQ)
      assert.equal(pool.project_id, P, 'a child belongs to its load balancer\'s project')
      await expectStatus('DELETE', `${POOLS}/${pool.id}`, adminQ, 204)
      await settle(p.lb)
    })

    it('when providers are listed, then any load-balancer reader may; capabilities are admin only', async () => {
      for (const who of [readerP, memberQ, adminQ]) await expectStatus('GET', '/v2/lbaas/providers', who, 200)
      for (const who of [nobodyP, keystoneMemberP, keystoneReaderP]) await expectStatus('GET', '/v2/lbaas/providers', who, 403)
      for (const kind of ['flavor_capabilities', 'availability_zone_capabilities']) {
        const url = `/v2/lbaas/providers/noop_driver/${kind}`
        await expectStatus('GET', url, memberP, 403)
        await expectStatus('GET', url, readerP, 403)
        await expectStatus('GET', url, adminQ, 200)
        await expectStatus('GET', '/v2/lbaas/providers/nope/flavor_capabilities', memberP, 403)
      }
    })
  })
}
