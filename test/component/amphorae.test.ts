import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { nowIso } from '../../src/common/time.js'
import type { AmphoraRow } from '../../src/db/schema.js'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'
import { as, installHeaderCallers } from '../support/test-callers.js'

const AMPS = '/v2/octavia/amphorae'
const LBS = '/v2/lbaas/loadbalancers'
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const FIELDS = ['id', 'loadbalancer_id', 'compute_id', 'lb_network_ip', 'vrrp_ip', 'ha_ip', 'vrrp_port_id', 'ha_port_id',
  'cert_expiration', 'cert_busy', 'role', 'status', 'vrrp_interface', 'vrrp_id', 'vrrp_priority', 'cached_zone',
  'created_at', 'updated_at', 'image_id', 'compute_flavor']
const FORBIDDEN = 'Policy does not allow this request to be performed.'

/** Helpers over one harness. */
function helpers(get: () => Harness) {
  const fault = async (method: string, url: string, status: number, message: string, headers?: Record<string, string>) => {
    const r = await get().request(method, url, undefined, headers)
    assert.equal(r.status, status, JSON.stringify(r.body))
    assert.equal(r.body.faultstring, message)
  }
  /** A load balancer created through the API and ACTIVE, with the amphorae the noop provider gave it. */
  const activeLb = async (extra: Record<string, unknown> = {}) => {
    const h = get()
    const subnetId = h.deps.network.listSubnets().find(s => s.name === 'public-subnet')!.id
    const r = await h.request('POST', LBS, { loadbalancer: { vip_subnet_id: subnetId, ...extra } })
    assert.equal(r.status, 201, JSON.stringify(r.body))
    const lb = await h.waitFor(`${LBS}/${r.body.loadbalancer.id}`)
    return lb.loadbalancer as Record<string, any>
  }
  const ampsOf = async (lbId: string): Promise<any[]> => {
    const r = await get().request('GET', `${AMPS}?loadbalancer_id=${lbId}`)
    assert.equal(r.status, 200, JSON.stringify(r.body))
    return r.body.amphorae
  }
  /** Inserts an amphora row (no load balancer unless given). */
  const insertAmp = async (values: Partial<AmphoraRow> = {}): Promise<string> => {
    const id = values.id ?? randomUUID()
    await get().deps.database.db.insertInto('amphora').values({
      id, load_balancer_id: null, compute_id: randomUUID(), status: 'ALLOCATED', lb_network_ip: '192.168.1.2',
      vrrp_ip: '192.168.1.5', ha_ip: '192.168.1.10', vrrp_port_id: randomUUID(), ha_port_id: randomUUID(),
      role: 'MASTER', cert_expiration: null, cert_busy: 0, vrrp_interface: 'eth1', vrrp_id: 1, vrrp_priority: 100,
      cached_zone: null, image_id: null, compute_flavor: null, created_at: nowIso(), updated_at: null, ...values,
    }).execute()
    return id
  }
  const statusOf = async (id: string) =>
    (await get().deps.database.db.selectFrom('amphora').select('status').where('id', '=', id).executeTakeFirst())?.status
  const waitForStatus = async (id: string, want: string) => {
    const deadline = Date.now() + 5000
    while ((await statusOf(id)) !== want) {
      if (Date.now() > deadline) throw new Error(`amphora ${id} is ${await statusOf(id)}, not ${want}`)
      await new Promise(r => setTimeout(r, 10))
    }
  }
  const jobsOf = async (operation: string) => get().deps.database.db.selectFrom('job')
    .select(['provider', 'load_balancer_id', 'payload']).where('operation', '=', operation).execute()
  return { fault, activeLb, ampsOf, insertAmp, statusOf, waitForStatus, jobsOf }
}

for (const dialect of testDialects) {
  describe(`amphorae (${dialect})`, () => {
    let h: Harness
    before(async () => { h = await startHarness(dialect, {}, installHeaderCallers) })
    after(async () => { await h.close() })
    const { fault, activeLb, ampsOf, insertAmp, statusOf, waitForStatus, jobsOf } = helpers(() => h)

    describe('records of the noop provider', () => {
      it('when a SINGLE load balancer is created, then it has one ALLOCATED STANDALONE amphora on its VIP', async () => {
        const lb = await activeLb()
        const amps = await ampsOf(lb.id)
        assert.equal(amps.length, 1)
        const a = amps[0]
        assert.deepEqual(Object.keys(a), FIELDS)
        assert.match(a.id, UUID)
        assert.equal(a.loadbalancer_id, lb.id)
        assert.match(a.compute_id, UUID)
        assert.match(a.lb_network_ip, /^192\.0\.2\.\d+$/)
        assert.equal(a.vrrp_ip, lb.vip_address)
        assert.equal(a.ha_ip, lb.vip_address)
        assert.match(a.vrrp_port_id, UUID)
        assert.equal(a.ha_port_id, lb.vip_port_id)
        assert.equal(a.cert_busy, false)
        assert.equal(a.role, 'STANDALONE')
        assert.equal(a.status, 'ALLOCATED')
        assert.equal(a.vrrp_priority, null)
        assert.equal(a.vrrp_id, 1, 'Octavia records VRRP id 1 for every amphora, STANDALONE ones too')
        assert.match(a.created_at, TIMESTAMP)
        assert.equal(a.updated_at, null)
        assert.match(a.cert_expiration, TIMESTAMP)
        const days = (Date.parse(`${a.cert_expiration}Z`) - Date.now()) / 86_400_000
        assert.ok(days > 29.9 && days <= 30, `certificate valid for ${days} days`)
        assert.deepEqual((await h.request('GET', `${AMPS}/${a.id}`)).body, { amphora: a })
      })

      it('when a load balancer is deleted, then its amphorae are DELETED: gone from the API, rows kept', async () => {
        const lb = await activeLb()
        const [amp] = await ampsOf(lb.id)
        assert.equal((await h.request('DELETE', `${LBS}/${lb.id}`)).status, 204)
        await waitForStatus(amp.id, 'DELETED')
        assert.deepEqual(await ampsOf(lb.id), [])
        await fault('GET', `${AMPS}/${amp.id}`, 404, `Amphora ${amp.id} not found.`)
      })

      it('when a load balancer fails over, then its amphora is replaced by a new one in the same role and the LB is ACTIVE', async () => {
        const lb = await activeLb()
        const [old] = await ampsOf(lb.id)
        assert.equal((await h.request('PUT', `${LBS}/${lb.id}/failover`)).status, 202)
        await waitForStatus(old.id, 'DELETED')
        await h.waitFor(`${LBS}/${lb.id}`)
        const amps = await ampsOf(lb.id)
        assert.equal(amps.length, 1)
        assert.notEqual(amps[0].id, old.id)
        assert.notEqual(amps[0].compute_id, old.compute_id)
        assert.equal(amps[0].role, 'STANDALONE')
        assert.equal(amps[0].status, 'ALLOCATED')
        assert.equal(amps[0].ha_ip, lb.vip_address)
      })
    })

    describe('list and show', () => {
      let lbA: Record<string, any>, lbB: Record<string, any>
      before(async () => {
        lbA = await activeLb({ project_id: 'project-a' })
        lbB = await activeLb({ project_id: 'project-b' })
      })

      it('when filtered by loadbalancer_id (or load_balancer_id), then only that load balancer\'s amphorae', async () => {
        const [a] = await ampsOf(lbA.id)
        assert.deepEqual((await h.request('GET', `${AMPS}?load_balancer_id=${lbA.id}`)).body.amphorae.map((x: any) => x.id), [a.id])
        assert.deepEqual(await ampsOf(randomUUID()), [])
      })

      it('when filtered by project_id, then amphorae of that project\'s load balancers only', async () => {
        const r = await h.request('GET', `${AMPS}?project_id=project-b`)
        assert.deepEqual(r.body.amphorae.map((x: any) => x.loadbalancer_id), [lbB.id])
        assert.deepEqual((await h.request('GET', `${AMPS}?project_id=nobody`)).body.amphorae, [])
      })

      it('when filtered by id, role or status, then equality filters apply; an unknown key is a 400', async () => {
        const [b] = await ampsOf(lbB.id)
        assert.deepEqual((await h.request('GET', `${AMPS}?id=${b.id}`)).body.amphorae.map((x: any) => x.id), [b.id])
        const standalone = (await h.request('GET', `${AMPS}?role=STANDALONE&status=ALLOCATED`)).body.amphorae
        assert.ok(standalone.some((x: any) => x.id === b.id))
        assert.ok(standalone.every((x: any) => x.role === 'STANDALONE' && x.status === 'ALLOCATED'))
        await fault('GET', `${AMPS}?bogus=1`, 400, 'One or more arguments are either duplicate or invalid')
      })

      it('when sorted by role, then desc is asc reversed; project_id is not a sort key', async () => {
        await insertAmp({ role: 'MASTER' })
        const asc = (await h.request('GET', `${AMPS}?sort=role:asc`)).body.amphorae.map((x: any) => `${x.role}`)
        const desc = (await h.request('GET', `${AMPS}?sort=role:desc`)).body.amphorae.map((x: any) => `${x.role}`)
        assert.deepEqual(asc, [...asc].sort())
        assert.deepEqual(desc, [...asc].reverse())
        await fault('GET', `${AMPS}?sort=project_id:asc`, 400, "Supplied sort key 'project_id' is not valid.")
      })

      it('when paginated, then next and previous links follow the marker; an unknown marker is a 400', async () => {
        const all = (await h.request('GET', AMPS)).body.amphorae.map((x: any) => x.id)
        assert.ok(all.length >= 3)
        const first = (await h.request('GET', `${AMPS}?limit=2`)).body
        assert.deepEqual(first.amphorae.map((x: any) => x.id), all.slice(0, 2))
        assert.deepEqual(first.amphorae_links.map((l: any) => l.rel), ['next'])
        assert.match(first.amphorae_links[0].href, new RegExp(`/v2/octavia/amphorae\\?limit=2&marker=${all[1]}$`))
        const middle = (await h.request('GET', `${AMPS}?limit=1&marker=${all[0]}`)).body
        assert.deepEqual(middle.amphorae.map((x: any) => x.id), [all[1]])
        assert.deepEqual(middle.amphorae_links.map((l: any) => l.rel), ['previous', 'next'])
        const bad = randomUUID()
        await fault('GET', `${AMPS}?marker=${bad}`, 400, `Supplied pagination marker '${bad}' is not valid.`)
      })

      it('when fields are asked for, then only those attributes are shown (list and one)', async () => {
        const list = (await h.request('GET', `${AMPS}?fields=id&fields=role`)).body.amphorae
        for (const a of list) assert.deepEqual(Object.keys(a), ['id', 'role'])
        const one = (await h.request('GET', `${AMPS}/${list[0].id}?fields=id,role`)).body.amphora
        assert.deepEqual(Object.keys(one), ['id', 'role'])
      })

      it('when an amphora is DELETED or unknown, then it is 404 and not listed', async () => {
        const id = await insertAmp({ status: 'DELETED' })
        await fault('GET', `${AMPS}/${id}`, 404, `Amphora ${id} not found.`)
        assert.ok(!(await h.request('GET', AMPS)).body.amphorae.some((x: any) => x.id === id))
        const unknown = randomUUID()
        await fault('GET', `${AMPS}/${unknown}`, 404, `Amphora ${unknown} not found.`)
      })

      it('when reached through /v2.0/octavia, then it is the same API', async () => {
        const [a] = await ampsOf(lbA.id)
        assert.equal((await h.request('GET', `/v2.0/octavia/amphorae/${a.id}`)).body.amphora.id, a.id)
      })
    })

    describe('stats', () => {
      it('when the amphora reported listener counters, then one entry per listener; none is a 404', async () => {
        const lb = await activeLb()
        const [amp] = await ampsOf(lb.id)
        const [l1, l2] = [randomUUID(), randomUUID()].sort()
        await h.deps.database.db.insertInto('listener_statistics').values([
          { listener_id: l2, amphora_id: amp.id, bytes_in: 6, bytes_out: 7, active_connections: 8, total_connections: 9, request_errors: 10, updated_at: null },
          { listener_id: l1, amphora_id: amp.id, bytes_in: 1, bytes_out: 2, active_connections: 3, total_connections: 4, request_errors: 5, updated_at: null },
        ]).execute()
        const r = await h.request('GET', `${AMPS}/${amp.id}/stats`)
        assert.equal(r.status, 200, JSON.stringify(r.body))
        assert.deepEqual(r.body, {
          amphora_stats: [
            { active_connections: 3, bytes_in: 1, bytes_out: 2, id: amp.id, listener_id: l1, loadbalancer_id: lb.id, request_errors: 5, total_connections: 4 },
            { active_connections: 8, bytes_in: 6, bytes_out: 7, id: amp.id, listener_id: l2, loadbalancer_id: lb.id, request_errors: 10, total_connections: 9 },
          ],
        })
        const quiet = await insertAmp()
        await fault('GET', `${AMPS}/${quiet}/stats`, 404, `Amphora stats for ${quiet} not found.`)
        await fault('GET', `${AMPS}/bogus_id/stats`, 404, 'Amphora stats for bogus_id not found.')
      })
    })

    describe('failover', () => {
      it('when the load balancer is ACTIVE, then 202, a failover_amphora job of its provider, a replacement in the same role and the LB ACTIVE', async () => {
        const lb = await activeLb()
        const [old] = await ampsOf(lb.id)
        const r = await h.request('PUT', `${AMPS}/${old.id}/failover`, {})
        assert.equal(r.status, 202, JSON.stringify(r.body))
        assert.equal(r.body, null)
        const jobs = (await jobsOf('failover_amphora')).filter(j => j.load_balancer_id === lb.id)
        assert.deepEqual(jobs.map(j => [j.provider, JSON.parse(j.payload)]), [['noop_driver', { amphoraId: old.id }]])
        await waitForStatus(old.id, 'DELETED')
        await h.waitFor(`${LBS}/${lb.id}`)
        const [fresh] = await ampsOf(lb.id)
        assert.notEqual(fresh.id, old.id)
        assert.equal(fresh.role, old.role)
        assert.equal(fresh.status, 'ALLOCATED')
      })

      it('when the load balancer is not ACTIVE, then 409 and no job', async () => {
        const lb = await activeLb()
        const [amp] = await ampsOf(lb.id)
        await h.deps.database.db.updateTable('load_balancer').set({ provisioning_status: 'PENDING_UPDATE' }).where('id', '=', lb.id).execute()
        await fault('PUT', `${AMPS}/${amp.id}/failover`, 409, `Load Balancer ${lb.id} is immutable and cannot be updated.`)
        assert.equal((await jobsOf('failover_amphora')).filter(j => j.load_balancer_id === lb.id).length, 0)
        await h.deps.database.db.updateTable('load_balancer').set({ provisioning_status: 'ACTIVE' }).where('id', '=', lb.id).execute()
      })

      it('when the amphora is unknown or DELETED, then 404', async () => {
        await fault('PUT', `${AMPS}/asdf/failover`, 404, 'Amphora asdf not found.')
        const id = await insertAmp({ status: 'DELETED' })
        await fault('PUT', `${AMPS}/${id}/failover`, 404, `Amphora ${id} not found.`)
      })

      it('when the amphora is a spare (no load balancer), then it is just DELETED', async () => {
        const id = await insertAmp({ status: 'READY', role: null })
        assert.equal((await h.request('PUT', `${AMPS}/${id}/failover`)).status, 202)
        await waitForStatus(id, 'DELETED')
      })

      it('when the provider of its load balancer is not enabled, then the job fails: amphora and load balancer ERROR', async () => {
        const lb = await activeLb()
        const [amp] = await ampsOf(lb.id)
        await h.deps.database.db.updateTable('load_balancer').set({ provider: 'amphora' }).where('id', '=', lb.id).execute()
        assert.equal((await h.request('PUT', `${AMPS}/${amp.id}/failover`)).status, 202)
        await waitForStatus(amp.id, 'ERROR')
        await h.waitFor(`${LBS}/${lb.id}`, 'ERROR')
      })
    })

    describe('config', () => {
      it('when the amphora exists, then 202 and an update_amphora_agent_config job; no status changes', async () => {
        const lb = await activeLb()
        const [amp] = await ampsOf(lb.id)
        assert.equal((await h.request('PUT', `${AMPS}/${amp.id}/config`, {})).status, 202)
        const jobs = (await jobsOf('update_amphora_agent_config')).filter(j => j.load_balancer_id === lb.id)
        assert.deepEqual(jobs.map(j => JSON.parse(j.payload)), [{ amphoraId: amp.id }])
        const deadline = Date.now() + 5000
        for (;;) {
          const state = await h.deps.database.db.selectFrom('job').select('state')
            .where('operation', '=', 'update_amphora_agent_config').where('load_balancer_id', '=', lb.id).executeTakeFirstOrThrow()
          if (state.state === 'DONE') break
          assert.ok(Date.now() < deadline, `config job is ${state.state}`)
          await new Promise(r => setTimeout(r, 10))
        }
        assert.equal(await statusOf(amp.id), 'ALLOCATED')
        assert.equal((await h.request('GET', `${LBS}/${lb.id}`)).body.loadbalancer.provisioning_status, 'ACTIVE')
      })

      it('when the amphora is unknown or DELETED, then 404', async () => {
        await fault('PUT', `${AMPS}/bogus/config`, 404, 'Amphora bogus not found.')
        const id = await insertAmp({ status: 'DELETED' })
        await fault('PUT', `${AMPS}/${id}/config`, 404, `Amphora ${id} not found.`)
      })
    })

    describe('delete', () => {
      it('when the amphora is in ERROR, then 204, PENDING_DELETE and a delete_amphora job that makes it DELETED', async () => {
        const id = await insertAmp({ status: 'ERROR' })
        assert.equal((await h.request('DELETE', `${AMPS}/${id}`)).status, 204)
        assert.deepEqual((await jobsOf('delete_amphora')).filter(j => JSON.parse(j.payload).amphoraId === id).length, 1)
        await waitForStatus(id, 'DELETED')
        await fault('GET', `${AMPS}/${id}`, 404, `Amphora ${id} not found.`)
      })

      it('when the amphora is not in ERROR, then 409 in Octavia\'s words; unknown is 404', async () => {
        const id = await insertAmp({ status: 'ALLOCATED' })
        await fault('DELETE', `${AMPS}/${id}`, 409, `amphora ${id} is immutable and cannot be updated.`)
        assert.equal(await statusOf(id), 'ALLOCATED')
        await fault('DELETE', `${AMPS}/bogus-id`, 404, 'Amphora bogus-id not found.')
      })
    })

    describe('routing and RBAC', () => {
      it('when a method the resource lacks is used, then 405', async () => {
        const id = await insertAmp()
        assert.equal((await h.request('PUT', `${AMPS}/${id}/bogus`, {})).status, 405)
        assert.equal((await h.request('GET', `${AMPS}/${id}/failover`)).status, 405)
        assert.equal((await h.request('POST', AMPS, {})).status, 405)
      })

      it('when a project member calls any amphora action, then 403 (admin only) and nothing changes', async () => {
        const id = await insertAmp({ status: 'ERROR' })
        const member = as('project-a', 'member', 'reader')
        await fault('GET', AMPS, 403, FORBIDDEN, member)
        await fault('GET', `${AMPS}/${id}`, 403, FORBIDDEN, member)
        await fault('GET', `${AMPS}/${id}/stats`, 403, FORBIDDEN, member)
        await fault('PUT', `${AMPS}/${id}/failover`, 403, FORBIDDEN, member)
        await fault('PUT', `${AMPS}/${id}/config`, 403, FORBIDDEN, member)
        await fault('DELETE', `${AMPS}/${id}`, 403, FORBIDDEN, member)
        assert.equal(await statusOf(id), 'ERROR')
        assert.equal((await h.request('GET', `${AMPS}/${id}`, undefined, as('admin-project', 'admin'))).status, 200)
      })
    })
  })

  describe(`amphorae of ACTIVE_STANDBY load balancers (${dialect})`, () => {
    let h: Harness
    before(async () => { h = await startHarness(dialect, { controller_worker: { loadbalancer_topology: 'ACTIVE_STANDBY' } }) })
    after(async () => { await h.close() })
    const { activeLb, ampsOf, waitForStatus } = helpers(() => h)
    const vrrp = (amps: any[]) => amps.map(a => [a.role, a.vrrp_priority, a.vrrp_id]).sort()

    it('when created, then a MASTER (priority 100) and a BACKUP (90), both on the VIP', async () => {
      const lb = await activeLb()
      const amps = await ampsOf(lb.id)
      assert.deepEqual(vrrp(amps), [['BACKUP', 90, 1], ['MASTER', 100, 1]])
      for (const a of amps) assert.equal(a.ha_ip, lb.vip_address)
    })

    it('when the load balancer fails over, then both are replaced with their roles and priorities', async () => {
      const lb = await activeLb()
      const old = await ampsOf(lb.id)
      assert.equal((await h.request('PUT', `${LBS}/${lb.id}/failover`)).status, 202)
      for (const a of old) await waitForStatus(a.id, 'DELETED')
      await h.waitFor(`${LBS}/${lb.id}`)
      const fresh = await ampsOf(lb.id)
      assert.deepEqual(vrrp(fresh), [['BACKUP', 90, 1], ['MASTER', 100, 1]])
      assert.ok(fresh.every(a => !old.some(o => o.id === a.id)))
    })

    it('when the MASTER fails over, then its replacement is MASTER with priority 100 and the BACKUP stays', async () => {
      const lb = await activeLb()
      const amps = await ampsOf(lb.id)
      const master = amps.find(a => a.role === 'MASTER')
      const backup = amps.find(a => a.role === 'BACKUP')
      assert.equal((await h.request('PUT', `${AMPS}/${master.id}/failover`)).status, 202)
      await waitForStatus(master.id, 'DELETED')
      await h.waitFor(`${LBS}/${lb.id}`)
      const after = await ampsOf(lb.id)
      assert.deepEqual(vrrp(after), [['BACKUP', 90, 1], ['MASTER', 100, 1]])
      assert.ok(after.some(a => a.id === backup.id))
    })
  })
}
