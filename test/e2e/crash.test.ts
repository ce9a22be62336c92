import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testDialects } from '../support/databases.js'
import { httpClient, type HttpClient, type HttpReply } from './support/http-client.js'
import { pendingObjects, statusCensus, unfinishedJobs, type StatusCensus } from './support/pending-rows.js'
import { createScratchMysqlDatabase } from './support/mysql-database.js'
import { createScratchPgDatabase, type ScratchPgDatabase } from './support/pg-database.js'
import { errorLogLines, startService, type IniSections, type ServiceProcess } from './support/service-process.js'
import { addressInSubnet, type NeutronSubnet } from './support/subnets.js'

// kill -9 of `octavia-ts serve` while flows are in flight (the noop provider
// sleeps task_delay_ms in each task), then a restart on the same configuration:
// every object must end ACTIVE or ERROR, never PENDING_*, and the API must take
// new writes. Runs on a file-backed SQLite and, when configured, PostgreSQL and MariaDB
// (`[database] connection = mysql+pymysql://…`).

const TASK_DELAY_MS = 200
const SETTLE_MS = 60000
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))
const FINAL = new Set(['ACTIVE', 'ERROR'])

const expectStatus = (what: string, r: HttpReply, status: number) =>
  assert.equal(r.status, status, `${what}: ${r.status} ${JSON.stringify(r.body)}`)

for (const dialect of testDialects) {
  describe(`kill -9 of octavia-ts serve with flows in flight (${dialect})`, () => {
    let svc: ServiceProcess
    let scratchDb: ScratchPgDatabase | undefined
    let api: HttpClient
    let subnet: NeutronSubnet
    const base: string[] = []
    let basePool = ''
    let basePolicy = ''
    let beforeKill: StatusCensus

    const lbBody = (name: string) => ({ loadbalancer: { name, vip_subnet_id: subnet.id } })
    const createLb = async (name: string): Promise<string> => {
      const r = await api.request('POST', '/v2/lbaas/loadbalancers', lbBody(name))
      expectStatus(`POST loadbalancer ${name}`, r, 201)
      return r.body.loadbalancer.id
    }

    before(async () => {
      const sections: Record<string, Record<string, string>> = {
        noop_provider: { task_delay_ms: String(TASK_DELAY_MS) },
        controller_worker: { job_lease_seconds: '2', job_poll_interval_ms: '100' },
      }
      if (dialect !== 'sqlite') {
        scratchDb = dialect === 'postgres' ? await createScratchPgDatabase() : await createScratchMysqlDatabase()
        sections.database = { connection: scratchDb.url }
      }
      svc = await startService({ sections: sections as IniSections })
      api = httpClient(svc.url)
      const r = await api.request('GET', '/v2.0/subnets?name=public-subnet')
      expectStatus('GET /v2.0/subnets?name=public-subnet', r, 200)
      subnet = r.body.subnets[0]
    })
    after(async () => {
      const errors = svc ? errorLogLines(svc.logs()) : []
      if (errors.length) process.stderr.write(`# service errors (${dialect}):\n${errors.slice(-20).join('\n')}\n`)
      await svc?.dispose()
      await scratchDb?.drop()
    })

    it('when the base objects are created, then they become ACTIVE', async () => {
      for (const id of await Promise.all([0, 1, 2, 3, 4, 5].map(i => createLb(`base-${i}`)))) base.push(id)
      await Promise.all(base.map(id => api.waitStatus(`/v2/lbaas/loadbalancers/${id}`, 'ACTIVE', 30000)))
      const pool = await api.request('POST', '/v2/lbaas/pools', { pool: { loadbalancer_id: base[2], protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' } })
      expectStatus('POST pool', pool, 201)
      basePool = pool.body.pool.id
      const listener = await api.request('POST', '/v2/lbaas/listeners', { listener: { loadbalancer_id: base[4], protocol: 'TCP', protocol_port: 443 } })
      expectStatus('POST listener', listener, 201)
      const http = await api.request('POST', '/v2/lbaas/listeners', { listener: { loadbalancer_id: base[5], protocol: 'HTTP', protocol_port: 80 } })
      expectStatus('POST listener', http, 201)
      await Promise.all([2, 4, 5].map(i => api.waitStatus(`/v2/lbaas/loadbalancers/${base[i]}`, 'ACTIVE', 30000)))
      const policy = await api.request('POST', '/v2/lbaas/l7policies', { l7policy: { listener_id: http.body.listener.id, action: 'REJECT' } })
      expectStatus('POST l7policy', policy, 201)
      basePolicy = policy.body.l7policy.id
      await api.waitStatus(`/v2/lbaas/loadbalancers/${base[5]}`, 'ACTIVE', 30000)
    })

    it('when the service is killed with flows in flight, then the database holds PENDING objects', async t => {
      assert.equal(base.length, 6, 'the base load balancers exist')
      const graph = (name: string) => ({
        loadbalancer: {
          name, vip_subnet_id: subnet.id,
          pools: [{
            name: 'gp', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN',
            members: [{ address: addressInSubnet(subnet, 200), protocol_port: 80 }, { address: addressInSubnet(subnet, 201), protocol_port: 80 }],
            healthmonitor: { type: 'HTTP', delay: 5, timeout: 3, max_retries: 2 },
          }],
          listeners: [{ protocol: 'HTTP', protocol_port: 80, default_pool: { name: 'gp' } }],
        },
      })
      const writes = await Promise.all([
        ...[0, 1, 2, 3, 4, 5].map(i => api.request('POST', '/v2/lbaas/loadbalancers', lbBody(`inflight-${i}`))),
        ...[0, 1].map(i => api.request('POST', '/v2/lbaas/loadbalancers', graph(`graph-${i}`))),
        api.request('POST', '/v2/lbaas/listeners', { listener: { loadbalancer_id: base[0], protocol: 'HTTP', protocol_port: 80 } }),
        api.request('POST', '/v2/lbaas/pools', { pool: { loadbalancer_id: base[1], protocol: 'TCP', lb_algorithm: 'SOURCE_IP' } }),
        api.request('POST', `/v2/lbaas/pools/${basePool}/members`, { member: { address: addressInSubnet(subnet, 210), protocol_port: 8080 } }),
        api.request('PUT', `/v2/lbaas/loadbalancers/${base[3]}`, { loadbalancer: { name: 'base-3-renamed' } }),
        api.request('DELETE', `/v2/lbaas/loadbalancers/${base[4]}?cascade=true`),
        api.request('POST', `/v2/lbaas/l7policies/${basePolicy}/rules`, { rule: { type: 'PATH', compare_type: 'STARTS_WITH', value: '/x' } }),
      ])
      // A burst still arriving when the process dies: some commit, some do not.
      const burst = [0, 1, 2, 3].map(i => api.request('POST', '/v2/lbaas/loadbalancers', lbBody(`burst-${i}`)).catch(() => null))
      await sleep(TASK_DELAY_MS + 100)
      await svc.stop('SIGKILL')
      await Promise.all(burst)
      beforeKill = await statusCensus(svc.databaseUrl)
      t.diagnostic(`at the kill: ${[...pendingObjects(beforeKill), ...unfinishedJobs(beforeKill)].join(', ')}`)
      assert.ok(pendingObjects(beforeKill).length > 0, `no PENDING object at the kill, the test proves nothing: ${JSON.stringify(beforeKill)}`)
      assert.ok(unfinishedJobs(beforeKill).length > 0, `no unfinished job at the kill: ${JSON.stringify(beforeKill.jobs)}`)
      const expected = [201, 201, 201, 201, 201, 201, 201, 201, 201, 201, 201, 200, 204, 201]
      writes.forEach((r, i) => expectStatus(`in-flight write #${i}`, r, expected[i]))
    })

    it('when the service restarts on the same configuration, then every object ends ACTIVE or ERROR', async t => {
      assert.ok(beforeKill, 'the service was killed with flows in flight')
      svc = await svc.restart()
      api = httpClient(svc.url)
      const deadline = Date.now() + SETTLE_MS
      let census = await statusCensus(svc.databaseUrl)
      while (pendingObjects(census).length + unfinishedJobs(census).length > 0 && Date.now() < deadline) {
        await sleep(200)
        census = await statusCensus(svc.databaseUrl)
      }
      t.diagnostic(`after the restart: ${JSON.stringify(census)}`)
      assert.deepEqual([...pendingObjects(census), ...unfinishedJobs(census)], [],
        `still pending ${SETTLE_MS} ms after the restart (before the kill: ${JSON.stringify(beforeKill)})`)
      for (const [table, counts] of Object.entries(census.objects)) {
        for (const status of Object.keys(counts)) {
          assert.ok(FINAL.has(status) || (table === 'load_balancer' && status === 'DELETED'), `${table} ends ${status}`)
        }
      }
      for (const plural of ['loadbalancers', 'listeners', 'pools', 'healthmonitors', 'l7policies']) {
        const r = await api.request('GET', `/v2/lbaas/${plural}`)
        expectStatus(`GET ${plural}`, r, 200)
        for (const o of r.body[plural]) assert.ok(FINAL.has(o.provisioning_status), `${plural} ${o.id} is ${o.provisioning_status}`)
      }
      const members = await api.request('GET', `/v2/lbaas/pools/${basePool}/members`)
      for (const m of members.body.members) assert.ok(FINAL.has(m.provisioning_status), `member ${m.id} is ${m.provisioning_status}`)
      const rules = await api.request('GET', `/v2/lbaas/l7policies/${basePolicy}/rules`)
      for (const r of rules.body.rules) assert.ok(FINAL.has(r.provisioning_status), `l7rule ${r.id} is ${r.provisioning_status}`)
      const deleted = await api.request('GET', `/v2/lbaas/loadbalancers/${base[4]}`)
      assert.ok(deleted.status === 404 || deleted.body.loadbalancer.provisioning_status === 'ERROR',
        `the load balancer deleted at the kill is gone or ERROR: ${JSON.stringify(deleted.body)}`)
    })

    it('when the service has recovered, then it accepts new writes and finishes them', async () => {
      assert.ok(beforeKill, 'the service was killed and restarted')
      const id = await createLb('after-restart')
      await api.waitStatus(`/v2/lbaas/loadbalancers/${id}`, 'ACTIVE', 30000)
      const active = (await api.request('GET', '/v2/lbaas/loadbalancers?provisioning_status=ACTIVE&name=base-0')).body.loadbalancers
      assert.equal(active.length, 1, 'base-0 is ACTIVE after recovery')
      const l = await api.request('POST', '/v2/lbaas/listeners', { listener: { loadbalancer_id: base[0], protocol: 'TCP', protocol_port: 8443 } })
      expectStatus('POST listener after restart', l, 201)
      await api.waitStatus(`/v2/lbaas/listeners/${l.body.listener.id}`, 'ACTIVE', 30000)
    })
  })
}
