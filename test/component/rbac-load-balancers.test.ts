import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'
import { as, installHeaderCallers } from '../support/test-callers.js'

// RBAC of load balancers and listeners with Octavia 11's default policy
// (load-balancer_* roles; enforce_new_defaults = false). Callers come from test
// headers (test/support/test-callers.ts); requests without them are noauth's
// admin, used to build fixtures.

const LBS = '/v2/lbaas/loadbalancers'
const LISTENERS = '/v2/lbaas/listeners'
const POLICY = 'Policy does not allow this request to be performed.'
const P = 'project-p'
const Q = 'project-q'
const memberP = as(P, 'load-balancer_member')
const readerP = as(P, 'load-balancer_observer')
const memberQ = as(Q, 'load-balancer_member', 'member', 'reader')
/** Keystone's own roles in the project: Octavia 11 knows neither. */
const keystoneMemberP = as(P, 'member', 'reader')
const keystoneReaderP = as(P, 'reader')
const adminQ = as(Q, 'admin', 'member', 'reader')
const nobodyP = as(P)

for (const dialect of testDialects) {
  describe(`RBAC: load balancers and listeners (${dialect})`, () => {
    let h: Harness
    let subnetId: string
    let lbP: string
    let lbQ: string
    let listenerP: string
    let listenerQ: string

    const call = async (method: string, url: string, who: Record<string, string>, body?: unknown) => h.request(method, url, body, who)
    const expectStatus = async (method: string, url: string, who: Record<string, string>, status: number, body?: unknown) => {
      const r = await call(method, url, who, body)
      assert.equal(r.status, status, `${method} ${url} as ${JSON.stringify(who)}: ${JSON.stringify(r.body)}`)
      if (status === 403) assert.deepEqual(r.body, { faultcode: 'Client', faultstring: POLICY, debuginfo: null })
      return r.body
    }
    const active = (id: string) => h.waitFor(`${LBS}/${id}`)
    const ids = (body: any, key: string) => (body[key] as { id: string }[]).map(o => o.id)

    /** A load balancer of `project` with one HTTP listener, ACTIVE, built by noauth's admin. */
    const fixture = async (project: string) => {
      const lb = await h.request('POST', LBS, { loadbalancer: { vip_subnet_id: subnetId, project_id: project } })
      assert.equal(lb.status, 201, JSON.stringify(lb.body))
      await active(lb.body.loadbalancer.id)
      const l = await h.request('POST', LISTENERS, { listener: { loadbalancer_id: lb.body.loadbalancer.id, protocol: 'HTTP', protocol_port: 80 } })
      assert.equal(l.status, 201, JSON.stringify(l.body))
      await active(lb.body.loadbalancer.id)
      return [lb.body.loadbalancer.id as string, l.body.listener.id as string] as const
    }

    before(async () => {
      h = await startHarness(dialect, { 'network:public': { cidr: '127.226.0.0/16' } }, installHeaderCallers)
      subnetId = h.deps.network.listSubnets().find(s => s.name === 'public-subnet')!.id
      ;[lbP, listenerP] = await fixture(P)
      ;[lbQ, listenerQ] = await fixture(Q)
    })
    after(async () => { await h.close() })

    it('when a project member creates a load balancer, then it belongs to the project and the member manages it', async () => {
      const created = await expectStatus('POST', LBS, memberP, 201, { loadbalancer: { vip_subnet_id: subnetId, name: 'mine' } })
      const id = created.loadbalancer.id
      assert.equal(created.loadbalancer.project_id, P)
      await active(id)
      assert.equal((await expectStatus('GET', `${LBS}/${id}`, memberP, 200)).loadbalancer.name, 'mine')
      await expectStatus('GET', `${LBS}/${id}/status`, memberP, 200)
      await expectStatus('GET', `${LBS}/${id}/stats`, memberP, 200)
      await expectStatus('PUT', `${LBS}/${id}`, memberP, 200, { loadbalancer: { name: 'renamed' } })
      await active(id)
      await expectStatus('PUT', `${LBS}/${id}/failover`, memberP, 403)
      const l = await expectStatus('POST', LISTENERS, memberP, 201, { listener: { loadbalancer_id: id, protocol: 'TCP', protocol_port: 22 } })
      assert.equal(l.listener.project_id, P)
      await active(id)
      await expectStatus('GET', `${LISTENERS}/${l.listener.id}`, memberP, 200)
      await expectStatus('GET', `${LISTENERS}/${l.listener.id}/stats`, memberP, 200)
      await expectStatus('PUT', `${LISTENERS}/${l.listener.id}`, memberP, 200, { listener: { name: 'l' } })
      await active(id)
      await expectStatus('DELETE', `${LISTENERS}/${l.listener.id}`, memberP, 204)
      await active(id)
      await expectStatus('DELETE', `${LBS}/${id}`, memberP, 204)
    })

    it('when a member names another project in the body, then the create is 403; its own project is accepted', async () => {
      await expectStatus('POST', LBS, memberP, 403, { loadbalancer: { vip_subnet_id: subnetId, project_id: Q } })
      await expectStatus('POST', LBS, memberP, 403, { loadbalancer: { vip_subnet_id: subnetId, tenant_id: Q } })
      const lb = await expectStatus('POST', LBS, memberP, 201, { loadbalancer: { vip_subnet_id: subnetId, project_id: P } })
      await active(lb.loadbalancer.id)
      await expectStatus('DELETE', `${LBS}/${lb.loadbalancer.id}`, memberP, 204)
    })

    it('when an observer reads its project, then every read passes and every write is 403', async () => {
      await expectStatus('GET', `${LBS}/${lbP}`, readerP, 200)
      await expectStatus('GET', `${LBS}/${lbP}/status`, readerP, 200)
      await expectStatus('GET', `${LBS}/${lbP}/statuses`, readerP, 200)
      await expectStatus('GET', `${LBS}/${lbP}/stats`, readerP, 200)
      await expectStatus('GET', `${LISTENERS}/${listenerP}`, readerP, 200)
      await expectStatus('GET', `${LISTENERS}/${listenerP}/stats`, readerP, 200)
      assert.ok(ids(await expectStatus('GET', LBS, readerP, 200), 'loadbalancers').includes(lbP))
      await expectStatus('POST', LBS, readerP, 403, { loadbalancer: { vip_subnet_id: subnetId } })
      await expectStatus('PUT', `${LBS}/${lbP}`, readerP, 403, { loadbalancer: { name: 'x' } })
      await expectStatus('DELETE', `${LBS}/${lbP}`, readerP, 403)
      await expectStatus('PUT', `${LBS}/${lbP}/failover`, readerP, 403)
      await expectStatus('POST', LISTENERS, readerP, 403, { listener: { loadbalancer_id: lbP, protocol: 'TCP', protocol_port: 23 } })
      await expectStatus('PUT', `${LISTENERS}/${listenerP}`, readerP, 403, { listener: { name: 'x' } })
      await expectStatus('DELETE', `${LISTENERS}/${listenerP}`, readerP, 403)
      assert.equal((await h.request('GET', `${LBS}/${lbP}`)).body.loadbalancer.provisioning_status, 'ACTIVE', 'nothing was changed')
    })

    it('when a member of another project addresses the objects, then each is 403 as from Octavia (an unknown id is 404) and lists omit them', async () => {
      for (const url of [`${LBS}/${lbP}`, `${LBS}/${lbP}/status`, `${LBS}/${lbP}/statuses`, `${LBS}/${lbP}/stats`, `${LISTENERS}/${listenerP}`, `${LISTENERS}/${listenerP}/stats`]) {
        await expectStatus('GET', url, memberQ, 403)
      }
      await expectStatus('PUT', `${LBS}/${lbP}`, memberQ, 403, { loadbalancer: { name: 'x' } })
      await expectStatus('DELETE', `${LBS}/${lbP}`, memberQ, 403)
      await expectStatus('PUT', `${LBS}/${lbP}/failover`, memberQ, 403)
      await expectStatus('POST', LISTENERS, memberQ, 403, { listener: { loadbalancer_id: lbP, protocol: 'TCP', protocol_port: 24 } })
      await expectStatus('PUT', `${LISTENERS}/${listenerP}`, memberQ, 403, { listener: { name: 'x' } })
      await expectStatus('DELETE', `${LISTENERS}/${listenerP}`, memberQ, 403)
      const unknown = randomUUID()
      assert.equal((await expectStatus('GET', `${LBS}/${unknown}`, memberQ, 404)).faultstring, `Load Balancer ${unknown} not found.`)
      const lbs = ids(await expectStatus('GET', LBS, memberQ, 200), 'loadbalancers')
      assert.ok(lbs.includes(lbQ) && !lbs.includes(lbP))
      const listeners = ids(await expectStatus('GET', LISTENERS, memberQ, 200), 'listeners')
      assert.ok(listeners.includes(listenerQ) && !listeners.includes(listenerP))
      await expectStatus('GET', `${LBS}?project_id=${P}`, memberQ, 403)
      await expectStatus('GET', `${LISTENERS}?project_id=${P}`, memberQ, 403)
      assert.deepEqual(ids(await expectStatus('GET', `${LBS}?project_id=${Q}&id=${lbQ}`, memberQ, 200), 'loadbalancers'), [lbQ])
    })

    it('when a caller has no role, or only Keystone\'s member or reader, then reads, lists and writes are all 403', async () => {
      for (const who of [nobodyP, keystoneMemberP, keystoneReaderP]) {
        await expectStatus('GET', `${LBS}/${lbP}`, who, 403)
        await expectStatus('GET', `${LBS}/${lbP}/status`, who, 403)
        await expectStatus('GET', LBS, who, 403)
        await expectStatus('GET', LISTENERS, who, 403)
        await expectStatus('GET', `${LISTENERS}/${listenerP}`, who, 403)
        await expectStatus('POST', LBS, who, 403, { loadbalancer: { vip_subnet_id: subnetId } })
        await expectStatus('PUT', `${LBS}/${lbP}`, who, 403, { loadbalancer: { name: 'x' } })
        await expectStatus('DELETE', `${LISTENERS}/${listenerP}`, who, 403)
      }
      // With [oslo_policy] enforce_new_defaults = false (Octavia 11's default), load-balancer_member alone suffices.
      assert.deepEqual(ids(await expectStatus('GET', LBS, as(P, 'load-balancer_member'), 200), 'loadbalancers'), [lbP])
    })

    it('when an admin of another project acts, then every rule passes and lists span all projects', async () => {
      const lbs = ids(await expectStatus('GET', LBS, adminQ, 200), 'loadbalancers')
      assert.ok(lbs.includes(lbP) && lbs.includes(lbQ))
      assert.deepEqual(ids(await expectStatus('GET', `${LBS}?project_id=${P}`, adminQ, 200), 'loadbalancers').sort(),
        ids((await h.request('GET', `${LBS}?project_id=${P}`)).body, 'loadbalancers').sort())
      assert.ok(!ids(await expectStatus('GET', `${LBS}?project_id=${P}`, adminQ, 200), 'loadbalancers').includes(lbQ))
      const listeners = ids(await expectStatus('GET', LISTENERS, adminQ, 200), 'listeners')
      assert.ok(listeners.includes(listenerP) && listeners.includes(listenerQ))
      await expectStatus('GET', `${LBS}/${lbP}`, adminQ, 200)
      await expectStatus('GET', `${LISTENERS}/${listenerP}/stats`, adminQ, 200)
      await expectStatus('PUT', `${LBS}/${lbP}`, adminQ, 200, { loadbalancer: { description: 'by admin' } })
      await active(lbP)
      await expectStatus('PUT', `${LISTENERS}/${listenerP}`, adminQ, 200, { listener: { description: 'by admin' } })
      await active(lbP)
      await expectStatus('PUT', `${LBS}/${lbP}/failover`, adminQ, 202)
      await active(lbP)
      const forP = await expectStatus('POST', LBS, adminQ, 201, { loadbalancer: { vip_subnet_id: subnetId, project_id: P } })
      assert.equal(forP.loadbalancer.project_id, P)
      await active(forP.loadbalancer.id)
      await expectStatus('DELETE', `${LBS}/${forP.loadbalancer.id}`, adminQ, 204)
    })

    it('when a token has no project, then lists are 403 for members, global for admins, and a create is 400', async () => {
      await expectStatus('GET', LBS, as(null, 'load-balancer_member'), 403)
      const all = ids(await expectStatus('GET', LBS, as(null, 'admin'), 200), 'loadbalancers')
      assert.ok(all.includes(lbP) && all.includes(lbQ))
      const r = await expectStatus('POST', LBS, as(null, 'load-balancer_member'), 400, { loadbalancer: { vip_subnet_id: subnetId } })
      assert.equal(r.faultstring, 'Validation failure: Missing project ID in request where one is required. '
        + 'An administrator should check the keystone settings in the Octavia configuration.')
    })

    it('when noauth is the strategy, then callers without test headers keep admin rights', async () => {
      const lbs = ids((await h.request('GET', LBS)).body, 'loadbalancers')
      assert.ok(lbs.includes(lbP) && lbs.includes(lbQ))
      assert.equal((await h.request('GET', `${LBS}/${lbQ}`, undefined, { 'x-project-id': P })).status, 200)
    })
  })
}
