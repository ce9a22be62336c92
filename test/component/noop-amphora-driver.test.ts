import assert from 'node:assert/strict'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { agentBaseDir } from '../../src/amphora-api/agent-paths.js'
import { startComposedApi, type ComposedApi } from '../support/composed-api.js'
import { loadConfig } from '../../src/common/config/load.js'
import { silentLogger } from '../../src/common/logging.js'
import type { Database } from '../../src/db/database.js'
import { NoopAmphoraDriver } from '../../src/drivers/amphora/noop/noop-amphora-driver.js'
import { NoopComputeDriver, noopComputeId } from '../../src/drivers/compute/noop/noop-compute-driver.js'
import { freshDatabase, testDialects } from '../support/databases.js'

// `[controller_worker] amphora_driver = amphora_noop_driver` with
// `compute_driver = compute_noop_driver`, wired by compose() from the
// configuration alone (no driver handed in): the amphora provider's flows run
// to the end and record amphorae, while nothing is started anywhere.

/** Command lines of every process that names `text` (HAProxy and keepalived run with their files under state_dir). */
async function processesNaming(text: string): Promise<string[]> {
  const found: string[] = []
  for (const pid of (await readdir('/proc')).filter(p => /^\d+$/.test(p))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')
    if (cmdline.includes(text)) found.push(`${pid}: ${cmdline.replace(/\0/g, ' ')}`)
  }
  return found
}

/** The entries of `dir`, none when it does not exist. */
const entriesOf = (dir: string): Promise<string[]> => readdir(dir).catch(() => [])

for (const dialect of testDialects) {
  describe(`amphora provider with the noop amphora and compute drivers (${dialect})`, () => {
    let stateDir: string
    let database: Database
    let drop: () => Promise<void>
    let api: ComposedApi
    let subnetId = ''
    const lbIds: string[] = []

    const request = (method: string, url: string, body?: unknown) => api.request(method, url, body)
    const created = async (url: string, body: unknown) => {
      const r = await request('POST', url, body)
      assert.equal(r.status, 201, JSON.stringify(r.body))
      return r.body
    }
    const lbStatus = async (lbId: string, want: string) => {
      const deadline = Date.now() + 10000
      for (;;) {
        const r = await database.db.selectFrom('load_balancer').select(['provisioning_status', 'operating_status']).where('id', '=', lbId).executeTakeFirst()
        if (r?.provisioning_status === want) return r
        if (Date.now() > deadline) throw new Error(`load balancer ${lbId} still ${JSON.stringify(r)}`)
        await new Promise(res => setTimeout(res, 10))
      }
    }
    const amphorae = (lbId: string) => database.db.selectFrom('amphora').selectAll().where('load_balancer_id', '=', lbId)
      .orderBy('role', 'desc').execute()
    const driver = () => {
      const agent = api.parts.amphora().agent
      assert.ok(agent instanceof NoopAmphoraDriver, 'the configured amphora driver is the noop one')
      return agent
    }

    before(async () => {
      stateDir = await mkdtemp(join(tmpdir(), 'octavia-ts-noop-amphora-'))
      const config = loadConfig(undefined, {
        OCTAVIA_TS__controller_worker__compute_driver: 'compute_noop_driver',
        OCTAVIA_TS__controller_worker__amphora_driver: 'amphora_noop_driver',
        OCTAVIA_TS__controller_worker__job_poll_interval_ms: '20',
        OCTAVIA_TS__api_settings__enabled_provider_drivers: 'amphora:Amphora.',
        OCTAVIA_TS__api_settings__default_provider_driver: 'amphora',
        OCTAVIA_TS__DEFAULT__state_dir: stateDir,
      })
      const db = await freshDatabase(dialect)
      database = db.database
      drop = db.drop
      api = await startComposedApi({ config, database, log: silentLogger(), retry: { maxAttempts: 2, baseBackoffMs: 5, maxBackoffMs: 10 } })
      subnetId = api.subnetId
    })
    after(async () => {
      await api.stop()
      await drop()
      await rm(stateDir, { recursive: true, force: true })
    })

    it('when a SINGLE load balancer gets a listener, a pool and a member, then each goes ACTIVE on a STANDALONE amphora record', async () => {
      const lb = (await created('/v2/lbaas/loadbalancers', { loadbalancer: { vip_subnet_id: subnetId } })).loadbalancer
      lbIds.push(lb.id)
      await lbStatus(lb.id, 'ACTIVE')
      const listener = (await created('/v2/lbaas/listeners', { listener: { loadbalancer_id: lb.id, protocol: 'HTTP', protocol_port: 80 } })).listener
      await lbStatus(lb.id, 'ACTIVE')
      const pool = (await created('/v2/lbaas/pools', { pool: { listener_id: listener.id, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' } })).pool
      await lbStatus(lb.id, 'ACTIVE')
      const member = (await created(`/v2/lbaas/pools/${pool.id}/members`, { member: { address: '127.0.0.1', protocol_port: 8080 } })).member
      // As in Octavia's noop gate: no heartbeat measures anything, so the load balancer stays OFFLINE.
      assert.deepEqual(await lbStatus(lb.id, 'ACTIVE'), { provisioning_status: 'ACTIVE', operating_status: 'OFFLINE' })
      for (const [url, key] of [[`listeners/${listener.id}`, 'listener'], [`pools/${pool.id}`, 'pool'], [`pools/${pool.id}/members/${member.id}`, 'member']]) {
        assert.equal((await request('GET', `/v2/lbaas/${url}`)).body[key].provisioning_status, 'ACTIVE', key)
      }
      const amps = await amphorae(lb.id)
      assert.deepEqual(amps.map(a => ({ status: a.status, role: a.role, compute: a.compute_id, lbNetworkIp: a.lb_network_ip, vrrpId: a.vrrp_id })),
        [{ status: 'ALLOCATED', role: 'STANDALONE', compute: noopComputeId(amps[0].id), lbNetworkIp: '192.0.2.1', vrrpId: 1 }])
      const days = (Date.parse(`${amps[0].cert_expiration}Z`) - Date.now()) / 86_400_000
      assert.ok(days > 29.9 && days <= 30, `a certificate valid for cert_validity_time (30 days), not ${days}`)
      const stats = await database.db.selectFrom('listener_statistics').select(['listener_id', 'bytes_in']).where('amphora_id', '=', amps[0].id).execute()
      assert.deepEqual(stats, [{ listener_id: listener.id, bytes_in: 0 }], 'zero counters for each listener, as the statistics API lists them')
      const haproxy = driver().haproxy(amps[0].id, lb.id)
      assert.equal(haproxy?.running, true, 'the noop driver records what an agent would run')
      assert.match(haproxy.config ?? '', new RegExp(`server ${member.id} 127.0.0.1:8080`))
    })

    it('when a load balancer has an ACTIVE_STANDBY flavor, then it goes ACTIVE on a MASTER and a BACKUP amphora record', async () => {
      const profile = (await created('/v2/lbaas/flavorprofiles', {
        flavorprofile: { name: 'as', provider_name: 'amphora', flavor_data: '{"loadbalancer_topology": "ACTIVE_STANDBY"}' },
      })).flavorprofile
      const flavor = (await created('/v2/lbaas/flavors', { flavor: { name: 'as', flavor_profile_id: profile.id } })).flavor
      const lb = (await created('/v2/lbaas/loadbalancers', {
        loadbalancer: { vip_subnet_id: subnetId, flavor_id: flavor.id, listeners: [{ protocol: 'TCP', protocol_port: 443 }] },
      })).loadbalancer
      lbIds.push(lb.id)
      await lbStatus(lb.id, 'ACTIVE')
      const amps = await amphorae(lb.id)
      assert.deepEqual(amps.map(a => [a.role, a.vrrp_priority, a.status]), [['MASTER', 100, 'ALLOCATED'], ['BACKUP', 90, 'ALLOCATED']])
      const holds = await Promise.all(amps.map(async a => (await driver().vrrpStatus({ host: '127.0.0.1' }, a.id)).holdsVip))
      assert.deepEqual(holds, [true, false], 'the MASTER holds the VIP')
      assert.deepEqual(await processesNaming(stateDir), [], 'with both load balancers ACTIVE, no HAProxy nor keepalived runs')
    })

    it('when the load balancers are deleted, then they and their amphorae are DELETED and nothing is left registered or built', async () => {
      for (const lbId of lbIds) {
        assert.equal((await request('DELETE', `/v2/lbaas/loadbalancers/${lbId}?cascade=true`)).status, 204)
        await lbStatus(lbId, 'DELETED')
        assert.equal((await request('GET', `/v2/lbaas/loadbalancers/${lbId}`)).status, 404)
        assert.deepEqual((await amphorae(lbId)).map(a => a.status), lbId === lbIds[0] ? ['DELETED'] : ['DELETED', 'DELETED'])
      }
      assert.deepEqual(driver().amphoraIds(), [])
      const compute = api.parts.amphora().compute
      assert.ok(compute instanceof NoopComputeDriver)
      assert.deepEqual(compute.built, [])
    })

    it('when everything ran, then no HAProxy or keepalived was started and no amphora file was written', async () => {
      assert.deepEqual(await processesNaming(stateDir), [])
      assert.deepEqual(await entriesOf(agentBaseDir(api.parts.config.haproxy_amphora.base_path, stateDir)), [])
    })
  })
}
