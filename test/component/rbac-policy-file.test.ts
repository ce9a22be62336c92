import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, describe, it } from 'node:test'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'
import { as, installHeaderCallers } from '../support/test-callers.js'

// `[oslo_policy] policy_file`: the shipped advanced RBAC file (load-balancer_*
// roles) plus two API rule overrides; and `enforce_new_defaults = false`.

const LBS = '/v2/lbaas/loadbalancers'
const QUOTAS = '/v2/lbaas/quotas'
const POLICY = 'Policy does not allow this request to be performed.'
const P = 'project-p'
const Q = 'project-q'
const NETWORKS = { 'network:public': { cidr: '127.226.0.0/16' } }
const ADVANCED = fileURLToPath(new URL('../../docs/policy/advanced-rbac-policy.yaml', import.meta.url))

const dir = mkdtempSync(join(tmpdir(), 'octavia-ts-rbac-'))
const policyFile = join(dir, 'policy.yaml')
writeFileSync(policyFile, `${readFileSync(ADVANCED, 'utf8')}
# overrides of API rules
"os_load-balancer_api:loadbalancer:put_failover": "rule:load-balancer:write"
"os_load-balancer_api:loadbalancer:post:vip_sg_ids": "!"
`)
after(() => rmSync(dir, { recursive: true, force: true }))

for (const dialect of testDialects) {
  const harness = (options: Record<string, Record<string, string>>) => {
    let h: Harness
    const expectStatus = async (method: string, url: string, who: Record<string, string>, status: number, body?: unknown) => {
      const r = await h.request(method, url, body, who)
      assert.equal(r.status, status, `${method} ${url} as ${JSON.stringify(who)}: ${JSON.stringify(r.body)}`)
      if (status === 403) assert.equal(r.body.faultstring, POLICY)
      return r.body
    }
    const ctx = {
      get h() { return h },
      expectStatus,
      subnet: () => h.deps.network.listSubnets().find(s => s.name === 'public-subnet')!.id,
      active: (id: string) => h.waitFor(`${LBS}/${id}`),
      lbOf: async (project: string) => {
        const id = (await expectStatus('POST', LBS, {}, 201, { loadbalancer: { vip_subnet_id: ctx.subnet(), project_id: project } })).loadbalancer.id
        await ctx.active(id)
        return id as string
      },
    }
    before(async () => { h = await startHarness(dialect, { ...NETWORKS, ...options }, installHeaderCallers) })
    after(async () => { await h.close() })
    return ctx
  }
  const ids = (body: any) => (body.loadbalancers as { id: string }[]).map(o => o.id)
  const projects = (body: any) => (body.quotas as { project_id: string }[]).map(q => q.project_id)

  describe(`RBAC with the advanced RBAC policy file (${dialect})`, () => {
    const t = harness({ oslo_policy: { policy_file: policyFile } })
    let lbP: string
    let lbQ: string
    before(async () => {
      lbP = await t.lbOf(P)
      lbQ = await t.lbOf(Q)
    })

    it('when a load-balancer_member acts in its project, then it manages load balancers; Keystone\'s member is refused', async () => {
      const lb = await t.expectStatus('POST', LBS, as(P, 'load-balancer_member'), 201, { loadbalancer: { vip_subnet_id: t.subnet() } })
      await t.active(lb.loadbalancer.id)
      await t.expectStatus('PUT', `${LBS}/${lb.loadbalancer.id}`, as(P, 'load-balancer_member'), 200, { loadbalancer: { name: 'x' } })
      await t.active(lb.loadbalancer.id)
      await t.expectStatus('GET', `${LBS}/${lbQ}`, as(P, 'load-balancer_member'), 404)
      await t.expectStatus('DELETE', `${LBS}/${lb.loadbalancer.id}`, as(P, 'load-balancer_member'), 204)
      await t.expectStatus('GET', LBS, as(P, 'member', 'reader'), 403)
      await t.expectStatus('POST', LBS, as(P, 'member'), 403, { loadbalancer: { vip_subnet_id: t.subnet() } })
    })

    it('when a load-balancer_observer reads, then it sees its project only and cannot write', async () => {
      const who = as(P, 'load-balancer_observer')
      await t.expectStatus('GET', `${LBS}/${lbP}`, who, 200)
      await t.expectStatus('GET', `${LBS}/${lbP}/stats`, who, 200)
      const seen = ids(await t.expectStatus('GET', LBS, who, 200))
      assert.ok(seen.includes(lbP) && !seen.includes(lbQ))
      await t.expectStatus('PUT', `${LBS}/${lbP}`, who, 403, { loadbalancer: { name: 'x' } })
      await t.expectStatus('POST', LBS, who, 403, { loadbalancer: { vip_subnet_id: t.subnet() } })
    })

    it('when a load-balancer_global_observer reads, then it sees every project but cannot write', async () => {
      const who = as(Q, 'load-balancer_global_observer')
      const seen = ids(await t.expectStatus('GET', LBS, who, 200))
      assert.ok(seen.includes(lbP) && seen.includes(lbQ))
      await t.expectStatus('GET', `${LBS}/${lbP}/status`, who, 200)
      await t.expectStatus('GET', `/v2/lbaas/listeners?project_id=${P}`, who, 200)
      await t.expectStatus('PUT', `${LBS}/${lbP}`, who, 403, { loadbalancer: { name: 'x' } })
      await t.expectStatus('PUT', `${LBS}/${lbQ}`, who, 403, { loadbalancer: { name: 'x' } })
    })

    it('when a load-balancer_admin or quota admin acts, then the admin may do everything and the quota admin no LB work', async () => {
      await t.expectStatus('PUT', `${LBS}/${lbP}`, as(Q, 'load-balancer_admin'), 200, { loadbalancer: { name: 'by lb admin' } })
      await t.active(lbP)
      await t.expectStatus('GET', '/v2/lbaas/providers/noop_driver/flavor_capabilities', as(Q, 'load-balancer_admin'), 200)
      await t.expectStatus('GET', `${LBS}/${lbP}`, as(Q, 'load-balancer_quota_admin'), 404)
      await t.expectStatus('GET', LBS, as(Q, 'load-balancer_quota_admin'), 403)
    })

    it('when quotas are managed, then the quota admin reads and writes any project\'s, members and observers only read', async () => {
      const quotaAdmin = as(Q, 'load-balancer_quota_admin')
      await t.expectStatus('PUT', `${QUOTAS}/${P}`, quotaAdmin, 202, { quota: { listener: 9 } })
      assert.equal((await t.expectStatus('GET', `${QUOTAS}/${P}`, quotaAdmin, 200)).quota.listener, 9)
      assert.ok(projects(await t.expectStatus('GET', QUOTAS, quotaAdmin, 200)).includes(P))
      await t.expectStatus('GET', `${QUOTAS}/${P}/default`, quotaAdmin, 200)
      assert.equal((await t.expectStatus('GET', `${QUOTAS}/${P}`, as(P, 'load-balancer_member'), 200)).quota.listener, 9)
      await t.expectStatus('GET', `${QUOTAS}/${P}`, as(P, 'load-balancer_observer'), 200)
      await t.expectStatus('PUT', `${QUOTAS}/${P}`, as(P, 'load-balancer_member'), 403, { quota: { listener: 1 } })
      await t.expectStatus('GET', `${QUOTAS}/${Q}`, as(P, 'load-balancer_member'), 403)
      assert.ok(projects(await t.expectStatus('GET', QUOTAS, as(Q, 'load-balancer_global_observer'), 200)).includes(P))
      await t.expectStatus('DELETE', `${QUOTAS}/${P}`, as(Q, 'load-balancer_global_observer'), 403)
      await t.expectStatus('DELETE', `${QUOTAS}/${P}`, quotaAdmin, 202)
      await t.expectStatus('PUT', `${QUOTAS}/${P}`, as(P, 'admin'), 202, { quota: { listener: 3 } })
    })

    it('when the file overrides API rules, then failover is open to members and vip_sg_ids to nobody', async () => {
      await t.expectStatus('PUT', `${LBS}/${lbP}/failover`, as(P, 'load-balancer_member'), 202)
      await t.active(lbP)
      await t.expectStatus('PUT', `${LBS}/${lbP}/failover`, as(P, 'load-balancer_observer'), 403)
      for (const who of [as(P, 'load-balancer_member'), as(P, 'admin')]) {
        await t.expectStatus('POST', LBS, who, 403, { loadbalancer: { vip_subnet_id: t.subnet(), vip_sg_ids: [] } })
      }
    })
  })

  describe(`RBAC with enforce_new_defaults = false (${dialect})`, () => {
    const t = harness({ oslo_policy: { enforce_new_defaults: 'false' } })
    let lbP: string
    before(async () => { lbP = await t.lbOf(P) })

    it('when the deprecated load-balancer_* roles are used, then they pass alongside Keystone\'s roles', async () => {
      await t.expectStatus('GET', `${LBS}/${lbP}`, as(P, 'load-balancer_observer'), 200)
      await t.expectStatus('GET', `${LBS}/${lbP}`, as(P, 'reader'), 200)
      await t.expectStatus('PUT', `${LBS}/${lbP}`, as(P, 'load-balancer_observer'), 403, { loadbalancer: { name: 'x' } })
      await t.expectStatus('PUT', `${LBS}/${lbP}`, as(P, 'load-balancer_member'), 200, { loadbalancer: { name: 'x' } })
      await t.active(lbP)
      assert.ok(ids(await t.expectStatus('GET', LBS, as(Q, 'load-balancer_global_observer'), 200)).includes(lbP))
      await t.expectStatus('PUT', `${LBS}/${lbP}/failover`, as(Q, 'load-balancer_admin'), 202)
      await t.active(lbP)
    })
  })
}
