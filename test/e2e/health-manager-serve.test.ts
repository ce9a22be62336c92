import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { loadConfig } from '../../src/common/config/load.js'
import { silentLogger } from '../../src/common/logging.js'
import { BridgeDataPlane } from '../../src/drivers/network/bridge/bridge-data-plane.js'
import { createDataPlane } from '../../src/drivers/network/create-data-plane.js'
import { reserveNetworkNumber } from './support/amphora-stack.js'
import { clientGet, startDataplaneBackend, waitAnswer, type DataplaneBackend } from './support/dataplane-backends.js'
import { httpClient, type HttpClient } from './support/http-client.js'
import { errorLogLines, freePort, startService, type ServiceProcess } from './support/service-process.js'

// Issue 5, item 2, end to end: a real `octavia-ts serve` (built bundle) runs
// the agent, HAProxy and the health manager; operating statuses and listener
// statistics reach the API only through the amphora's heartbeats. With an
// HTTP health monitor checking every second and `[health_manager]`
// health_check_interval = heartbeat_interval = 1 s, a member whose backend
// stops is ERROR within two health-check intervals (HAProxy's next check,
// then the next heartbeat), and ONLINE again once the backend is back.
// (Requires the built bundle: node build.mjs.)

const isRoot = process.geteuid?.() === 0
const mode = isRoot ? 'netns' : 'loopback'
const PORT = 10086
const INTERVAL_S = 1

describe(`health manager in octavia-ts serve (amphora, ${mode} mode)`, () => {
  let svc: ServiceProcess
  let api: HttpClient
  const backends: DataplaneBackend[] = []
  const reservation = reserveNetworkNumber()
  const n = reservation.n
  let lbId = ''
  let vip = ''
  let poolId = ''
  let listenerId = ''
  const memberIds = new Map<string, string>()

  before(async () => {
    const agentPort = String(await freePort())
    svc = await startService({
      sections: {
        api_settings: {
          enabled_provider_drivers: 'amphora:The Octavia Amphora driver.,noop_driver:The no-op driver.',
          default_provider_driver: 'amphora',
        },
        controller_worker: { compute_driver: mode, job_poll_interval_ms: '100' },
        amphora_agent: { bind_port: agentPort },
        haproxy_amphora: { bind_port: agentPort },
        health_manager: { heartbeat_interval: String(INTERVAL_S), health_check_interval: String(INTERVAL_S) },
        [`network:e2e${n}`]: mode === 'netns'
          ? { network: `e2e${n}`, cidr: `10.213.${n}.0/24`, bridge: `octh${n}` }
          : { network: `e2e${n}`, cidr: `127.213.${n}.0/24` },
      },
    })
    api = httpClient(svc.url)
    const host = mode === 'netns' ? `10.213.${n}.1` : '127.0.0.1'
    for (const name of ['steady', 'flaky']) backends.push(await startDataplaneBackend(name, host))
    const subnetId = (await api.request('GET', `/v2.0/subnets?name=e2e${n}-subnet`)).body.subnets[0].id
    const r = await api.request('POST', '/v2/lbaas/loadbalancers', {
      loadbalancer: {
        name: 'hm-serve', vip_subnet_id: subnetId,
        listeners: [{
          protocol: 'HTTP', protocol_port: PORT,
          default_pool: {
            name: 'checked', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN',
            healthmonitor: { type: 'HTTP', delay: INTERVAL_S, timeout: 1, max_retries: 1, max_retries_down: 1, url_path: '/', expected_codes: '200' },
            members: backends.map(b => ({ name: b.name, address: b.host, protocol_port: b.port, subnet_id: subnetId })),
          },
        }],
      },
    })
    assert.equal(r.status, 201, JSON.stringify(r.body))
    lbId = r.body.loadbalancer.id
    vip = r.body.loadbalancer.vip_address
    const lb = await api.waitStatus(`/v2/lbaas/loadbalancers/${lbId}`, 'ACTIVE', 30000)
    listenerId = lb.listeners[0].id
    poolId = (await api.request('GET', `/v2/lbaas/pools?loadbalancer_id=${lbId}`)).body.pools[0].id
    for (const m of (await api.request('GET', `/v2/lbaas/pools/${poolId}/members`)).body.members) memberIds.set(m.name, m.id)
    await waitAnswer(vip, PORT)
  })
  after(async () => {
    if (lbId && api) {
      await api.request('DELETE', `/v2/lbaas/loadbalancers/${lbId}?cascade=true`).catch(() => undefined)
      await api.waitUntil(`/v2/lbaas/loadbalancers/${lbId}`, reply => reply.status === 404, 30000).catch(() => undefined)
    }
    for (const b of backends) await b.close()
    const config = svc ? loadConfig(svc.configFile, {}) : null
    await svc?.dispose()
    if (config && mode === 'netns') {
      const plane = createDataPlane(config, { log: silentLogger() }).network
      if (plane instanceof BridgeDataPlane) await plane.removeUnusedBridges()
    }
    reservation.release()
  })

  const memberUrl = (name: string): string => `/v2/lbaas/pools/${poolId}/members/${memberIds.get(name)}`
  const memberStatus = async (name: string): Promise<string> => (await api.request('GET', memberUrl(name))).body.member.operating_status
  /** Milliseconds until the member's operating status is `want` (polling every 50 ms; throws after `ms`). */
  const timeUntil = async (name: string, want: string, ms: number): Promise<number> => {
    const t0 = Date.now()
    await api.waitUntil(memberUrl(name), reply => reply.body?.member?.operating_status === want, ms, 50)
    return Date.now() - t0
  }

  it('when heartbeats arrive, then the load balancer, listener, pool and members are ONLINE', async () => {
    for (const name of ['steady', 'flaky']) await timeUntil(name, 'ONLINE', 15000)
    const tree = (await api.request('GET', `/v2/lbaas/loadbalancers/${lbId}/status`)).body.statuses.loadbalancer
    assert.equal(tree.operating_status, 'ONLINE')
    assert.equal(tree.listeners[0].operating_status, 'ONLINE')
    assert.equal(tree.listeners[0].pools[0].operating_status, 'ONLINE')
    const amp = (await api.request('GET', `/v2/octavia/amphorae?loadbalancer_id=${lbId}`)).body.amphorae[0]
    assert.equal(amp.status, 'ALLOCATED')
  })

  it('when a member\'s backend stops, then it is ERROR within two health-check intervals, the pool and load balancer DEGRADED', async () => {
    const flaky = backends.find(b => b.name === 'flaky')!
    await flaky.stop()
    const ms = await timeUntil('flaky', 'ERROR', 15000)
    assert.ok(ms <= 2 * INTERVAL_S * 1000, `member ERROR after ${ms} ms`)
    assert.equal(await memberStatus('steady'), 'ONLINE')
    assert.equal((await api.request('GET', `/v2/lbaas/pools/${poolId}`)).body.pool.operating_status, 'DEGRADED')
    assert.equal((await api.request('GET', `/v2/lbaas/loadbalancers/${lbId}`)).body.loadbalancer.operating_status, 'DEGRADED')
  })

  it('when the backend returns, then the member is ONLINE again and so are its pool and load balancer', async () => {
    const flaky = backends.find(b => b.name === 'flaky')!
    await flaky.start()
    const ms = await timeUntil('flaky', 'ONLINE', 15000)
    assert.ok(ms <= 2 * INTERVAL_S * 1000 + 1000, `member ONLINE after ${ms} ms (HAProxy's rise check plus a heartbeat)`)
    await api.waitUntil(`/v2/lbaas/loadbalancers/${lbId}`, reply => reply.body?.loadbalancer?.operating_status === 'ONLINE', 5000)
  })

  it('when clients send requests, then the listener statistics grow from the heartbeats\' deltas', async () => {
    const before = (await api.request('GET', `/v2/lbaas/listeners/${listenerId}/stats`)).body.stats
    for (let i = 0; i < 20; i++) assert.equal((await clientGet(vip, PORT, '/')).status, 200)
    const reply = await api.waitUntil(`/v2/lbaas/listeners/${listenerId}/stats`,
      r => r.body?.stats?.total_connections >= before.total_connections + 20, 10000, 100)
    const after = reply.body.stats
    assert.ok(after.bytes_in > before.bytes_in && after.bytes_out > before.bytes_out, JSON.stringify({ before, after }))
    const lbStats = (await api.request('GET', `/v2/lbaas/loadbalancers/${lbId}/stats`)).body.stats
    assert.equal(lbStats.total_connections, after.total_connections, 'one listener: the load balancer sums the same rows')
  })

  it('when a member gets weight 0, another is disabled and a pool has no monitor, then the status tree shows DRAINING, OFFLINE and NO_MONITOR', async () => {
    assert.equal((await api.request('PUT', memberUrl('steady'), { member: { weight: 0 } })).status, 200)
    await api.waitStatus(`/v2/lbaas/loadbalancers/${lbId}`, 'ACTIVE', 30000)
    assert.equal((await api.request('PUT', memberUrl('flaky'), { member: { admin_state_up: false } })).status, 200)
    await api.waitStatus(`/v2/lbaas/loadbalancers/${lbId}`, 'ACTIVE', 30000)
    const l = await api.request('POST', '/v2/lbaas/listeners', {
      listener: {
        loadbalancer_id: lbId, protocol: 'HTTP', protocol_port: PORT + 1,
        default_pool: { name: 'unchecked', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' },
      },
    })
    assert.equal(l.status, 201, JSON.stringify(l.body))
    await api.waitStatus(`/v2/lbaas/loadbalancers/${lbId}`, 'ACTIVE', 30000)
    const unchecked = (await api.request('GET', `/v2/lbaas/pools?name=unchecked`)).body.pools[0].id
    const m = await api.request('POST', `/v2/lbaas/pools/${unchecked}/members`, {
      member: { name: 'plain', address: backends[0].host, protocol_port: backends[0].port },
    })
    assert.equal(m.status, 201, JSON.stringify(m.body))
    await api.waitStatus(`/v2/lbaas/loadbalancers/${lbId}`, 'ACTIVE', 30000)
    const want = new Map([['steady', 'DRAINING'], ['flaky', 'OFFLINE'], ['plain', 'NO_MONITOR']])
    let seen = new Map<string, string>()
    const deadline = Date.now() + 10_000
    for (;;) {
      const tree = (await api.request('GET', `/v2/lbaas/loadbalancers/${lbId}/status`)).body.statuses.loadbalancer
      seen = new Map(tree.listeners.flatMap((li: any) => li.pools.flatMap((p: any) => p.members.map((mm: any) => [mm.name, mm.operating_status]))))
      if ([...want].every(([k, v]) => seen.get(k) === v)) break
      if (Date.now() > deadline) assert.deepEqual(Object.fromEntries(seen), Object.fromEntries(want))
      await new Promise(r => setTimeout(r, 100))
    }
    assert.deepEqual(Object.fromEntries(seen), Object.fromEntries(want))
  })

  it('then the health manager logged no error', () => {
    const errors = errorLogLines(svc.logs()).filter(l => l.includes('health-manager') || l.includes('heartbeat'))
    assert.deepEqual(errors, [])
  })
})
