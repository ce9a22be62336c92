import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, describe, it } from 'node:test'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'
import { as, asSystem, installHeaderCallers } from '../support/test-callers.js'

// `[oslo_policy] policy_file`: the shipped Keystone default roles file plus two
// API rule overrides; and Octavia 11's rules with `enforce_new_defaults = true`
// and with `enforce_scope = true`.

const LBS = '/v2/lbaas/loadbalancers'
const QUOTAS = '/v2/lbaas/quotas'
const POLICY = 'Policy does not allow this request to be performed.'
const P = 'project-p'
const Q = 'project-q'
const NETWORKS = { 'network:public': { cidr: '127.226.0.0/16' } }
const KEYSTONE_ROLES = fileURLToPath(new URL('../../docs/policy/keystone-default-roles-policy.yaml', import.meta.url))

const dir = mkdtempSync(join(tmpdir(), 'octavia-ts-rbac-'))
const policyFile = join(dir, 'policy.yaml')
writeFileSync(policyFile, `${readFileSync(KEYSTONE_ROLES, 'utf8')}
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

  describe(`RBAC with the Keystone default roles policy file (${dialect})`, () => {
    const t = harness({ oslo_policy: { policy_file: policyFile } })
    let lbP: string
    let lbQ: string
    before(async () => {
      lbP = await t.lbOf(P)
      lbQ = await t.lbOf(Q)
    })

    it('when Keystone\'s member acts in its project, then it manages load balancers; load-balancer_member alone is refused', async () => {
      const member = as(P, 'member', 'reader')
      const lb = await t.expectStatus('POST', LBS, member, 201, { loadbalancer: { vip_subnet_id: t.subnet() } })
      await t.active(lb.loadbalancer.id)
      await t.expectStatus('PUT', `${LBS}/${lb.loadbalancer.id}`, member, 200, { loadbalancer: { name: 'x' } })
      await t.active(lb.loadbalancer.id)
      await t.expectStatus('GET', `${LBS}/${lbQ}`, member, 403)
      await t.expectStatus('DELETE', `${LBS}/${lb.loadbalancer.id}`, member, 204)
      await t.expectStatus('GET', LBS, as(P, 'load-balancer_member'), 403)
      await t.expectStatus('POST', LBS, as(P, 'load-balancer_member'), 403, { loadbalancer: { vip_subnet_id: t.subnet() } })
    })

    it('when a reader reads, then it sees its project only and cannot write; a system-scoped reader sees every project', async () => {
      const who = as(P, 'reader')
      await t.expectStatus('GET', `${LBS}/${lbP}`, who, 200)
      await t.expectStatus('GET', `${LBS}/${lbP}/stats`, who, 200)
      const seen = ids(await t.expectStatus('GET', LBS, who, 200))
      assert.ok(seen.includes(lbP) && !seen.includes(lbQ))
      await t.expectStatus('PUT', `${LBS}/${lbP}`, who, 403, { loadbalancer: { name: 'x' } })
      await t.expectStatus('POST', LBS, who, 403, { loadbalancer: { vip_subnet_id: t.subnet() } })
      const all = ids(await t.expectStatus('GET', LBS, asSystem('reader'), 200))
      assert.ok(all.includes(lbP) && all.includes(lbQ))
      await t.expectStatus('PUT', `${LBS}/${lbP}`, asSystem('reader'), 403, { loadbalancer: { name: 'x' } })
    })

    it('when an admin or a load-balancer_admin acts, then the admin may do everything and load-balancer_admin only the admin APIs', async () => {
      await t.expectStatus('PUT', `${LBS}/${lbP}`, as(Q, 'admin'), 200, { loadbalancer: { name: 'by admin' } })
      await t.active(lbP)
      await t.expectStatus('GET', '/v2/lbaas/providers/noop_driver/flavor_capabilities', as(Q, 'load-balancer_admin'), 200)
      await t.expectStatus('GET', `${LBS}/${lbP}`, as(Q, 'load-balancer_admin'), 403)
    })

    it('when quotas are managed, then only the admin writes; the project\'s reader and member read their own', async () => {
      await t.expectStatus('PUT', `${QUOTAS}/${P}`, as(Q, 'admin'), 202, { quota: { listener: 9 } })
      assert.equal((await t.expectStatus('GET', `${QUOTAS}/${P}`, as(P, 'member', 'reader'), 200)).quota.listener, 9)
      await t.expectStatus('GET', `${QUOTAS}/${P}`, as(P, 'reader'), 200)
      await t.expectStatus('PUT', `${QUOTAS}/${P}`, as(P, 'member', 'reader'), 403, { quota: { listener: 1 } })
      await t.expectStatus('GET', `${QUOTAS}/${Q}`, as(P, 'member', 'reader'), 403)
      await t.expectStatus('PUT', `${QUOTAS}/${P}`, as(Q, 'load-balancer_quota_admin'), 403, { quota: { listener: 1 } })
      assert.ok(projects(await t.expectStatus('GET', QUOTAS, asSystem('reader'), 200)).includes(P))
      await t.expectStatus('DELETE', `${QUOTAS}/${P}`, as(Q, 'admin'), 202)
    })

    it('when the file overrides API rules, then failover is open to members and vip_sg_ids to nobody', async () => {
      await t.expectStatus('PUT', `${LBS}/${lbP}/failover`, as(P, 'member', 'reader'), 202)
      await t.active(lbP)
      await t.expectStatus('PUT', `${LBS}/${lbP}/failover`, as(P, 'reader'), 403)
      for (const who of [as(P, 'member', 'reader'), as(P, 'admin')]) {
        await t.expectStatus('POST', LBS, who, 403, { loadbalancer: { vip_subnet_id: t.subnet(), vip_sg_ids: [] } })
      }
    })
  })

  describe(`RBAC with enforce_new_defaults = true (${dialect})`, () => {
    const t = harness({ oslo_policy: { enforce_new_defaults: 'true' } })
    let lbP: string
    before(async () => { lbP = await t.lbOf(P) })

    it('when only the new defaults count, then load-balancer_* roles need Keystone\'s role beside them and a project admin is refused (Octavia 11)', async () => {
      await t.expectStatus('GET', `${LBS}/${lbP}`, as(P, 'load-balancer_member'), 403)
      await t.expectStatus('GET', `${LBS}/${lbP}`, as(P, 'load-balancer_observer'), 403)
      await t.expectStatus('GET', `${LBS}/${lbP}`, as(P, 'load-balancer_observer', 'reader'), 200)
      await t.expectStatus('PUT', `${LBS}/${lbP}`, as(P, 'load-balancer_member', 'member'), 200, { loadbalancer: { name: 'x' } })
      await t.active(lbP)
      await t.expectStatus('GET', `${LBS}/${lbP}`, as(Q, 'admin', 'member', 'reader'), 403)
      await t.expectStatus('PUT', `${LBS}/${lbP}/failover`, asSystem('admin', 'member', 'reader'), 202)
      await t.active(lbP)
      await t.expectStatus('PUT', `${LBS}/${lbP}/failover`, as(Q, 'load-balancer_admin'), 202)
      await t.active(lbP)
    })
  })

  describe(`RBAC with enforce_scope = true (${dialect})`, () => {
    const t = harness({ oslo_policy: { enforce_scope: 'true' } })
    let lbP: string
    before(async () => { lbP = await t.lbOf(P) })

    it('when scope is enforced, then a project-scoped admin is no admin, a system-scoped one is, and project roles still work', async () => {
      await t.expectStatus('GET', `${LBS}/${lbP}`, as(Q, 'admin'), 403)
      await t.expectStatus('GET', `${LBS}/${lbP}`, asSystem('admin'), 200)
      await t.expectStatus('GET', `${LBS}/${lbP}`, as(Q, 'load-balancer_admin'), 200)
      await t.expectStatus('PUT', `${LBS}/${lbP}`, as(P, 'load-balancer_member'), 200, { loadbalancer: { name: 'y' } })
      await t.active(lbP)
    })
  })
}
