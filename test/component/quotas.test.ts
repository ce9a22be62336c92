import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'
import { addListener, addPool, assertFault, L7_HARNESS_OPTIONS, settle, statusOf } from '../support/l7-fixtures.js'

const QUOTAS = '/v2/lbaas/quotas'
const LBS = '/v2/lbaas/loadbalancers'
const SUBNET = '11111111-2222-3333-4444-555555555555'
const met = (name: string) => `Quota has been met for resources: ${name}`

/** Quota tests run with the noop network driver and quotas enforced although auth_strategy is noauth. */
const ENFORCED = { ...L7_HARNESS_OPTIONS, quotas: { enforce_with_noauth: 'true' } }

/** Every quota attribute of a response, both spellings. */
const full = (projectId: string, q: Record<string, number | null>) => ({
  project_id: projectId,
  loadbalancer: q.load_balancer, load_balancer: q.load_balancer,
  listener: q.listener, member: q.member, pool: q.pool,
  healthmonitor: q.health_monitor, health_monitor: q.health_monitor,
  l7policy: q.l7policy, l7rule: q.l7rule,
})
const ALL_DEFAULT = { load_balancer: -1, listener: -1, pool: -1, health_monitor: -1, member: -1, l7policy: -1, l7rule: -1 }

type Table = 'load_balancer' | 'listener' | 'pool' | 'member' | 'health_monitor' | 'l7policy' | 'l7rule'

for (const dialect of testDialects) {
  describe(`quotas (${dialect})`, () => {
    describe('the quota API', () => {
      let h: Harness
      before(async () => { h = await startHarness(dialect, ENFORCED) })
      after(async () => { await h.close() })

      it('when no project has a quota row, then the list is empty', async () => {
        const r = await h.request('GET', QUOTAS)
        assert.equal(r.status, 200)
        assert.deepEqual(r.body, { quotas: [], quotas_links: [] })
      })

      it('when quotas are set, then PUT answers 202 with both spellings and the list shows them in creation order', async () => {
        const p1 = randomUUID()
        const p2 = randomUUID()
        const q1 = { load_balancer: -1, listener: 30, pool: 30, health_monitor: 30, member: 30, l7policy: 30, l7rule: 30 }
        const q2 = { load_balancer: 50, listener: 50, pool: 50, health_monitor: 50, member: 50, l7policy: 50, l7rule: 50 }
        let r = await h.request('PUT', `${QUOTAS}/${p1}`, { quota: q1 })
        assert.equal(r.status, 202)
        assert.deepEqual(r.body, { quota: full(p1, q1) })
        r = await h.request('PUT', `${QUOTAS}/${p2}`, { quota: { loadbalancer: 50, listener: 50, pool: 50, healthmonitor: 50, member: 50, l7policy: 50, l7rule: 50 } })
        assert.equal(r.status, 202)
        assert.deepEqual(r.body, { quota: full(p2, q2) })
        r = await h.request('GET', QUOTAS)
        assert.deepEqual(r.body, { quotas: [full(p1, q1), full(p2, q2)], quotas_links: [] })
        r = await h.request('GET', `${QUOTAS}?project_id=${p2}`)
        assert.deepEqual(r.body, { quotas: [full(p2, q2)], quotas_links: [] })
      })

      it('when both spellings are given, then loadbalancer and healthmonitor win', async () => {
        const p = randomUUID()
        const r = await h.request('PUT', `${QUOTAS}/${p}`, { quota: { load_balancer: 1, loadbalancer: 2, health_monitor: 3, healthmonitor: 4 } })
        assert.equal(r.body.quota.loadbalancer, 2)
        assert.equal(r.body.quota.load_balancer, 2)
        assert.equal(r.body.quota.healthmonitor, 4)
        assert.equal(r.body.quota.health_monitor, 4)
      })

      it('when a project sets some limits, then GET fills the defaults and the list shows null for the others', async () => {
        const p = randomUUID()
        const r = await h.request('PUT', `${QUOTAS}/${p}`, { quota: { load_balancer: 30, listener: null, pool: 30 } })
        assert.deepEqual(r.body, { quota: full(p, { ...ALL_DEFAULT, load_balancer: 30, pool: 30 }) })
        const g = await h.request('GET', `${QUOTAS}/${p}`)
        assert.deepEqual(g.body, { quota: full(p, { ...ALL_DEFAULT, load_balancer: 30, pool: 30 }) })
        const l = await h.request('GET', `${QUOTAS}?project_id=${p}`)
        assert.deepEqual(l.body.quotas, [full(p, {
          load_balancer: 30, listener: null, pool: 30, health_monitor: null, member: null, l7policy: null, l7rule: null,
        })])
        const again = await h.request('PUT', `${QUOTAS}/${p}`, { quota: { member: 7 } })
        assert.deepEqual(again.body.quota, full(p, { ...ALL_DEFAULT, load_balancer: 30, pool: 30, member: 7 }))
      })

      it('when asking a project without a row, the defaults or a project\'s defaults, then the configured defaults', async () => {
        const p = randomUUID()
        assert.deepEqual((await h.request('GET', `${QUOTAS}/${p}`)).body, { quota: full(p, ALL_DEFAULT) })
        assert.deepEqual((await h.request('GET', `${QUOTAS}/defaults`)).body, { quota: full('defaults', ALL_DEFAULT) })
        await h.request('PUT', `${QUOTAS}/${p}`, { quota: { load_balancer: 3 } })
        assert.deepEqual((await h.request('GET', `${QUOTAS}/${p}/default`)).body, { quota: full(p, ALL_DEFAULT) })
        const list = await h.request('GET', `${QUOTAS}?project_id=defaults`)
        assert.deepEqual(list.body.quotas, [])
      })

      it('when a quota is deleted, then 202 and its limits return to the defaults; an unknown project is 404', async () => {
        const p = randomUUID()
        await h.request('PUT', `${QUOTAS}/${p}`, { quota: { load_balancer: 30, listener: 30 } })
        const d = await h.request('DELETE', `${QUOTAS}/${p}`)
        assert.equal(d.status, 202)
        assert.equal(d.body, null)
        assert.deepEqual((await h.request('GET', `${QUOTAS}/${p}`)).body, { quota: full(p, ALL_DEFAULT) })
        assertFault(await h.request('DELETE', `${QUOTAS}/bogus`), 404, 'Quotas bogus not found.')
      })

      it('when a limit is out of range, unknown or not an integer, then 400', async () => {
        const p = randomUUID()
        assertFault(await h.request('PUT', `${QUOTAS}/${p}`, { quota: { load_balancer: -2 } }), 400,
          "Invalid input for field/attribute load_balancer. Value: '-2'. Value should be greater or equal to -1")
        assertFault(await h.request('PUT', `${QUOTAS}/${p}`, { quota: { listener: 2000000001 } }), 400,
          "Invalid input for field/attribute listener. Value: '2000000001'. Value should be lower or equal to 2000000000")
        assert.equal((await h.request('PUT', `${QUOTAS}/${p}`, { quota: { pool: 'many' } })).status, 400)
        assert.equal((await h.request('PUT', `${QUOTAS}/${p}`, { quota: { bogus: 1 } })).status, 400)
        assert.equal((await h.request('PUT', `${QUOTAS}/${p}`, {})).status, 400)
        assert.deepEqual((await h.request('GET', `${QUOTAS}?project_id=${p}`)).body.quotas, [])
      })

      it('when sorted and paged, then Octavia\'s list parameters apply (the marker is a project id)', async () => {
        const tag = randomUUID().slice(0, 8)
        for (const [i, lb] of [[1, 3], [2, 1], [3, 2]]) {
          await h.request('PUT', `${QUOTAS}/${tag}-${i}`, { quota: { load_balancer: lb, member: 1000 + lb } })
        }
        const mine = (body: any) => body.quotas.filter((q: any) => q.project_id.startsWith(tag))
        const desc = mine((await h.request('GET', `${QUOTAS}?sort=load_balancer:desc`)).body)
        const asc = mine((await h.request('GET', `${QUOTAS}?sort=loadbalancer:asc`)).body)
        assert.deepEqual(desc.map((q: any) => q.load_balancer), [3, 2, 1])
        assert.deepEqual(asc.map((q: any) => q.member), [1001, 1002, 1003])
        const page = await h.request('GET', `${QUOTAS}?member=1003&limit=1`)
        assert.deepEqual(page.body.quotas.map((q: any) => q.project_id), [`${tag}-1`])
        assert.equal(page.body.quotas_links[0].rel, 'next')
        const first = await h.request('GET', `${QUOTAS}?limit=1`)
        const next = await h.request('GET', `${QUOTAS}?limit=1&marker=${first.body.quotas[0].project_id}`)
        assert.notEqual(next.body.quotas[0].project_id, first.body.quotas[0].project_id)
        assertFault(await h.request('GET', `${QUOTAS}?marker=nobody`), 400, "Supplied pagination marker 'nobody' is not valid.")
      })
    })

    describe('enforcement', () => {
      let h: Harness
      before(async () => { h = await startHarness(dialect, ENFORCED) })
      after(async () => { await h.close() })

      const setQuota = async (projectId: string, quota: Record<string, number>) => {
        const r = await h.request('PUT', `${QUOTAS}/${projectId}`, { quota })
        assert.equal(r.status, 202, JSON.stringify(r.body))
      }
      const count = async (table: Table, projectId: string): Promise<number> => {
        const row = await h.deps.database.db.selectFrom(table as 'pool').select(eb => eb.fn.countAll<number>().as('n'))
          .where('project_id', '=', projectId).where('provisioning_status', '!=', 'DELETED').executeTakeFirstOrThrow()
        return Number(row.n)
      }
      const jobs = async (): Promise<number> => {
        const row = await h.deps.database.db.selectFrom('job').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
        return Number(row.n)
      }
      const lb = async (projectId: string, extra: Record<string, unknown> = {}) =>
        h.request('POST', LBS, { loadbalancer: { vip_subnet_id: SUBNET, project_id: projectId, ...extra } })
      const activeLb = async (projectId: string): Promise<string> => {
        const r = await lb(projectId)
        assert.equal(r.status, 201, JSON.stringify(r.body))
        await settle(h, r.body.loadbalancer.id)
        return r.body.loadbalancer.id
      }
      /** Expects a 403 quota answer that changed nothing: the LB still ACTIVE, no row and no job added. */
      const refused = async (call: () => Promise<{ status: number; body: any }>, name: string, table: Table, projectId: string, lbId?: string) => {
        const rows = await count(table, projectId)
        const before = await jobs()
        assertFault(await call(), 403, met(name))
        assert.equal(await count(table, projectId), rows)
        assert.equal(await jobs(), before)
        if (lbId) assert.equal(await statusOf(h, 'load_balancer', lbId), 'ACTIVE')
      }

      it('when the load balancer quota is met, then 403 and nothing is written; PENDING ones count, DELETED ones do not', async () => {
        const p = randomUUID()
        await setQuota(p, { load_balancer: 1 })
        const first = await lb(p)
        assert.equal(first.status, 201)
        await refused(() => lb(p), 'Load Balancer', 'load_balancer', p)
        await settle(h, first.body.loadbalancer.id)
        assert.equal((await h.request('DELETE', `${LBS}/${first.body.loadbalancer.id}`)).status, 204)
        const deadline = Date.now() + 10000
        while ((await statusOf(h, 'load_balancer', first.body.loadbalancer.id)) !== 'DELETED') {
          assert.ok(Date.now() < deadline, 'load balancer was not deleted')
          await new Promise(r => setTimeout(r, 10))
        }
        assert.equal((await lb(p)).status, 201)
      })

      it('when other projects or unlimited resources are involved, then only the project\'s own limit applies', async () => {
        const p = randomUUID()
        await setQuota(p, { load_balancer: 0, listener: -1 })
        await refused(() => lb(p), 'Load Balancer', 'load_balancer', p)
        assert.equal((await lb(randomUUID())).status, 201)
      })

      it('when the listener quota is met, then 403, the load balancer stays ACTIVE and no listener is added', async () => {
        const p = randomUUID()
        const lbId = await activeLb(p)
        await setQuota(p, { listener: 1 })
        await addListener(h, lbId, 'HTTP')
        await refused(() => h.request('POST', '/v2/lbaas/listeners', { listener: { loadbalancer_id: lbId, protocol: 'HTTP', protocol_port: 8080 } }),
          'Listener', 'listener', p, lbId)
      })

      it('when the pool quota is met, then 403; a listener\'s embedded default pool counts too', async () => {
        const p = randomUUID()
        const lbId = await activeLb(p)
        await setQuota(p, { pool: 1 })
        await addPool(h, lbId)
        await refused(() => h.request('POST', '/v2/lbaas/pools', { pool: { loadbalancer_id: lbId, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' } }),
          'Pool', 'pool', p, lbId)
        await refused(() => h.request('POST', '/v2/lbaas/listeners', {
          listener: { loadbalancer_id: lbId, protocol: 'HTTP', protocol_port: 81, default_pool: { name: 'dp', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' } },
        }), 'Pool', 'listener', p, lbId)
      })

      it('when the health monitor quota is met, then 403 "Health Monitor"', async () => {
        const p = randomUUID()
        const lbId = await activeLb(p)
        const pools = [await addPool(h, lbId), await addPool(h, lbId)]
        await setQuota(p, { health_monitor: 1 })
        const hm = (poolId: string) => h.request('POST', '/v2/lbaas/healthmonitors', {
          healthmonitor: { pool_id: poolId, type: 'HTTP', delay: 5, timeout: 3, max_retries: 3 },
        })
        assert.equal((await hm(pools[0])).status, 201)
        await settle(h, lbId)
        await refused(() => hm(pools[1]), 'Health Monitor', 'health_monitor', p, lbId)
        assert.equal(await statusOf(h, 'pool', pools[1]), 'ACTIVE')
      })

      it('when the member quota is met, then 403 "Member"; a batch counts its new members less the removed ones', async () => {
        const p = randomUUID()
        const lbId = await activeLb(p)
        const poolId = await addPool(h, lbId)
        const members = `/v2/lbaas/pools/${poolId}/members`
        await setQuota(p, { member: 2 })
        for (const address of ['192.0.2.1', '192.0.2.2']) {
          assert.equal((await h.request('POST', members, { member: { address, protocol_port: 80 } })).status, 201)
          await settle(h, lbId)
        }
        await refused(() => h.request('POST', members, { member: { address: '192.0.2.3', protocol_port: 80 } }), 'Member', 'member', p, lbId)
        const batch = (addresses: string[], additive = false) => h.request('PUT', `${members}${additive ? '?additive_only=true' : ''}`,
          { members: addresses.map(address => ({ address, protocol_port: 80 })) })
        // replacing both members adds none on balance
        let r = await batch(['192.0.2.3', '192.0.2.4'])
        assert.equal(r.status, 202, JSON.stringify(r.body))
        await settle(h, lbId)
        await refused(() => batch(['192.0.2.5'], true), 'Member', 'member', p, lbId)
        await refused(() => batch(['192.0.2.3', '192.0.2.4', '192.0.2.5']), 'Member', 'member', p, lbId)
        r = await batch(['192.0.2.3', '192.0.2.5'])
        assert.equal(r.status, 202, JSON.stringify(r.body))
        await settle(h, lbId)
        assert.equal(await count('member', p), 2)
      })

      it('when the L7 policy or L7 rule quota is met, then 403 "L7 Policy" / "L7 Rule"', async () => {
        const p = randomUUID()
        const lbId = await activeLb(p)
        const listenerId = await addListener(h, lbId, 'HTTP')
        await setQuota(p, { l7policy: 1, l7rule: 1 })
        const policy = (body: Record<string, unknown> = {}) =>
          h.request('POST', '/v2/lbaas/l7policies', { l7policy: { listener_id: listenerId, action: 'REJECT', ...body } })
        const first = await policy()
        assert.equal(first.status, 201)
        await settle(h, lbId)
        await refused(() => policy(), 'L7 Policy', 'l7policy', p, lbId)
        const rule = () => h.request('POST', `/v2/lbaas/l7policies/${first.body.l7policy.id}/rules`,
          { rule: { type: 'PATH', compare_type: 'STARTS_WITH', value: '/a' } })
        assert.equal((await rule()).status, 201)
        await settle(h, lbId)
        await refused(rule, 'L7 Rule', 'l7rule', p, lbId)
        assert.equal(await statusOf(h, 'l7policy', first.body.l7policy.id), 'ACTIVE')
      })

      describe('single-call creates', () => {
        const graph = (projectId: string) => lb(projectId, {
          pools: [
            {
              name: 'p1', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN',
              healthmonitor: { type: 'HTTP', delay: 5, timeout: 3, max_retries: 3 },
              members: [{ address: '192.0.2.1', protocol_port: 80 }, { address: '192.0.2.2', protocol_port: 80 }],
            },
            { name: 'p2', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' },
          ],
          listeners: [{
            protocol: 'HTTP', protocol_port: 80, default_pool: { name: 'p1' },
            l7policies: [{ action: 'REDIRECT_TO_POOL', redirect_pool: { name: 'p2' }, rules: [
              { type: 'PATH', compare_type: 'STARTS_WITH', value: '/a' },
              { type: 'HOST_NAME', compare_type: 'EQUAL_TO', value: 'example.com' },
            ] }],
          }],
        })
        const exact = { load_balancer: 1, pool: 2, health_monitor: 1, member: 2, listener: 1, l7policy: 1, l7rule: 2 }

        it('when every object fits, then the whole tree is created', async () => {
          const p = randomUUID()
          await setQuota(p, exact)
          const r = await graph(p)
          assert.equal(r.status, 201, JSON.stringify(r.body))
          await settle(h, r.body.loadbalancer.id)
        })

        for (const [resource, name] of [
          ['load_balancer', 'Load Balancer'], ['pool', 'Pool'], ['health_monitor', 'Health Monitor'], ['member', 'Member'],
          ['listener', 'Listener'], ['l7policy', 'L7 Policy'], ['l7rule', 'L7 Rule'],
        ] as const) {
          it(`when one ${resource} too many is asked, then 403 "${name}" and no object of the tree exists`, async () => {
            const p = randomUUID()
            await setQuota(p, { ...exact, [resource]: exact[resource] - 1 })
            const before = await jobs()
            assertFault(await graph(p), 403, met(name))
            for (const table of ['load_balancer', 'listener', 'pool', 'member', 'health_monitor', 'l7policy', 'l7rule'] as const) {
              assert.equal(await count(table, p), 0, `${table} rows written`)
            }
            assert.equal(await jobs(), before)
          })
        }
      })
    })

    describe('defaults and the noauth rule', () => {
      it('when [quotas] defaults are 0 and enforced, then creates are refused and GET shows the defaults', async () => {
        const h = await startHarness(dialect, { ...ENFORCED, quotas: { enforce_with_noauth: 'true', default_load_balancer_quota: '0', default_member_quota: '5' } })
        try {
          const p = randomUUID()
          assertFault(await h.request('POST', LBS, { loadbalancer: { vip_subnet_id: SUBNET, project_id: p } }), 403, met('Load Balancer'))
          const g = await h.request('GET', `${QUOTAS}/${p}`)
          assert.deepEqual(g.body, { quota: full(p, { ...ALL_DEFAULT, load_balancer: 0, member: 5 }) })
          await h.request('PUT', `${QUOTAS}/${p}`, { quota: { load_balancer: 1 } })
          assert.equal((await h.request('POST', LBS, { loadbalancer: { vip_subnet_id: SUBNET, project_id: p } })).status, 201)
        } finally {
          await h.close()
        }
      })

      it('when auth_strategy is noauth without enforce_with_noauth, then quotas are not enforced (as Octavia)', async () => {
        const h = await startHarness(dialect, { ...L7_HARNESS_OPTIONS, quotas: { default_load_balancer_quota: '0' } })
        try {
          const r = await h.request('POST', LBS, { loadbalancer: { vip_subnet_id: SUBNET } })
          assert.equal(r.status, 201, JSON.stringify(r.body))
          assert.deepEqual((await h.request('GET', QUOTAS)).body, { quotas: [], quotas_links: [] })
        } finally {
          await h.close()
        }
      })
    })

    describe('concurrency', () => {
      let h: Harness
      before(async () => { h = await startHarness(dialect, ENFORCED) })
      after(async () => { await h.close() })

      it('when many creates of one project race, then exactly the quota succeeds', async () => {
        const p = randomUUID()
        await h.request('PUT', `${QUOTAS}/${p}`, { quota: { load_balancer: 3 } })
        const answers = await Promise.all(Array.from({ length: 10 }, () =>
          h.request('POST', LBS, { loadbalancer: { vip_subnet_id: SUBNET, project_id: p } })))
        const statuses = answers.map(a => a.status).sort()
        assert.deepEqual(statuses, [201, 201, 201, 403, 403, 403, 403, 403, 403, 403], JSON.stringify(answers.map(a => a.body)))
        const row = await h.deps.database.db.selectFrom('load_balancer').select(eb => eb.fn.countAll<number>().as('n'))
          .where('project_id', '=', p).executeTakeFirstOrThrow()
        assert.equal(Number(row.n), 3)
      })

      it('when child creates on different load balancers of one project race, then exactly the quota succeeds', async () => {
        const p = randomUUID()
        const lbIds: string[] = []
        for (let i = 0; i < 6; i++) {
          const r = await h.request('POST', LBS, { loadbalancer: { vip_subnet_id: SUBNET, project_id: p } })
          lbIds.push(r.body.loadbalancer.id)
        }
        for (const id of lbIds) await settle(h, id)
        await h.request('PUT', `${QUOTAS}/${p}`, { quota: { listener: 2 } })
        const answers = await Promise.all(lbIds.map(id =>
          h.request('POST', '/v2/lbaas/listeners', { listener: { loadbalancer_id: id, protocol: 'TCP', protocol_port: 443 } })))
        assert.deepEqual(answers.map(a => a.status).filter(s => s === 201).length, 2, JSON.stringify(answers.map(a => a.body)))
        assert.ok(answers.every(a => a.status === 201 || (a.status === 403 && a.body.faultstring === met('Listener'))))
        const row = await h.deps.database.db.selectFrom('listener').select(eb => eb.fn.countAll<number>().as('n'))
          .where('project_id', '=', p).executeTakeFirstOrThrow()
        assert.equal(Number(row.n), 2)
      })
    })
  })
}
