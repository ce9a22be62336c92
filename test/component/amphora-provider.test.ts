import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startComposedApi, type ComposedApi } from '../support/composed-api.js'
import { loadConfig } from '../../src/common/config/load.js'
import { silentLogger } from '../../src/common/logging.js'
import type { Database } from '../../src/db/database.js'
import { AgentRequestError } from '../../src/drivers/amphora/rest/agent-client-errors.js'
import { NoopComputeDriver, noopComputeId } from '../../src/drivers/compute/noop/noop-compute-driver.js'
import { NoopDataPlane } from '../../src/drivers/network/noop/noop-data-plane.js'
import type { AmphoraFlowDeps } from '../../src/drivers/amphora-flow-deps.js'
import { MemoryCertificateManager } from '../support/memory-certificate-manager.js'
import { amphoraRenderOptions } from '../../src/drivers/create-amphora-flow-deps.js'
import { encodeHeartbeat } from '../../src/amphora-api/heartbeat-codec.js'
import { HealthManager } from '../../src/health-manager/health-manager.js'
import type { Config } from '../../src/common/config/schema.js'
import { createSocket } from 'node:dgram'
import { flattenFlow } from '../../src/worker/engine/flow.js'
import { amphoraMemberCreateFlow, amphoraMemberDeleteFlow } from '../../src/worker/flows/amphora-child-flows.js'
import { amphoraLoadBalancerCreateFlow, amphoraLoadBalancerDeleteFlow } from '../../src/worker/flows/amphora-load-balancer-flows.js'
import { amphoraProviderFailoverAmphoraFlow } from '../../src/worker/flows/amphora-admin-flows.js'
import { freshDatabase, testDialects } from '../support/databases.js'
import { FakeAmphoraAgent } from '../support/fake-amphora-agent.js'

// The amphora provider's flows against a real database, with the noop
// amphora driver (plus call recording and failure injection) and the noop
// compute and data-plane drivers (the real ones run in
// test/e2e/amphora-*.test.ts).

const names = (flow: { items: readonly unknown[] }) => flattenFlow(flow as never).map(t => t.name)

describe('amphora provider flows (shape)', () => {
  const d = {} as AmphoraFlowDeps
  const slot = (n: string) => ['create-amphora-record', 'allocate-amphora-port', 'compute-build', 'register-amphora', 'plug-vip',
    'mark-amphora-allocated'].map(t => `${t}${n}`)
  it('when a load balancer is created, then its amphorae are built, registered, plugged, configured, then statuses settle', () => {
    assert.deepEqual(names(amphoraLoadBalancerCreateFlow(d)), [
      'load-balancer-to-error-on-revert', ...slot(''), ...slot('-1'), 'update-amphora-configs', 'configure-vrrp', 'set-operating-statuses',
      'mark-load-balancer-children-active', 'mark-load-balancer-active',
    ])
  })
  it('when an amphora fails over, then its replacement is built and configured before the old one goes and the VIP moves', () => {
    assert.deepEqual(names(amphoraProviderFailoverAmphoraFlow(d)), [
      'amphora-failover-to-error-on-revert', 'failover-plan', 'retire-amphora', ...slot(''), 'update-amphora-configs', 'await-vip-holder',
      'configure-vrrp', 'delete-replaced-amphora', 'move-vip', 'mark-load-balancer-active',
    ])
  })
  it('when a load balancer is deleted, then the data plane goes first, then the rows', () => {
    assert.deepEqual(names(amphoraLoadBalancerDeleteFlow(d)), [
      'load-balancer-to-error-on-revert', 'remove-haproxy', 'unregister-amphorae', 'unplug-vips', 'compute-delete',
      'mark-amphorae-deleted', 'delete-load-balancer-children', 'release-vip', 'mark-load-balancer-deleted',
    ])
  })
  it('when a member is created or deleted, then one push sits between the lifecycle and the status tasks', () => {
    assert.deepEqual(names(amphoraMemberCreateFlow(d)), [
      'member-to-error-on-revert', 'update-amphora-configs', 'set-operating-statuses', 'mark-member-active', 'mark-parents-active',
    ])
    assert.deepEqual(names(amphoraMemberDeleteFlow(d)), [
      'member-to-error-on-revert', 'update-amphora-configs', 'delete-member', 'mark-parents-active',
    ])
  })
})

for (const dialect of testDialects) {
  describe(`amphora provider with a fake agent (${dialect})`, () => {
    let database: Database
    let drop: () => Promise<void>
    let api: ComposedApi
    let agent: FakeAmphoraAgent
    let compute: NoopComputeDriver
    let deps: AmphoraFlowDeps
    let config: Config
    let subnetId = ''
    let lbId = ''
    let ampId = ''
    let listenerId = ''
    let poolId = ''
    let memberId = ''

    const request = (method: string, url: string, body?: unknown) => api.request(method, url, body)
    const lbActive = async (want = 'ACTIVE') => {
      const deadline = Date.now() + 10000
      for (;;) {
        const r = await request('GET', `/v2/lbaas/loadbalancers/${lbId}`)
        if (r.body.loadbalancer?.provisioning_status === want) return r.body.loadbalancer
        if (Date.now() > deadline) throw new Error(`load balancer still ${JSON.stringify(r.body)}`)
        await new Promise(res => setTimeout(res, 10))
      }
    }
    const haproxy = () => agent.haproxy(ampId, lbId)

    before(async () => {
      config = loadConfig(undefined, {
        OCTAVIA_TS__controller_worker__compute_driver: 'compute_noop_driver',
        OCTAVIA_TS__controller_worker__job_poll_interval_ms: '20',
        OCTAVIA_TS__api_settings__enabled_provider_drivers: 'amphora:Amphora.,octavia:Alias.,noop_driver:Noop.',
        OCTAVIA_TS__api_settings__default_provider_driver: 'amphora',
        OCTAVIA_TS__DEFAULT__state_dir: '/tmp/octavia-ts-amphora-provider-test',
      })
      const db = await freshDatabase(dialect)
      database = db.database
      drop = db.drop
      agent = new FakeAmphoraAgent()
      compute = new NoopComputeDriver()
      deps = {
        compute, dataPlane: new NoopDataPlane(), agent, agentEndpoint: { host: '127.0.0.1' },
        renderOptions: (a, l) => amphoraRenderOptions(config, a, l),
        certificates: new MemoryCertificateManager(),
        certificateFilePath: (a, l, name) => `/tmp/octavia-ts-amphora-provider-test/${a}/${l}/certs/${name}`,
        certificateExpiry: async () => new Date('2031-01-02T03:04:05Z'),
        heartbeats: true,
        vrrpAdvertInt: 1,
      }
      api = await startComposedApi({ config, database, log: silentLogger(), amphora: () => deps, retry: { maxAttempts: 2, baseBackoffMs: 5, maxBackoffMs: 10 } })
      subnetId = api.subnetId
    })
    after(async () => {
      await api.stop()
      await drop()
    })

    it('when a load balancer with a listener and a pool is created, then its amphora is real in the database and its HAProxy runs', async () => {
      const r = await request('POST', '/v2/lbaas/loadbalancers', {
        loadbalancer: {
          vip_subnet_id: subnetId,
          listeners: [{ protocol: 'HTTP', protocol_port: 80, default_pool: { name: 'p', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', members: [{ address: '127.0.0.1', protocol_port: 8001 }] } }],
        },
      })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      lbId = r.body.loadbalancer.id
      const lb = await lbActive()
      assert.equal(lb.operating_status, 'ONLINE')
      listenerId = lb.listeners[0].id
      const amps = await database.db.selectFrom('amphora').selectAll().where('load_balancer_id', '=', lbId).execute()
      assert.equal(amps.length, 1)
      const amp = amps[0]
      ampId = amp.id
      assert.deepEqual(
        { status: amp.status, role: amp.role, compute: amp.compute_id, lbNetworkIp: amp.lb_network_ip, haIp: amp.ha_ip, cert: amp.cert_expiration },
        { status: 'ALLOCATED', role: 'STANDALONE', compute: noopComputeId(amp.id), lbNetworkIp: '127.0.0.1', haIp: lb.vip_address, cert: '2031-01-02T03:04:05.000' })
      const port = await database.db.selectFrom('port').selectAll().where('id', '=', amp.vrrp_port_id!).executeTakeFirstOrThrow()
      assert.deepEqual([port.ip_address, port.device_id], [amp.vrrp_ip, amp.id])
      assert.equal(amp.ha_port_id, (await database.db.selectFrom('vip').select('port_id').where('load_balancer_id', '=', lbId).executeTakeFirstOrThrow()).port_id)
      assert.deepEqual(compute.built, [noopComputeId(amp.id)])
      assert.equal(haproxy()?.running, true)
      assert.match(haproxy()!.config!, new RegExp(`frontend ${listenerId}`))
      const listener = (await request('GET', `/v2/lbaas/listeners/${listenerId}`)).body.listener
      poolId = listener.default_pool_id
      assert.equal(listener.operating_status, 'ONLINE')
      const members = (await request('GET', `/v2/lbaas/pools/${poolId}/members`)).body.members
      memberId = members[0].id
      assert.equal(members[0].operating_status, 'NO_MONITOR')
    })

    it('when a member is added, or its weight changes, then the runtime API applies it without a reload', async () => {
      const reloads = haproxy()!.reloads
      const r = await request('POST', `/v2/lbaas/pools/${poolId}/members`, { member: { address: '127.0.0.1', protocol_port: 8002 } })
      assert.equal(r.status, 201)
      await lbActive()
      assert.equal(haproxy()!.reloads, reloads, 'no reload')
      assert.deepEqual(haproxy()!.runtime.at(-1), [{
        op: 'add', backend: `${poolId}:${listenerId}`, server: r.body.member.id, address: '127.0.0.1', port: 8002, keywords: ['weight', '1'], state: 'ready',
      }])
      assert.match(haproxy()!.config!, new RegExp(`server ${r.body.member.id} 127.0.0.1:8002 weight 1`))
      const u = await request('PUT', `/v2/lbaas/pools/${poolId}/members/${memberId}`, { member: { weight: 7, admin_state_up: false } })
      assert.equal(u.status, 200)
      await lbActive()
      assert.equal(haproxy()!.reloads, reloads, 'no reload')
      assert.deepEqual(haproxy()!.runtime.at(-1), [{ backend: `${poolId}:${listenerId}`, server: memberId, weight: 7, state: 'maint' }])
      assert.match(haproxy()!.config!, new RegExp(`server ${memberId} 127.0.0.1:8001 weight 7 disabled`), 'the file has it too')
      const m = (await request('GET', `/v2/lbaas/pools/${poolId}/members/${memberId}`)).body.member
      assert.deepEqual([m.provisioning_status, m.operating_status], ['ACTIVE', 'OFFLINE'])
    })

    it('when members are replaced in one batch, then one runtime push applies the whole batch', async () => {
      const reloads = haproxy()!.reloads
      const r = await request('PUT', `/v2/lbaas/pools/${poolId}/members`, {
        members: [{ address: '127.0.0.1', protocol_port: 8001, weight: 7, admin_state_up: false }, { address: '127.0.0.1', protocol_port: 8003 }],
      })
      assert.equal(r.status, 202, JSON.stringify(r.body))
      await lbActive()
      assert.equal(haproxy()!.reloads, reloads, 'no reload')
      assert.deepEqual(haproxy()!.runtime.at(-1)!.map(c => [c.op, c.port]), [['add', 8003], ['delete', undefined]])
      const servers = haproxy()!.config!.split('\n').filter(l => l.trim().startsWith('server ')).map(l => l.trim().split(' ')[2])
      assert.deepEqual(servers.sort(), ['127.0.0.1:8001', '127.0.0.1:8003'])
      const members = (await request('GET', `/v2/lbaas/pools/${poolId}/members`)).body.members
      assert.deepEqual(members.map((m: any) => m.provisioning_status), ['ACTIVE', 'ACTIVE'])
    })

    it('when the agent refuses a configuration, then the object is ERROR and its parents ACTIVE', async () => {
      agent.failures.set('uploadConfig', new AgentRequestError(400, 'Invalid request', '[ALERT] injected', 'https://fake-agent/'))
      try {
        const r = await request('POST', '/v2/lbaas/listeners', { listener: { loadbalancer_id: lbId, protocol: 'TCP', protocol_port: 9000 } })
        assert.equal(r.status, 201)
        await lbActive()
        const l = (await request('GET', `/v2/lbaas/listeners/${r.body.listener.id}`)).body.listener
        assert.equal(l.provisioning_status, 'ERROR')
        const job = await database.db.selectFrom('job').select(['state', 'error']).where('operation', '=', 'listener_create').executeTakeFirstOrThrow()
        assert.equal(job.state, 'FAILED')
        assert.match(job.error ?? '', /refused the configuration \(400 Invalid request\): \[ALERT\] injected/)
      } finally {
        agent.failures.delete('uploadConfig')
      }
    })

    it('when heartbeats of the amphora arrive, then listener statistics add up and operating statuses follow them', async () => {
      const hm = new HealthManager({ ...config.health_manager, bind_port: 0 }, { database, log: silentLogger(), heartbeatKey: 'provider-test' })
      const hmAbort = new AbortController()
      await hm.start(hmAbort.signal)
      const client = createSocket('udp4')
      try {
        const beat = (seq: number, rx: number, tx: number, conns: number, totconns: number, ereq: number) => encodeHeartbeat({
          id: ampId, seq, ver: 3,
          listeners: { [listenerId]: { status: 'OPEN', stats: { rx, tx, conns, totconns, ereq } } },
          pools: { [`${poolId}:${listenerId}`]: { status: 'UP', members: { [memberId]: 'DOWN' } } },
        }, 'provider-test')
        for (const packet of [beat(1, 1000, 5000, 2, 10, 1), beat(2, 500, 1000, 3, 4, 0)]) {
          await new Promise<void>((res, rej) => client.send(packet, hm.address.port, '127.0.0.1', e => (e ? rej(e) : res())))
        }
        for (let i = 0; i < 200 && hm.counters.receiver.delivered < 2; i++) await new Promise(res => setTimeout(res, 10))
        await hm.flush()
        assert.equal(hm.counters.processor.processed, 2)
        const s = (await request('GET', `/v2/lbaas/listeners/${listenerId}/stats`)).body.stats
        assert.deepEqual(s, { bytes_in: 1500, bytes_out: 6000, active_connections: 3, total_connections: 14, request_errors: 1 })
        const lb = (await request('GET', `/v2/lbaas/loadbalancers/${lbId}`)).body.loadbalancer
        assert.equal(lb.operating_status, 'DEGRADED')
        const m = (await request('GET', `/v2/lbaas/pools/${poolId}/members/${memberId}`)).body.member
        assert.equal(m.operating_status, 'ERROR')
      } finally {
        client.close()
        hmAbort.abort()
        await hm.stopped
      }
    })

    it('when the load balancer is disabled, then its HAProxy is removed; when enabled again, then it runs again', async () => {
      assert.equal((await request('PUT', `/v2/lbaas/loadbalancers/${lbId}`, { loadbalancer: { admin_state_up: false } })).status, 200)
      const off = await lbActive()
      assert.equal(off.operating_status, 'OFFLINE')
      assert.equal(haproxy(), undefined)
      assert.equal((await request('PUT', `/v2/lbaas/loadbalancers/${lbId}`, { loadbalancer: { admin_state_up: true } })).status, 200)
      const on = await lbActive()
      assert.equal(on.operating_status, 'ONLINE')
      assert.equal(haproxy()?.running, true)
    })

    /** Waits until the load balancer is ACTIVE with exactly one live amphora other than `old`; returns it. */
    const replacedAmphora = async (old: string) => {
      await new Promise(res => setTimeout(res, 50))
      await lbActive()
      const live = await database.db.selectFrom('amphora').selectAll().where('load_balancer_id', '=', lbId).where('status', '!=', 'DELETED').execute()
      assert.equal(live.length, 1, JSON.stringify(live))
      assert.notEqual(live[0].id, old)
      const before = await database.db.selectFrom('amphora').selectAll().where('id', '=', old).executeTakeFirstOrThrow()
      assert.equal(before.status, 'DELETED')
      assert.equal(agent.registered(old), false, 'the old amphora is unregistered')
      return live[0]
    }

    it('when the load balancer fails over, then a new amphora replaces the lost one and serves the same configuration', async () => {
      const old = ampId
      const oldPort = (await database.db.selectFrom('amphora').select('vrrp_port_id').where('id', '=', old).executeTakeFirstOrThrow()).vrrp_port_id
      await agent.lose(old)
      assert.equal((await request('PUT', `/v2/lbaas/loadbalancers/${lbId}/failover`)).status, 202)
      const amp = await replacedAmphora(old)
      ampId = amp.id
      assert.deepEqual([amp.status, amp.role], ['ALLOCATED', 'STANDALONE'])
      assert.equal(haproxy()?.running, true)
      assert.match(haproxy()!.config!, new RegExp(`frontend ${listenerId}`))
      assert.equal(await database.db.selectFrom('port').select('id').where('id', '=', oldPort!).executeTakeFirst(), undefined, 'old port released')
      assert.deepEqual(compute.built, [noopComputeId(amp.id)])
    })

    it('when an amphora is failed over through the admin API, then a new one serves and shows in the amphora API', async () => {
      const old = ampId
      assert.equal((await request('PUT', `/v2/octavia/amphorae/${old}/failover`)).status, 202)
      const amp = await replacedAmphora(old)
      ampId = amp.id
      assert.equal(haproxy()?.running, true)
      const shown = (await request('GET', `/v2/octavia/amphorae/${ampId}`)).body.amphora
      assert.deepEqual([shown.status, shown.role, shown.loadbalancer_id, shown.lb_network_ip], ['ALLOCATED', 'STANDALONE', lbId, '127.0.0.1'])
      assert.equal((await request('GET', `/v2/octavia/amphorae/${old}`)).status, 404, 'a DELETED amphora is not shown')
    })

    it('when every listener is deleted, then the HAProxy of the load balancer is removed from the amphora', async () => {
      for (const l of (await request('GET', `/v2/lbaas/listeners?loadbalancer_id=${lbId}`)).body.listeners) {
        assert.equal((await request('DELETE', `/v2/lbaas/listeners/${l.id}`)).status, 204)
        await lbActive()
      }
      assert.equal(haproxy(), undefined)
      assert.ok(agent.registered(ampId), 'the amphora stays registered')
    })

    it('when the load balancer is deleted, then its amphora is unregistered, its instance and ports gone, its row DELETED', async () => {
      const amp = await database.db.selectFrom('amphora').selectAll().where('id', '=', ampId).executeTakeFirstOrThrow()
      assert.equal((await request('DELETE', `/v2/lbaas/loadbalancers/${lbId}?cascade=true`)).status, 204)
      const deadline = Date.now() + 10000
      while ((await request('GET', `/v2/lbaas/loadbalancers/${lbId}`)).status !== 404) {
        if (Date.now() > deadline) throw new Error('load balancer not deleted')
        await new Promise(res => setTimeout(res, 10))
      }
      const row = await database.db.selectFrom('amphora').selectAll().where('id', '=', ampId).executeTakeFirstOrThrow()
      assert.equal(row.status, 'DELETED')
      assert.equal(agent.registered(ampId), false)
      assert.deepEqual(compute.built, [])
      const ports = await database.db.selectFrom('port').select('id').where('id', 'in', [amp.vrrp_port_id!, amp.ha_port_id!]).execute()
      assert.deepEqual(ports, [])
    })

    it('when the octavia alias is asked for, then its load balancers run on amphorae too', async () => {
      const r = await request('POST', '/v2/lbaas/loadbalancers', { loadbalancer: { vip_subnet_id: subnetId, provider: 'octavia' } })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      lbId = r.body.loadbalancer.id
      const lb = await lbActive()
      assert.equal(lb.provider, 'octavia')
      const amps = await database.db.selectFrom('amphora').selectAll().where('load_balancer_id', '=', lbId).execute()
      assert.deepEqual(amps.map(a => a.status), ['ALLOCATED'])
      ampId = amps[0].id
      assert.equal(haproxy(), undefined, 'no listener: no HAProxy')
    })

    it('when options the amphorae cannot serve yet are asked for, then the answer is Octavia\'s 501', async () => {
      const fault = (detail: string) => ({ faultcode: 'Server', faultstring: `Provider 'octavia' does not support a requested option: ${detail}`, debuginfo: null })
      let r = await request('POST', '/v2/lbaas/listeners', { listener: { loadbalancer_id: lbId, protocol: 'UDP', protocol_port: 53 } })
      assert.equal(r.status, 501)
      assert.deepEqual(r.body, fault('Amphora provider does not support UDP protocol. Supported: TCP, HTTP, HTTPS, TERMINATED_HTTPS, PROMETHEUS'))
      r = await request('POST', '/v2/lbaas/pools', { pool: { loadbalancer_id: lbId, protocol: 'SCTP', lb_algorithm: 'ROUND_ROBIN' } })
      assert.equal(r.status, 501)
      assert.deepEqual(r.body, fault('Amphora provider does not support SCTP protocol. Supported: TCP, HTTP, HTTPS, PROXY, PROXYV2'))
      r = await request('POST', '/v2/lbaas/pools', { pool: { loadbalancer_id: lbId, protocol: 'UDP', lb_algorithm: 'SOURCE_IP_PORT' } })
      assert.equal(r.status, 501)
      assert.deepEqual(r.body, fault('Amphora provider does not support SOURCE_IP_PORT algorithm.'), 'datagram pools keep Octavia\'s answer')
      const noop = await request('POST', '/v2/lbaas/loadbalancers', { loadbalancer: { vip_subnet_id: subnetId, provider: 'noop_driver' } })
      const noopLb = noop.body.loadbalancer.id
      const deadline = Date.now() + 10000
      while ((await request('GET', `/v2/lbaas/loadbalancers/${noopLb}`)).body.loadbalancer.provisioning_status !== 'ACTIVE') {
        if (Date.now() > deadline) throw new Error('noop load balancer not ACTIVE')
        await new Promise(res => setTimeout(res, 10))
      }
      r = await request('POST', '/v2/lbaas/listeners', { listener: { loadbalancer_id: noopLb, protocol: 'UDP', protocol_port: 53 } })
      assert.equal(r.status, 201, 'the noop provider accepts UDP')
    })

    it('when a SOURCE_IP_PORT pool is created, then 201 and its backend hashes the client address and port; members go in at runtime, or by a reload when HAProxy refuses', async () => {
      const p = await request('POST', '/v2/lbaas/pools', { pool: { loadbalancer_id: lbId, protocol: 'TCP', lb_algorithm: 'SOURCE_IP_PORT' } })
      assert.equal(p.status, 201, JSON.stringify(p.body))
      assert.equal(p.body.pool.lb_algorithm, 'SOURCE_IP_PORT')
      await lbActive()
      const l = await request('POST', '/v2/lbaas/listeners', { listener: { loadbalancer_id: lbId, protocol: 'TCP', protocol_port: 7000, default_pool_id: p.body.pool.id } })
      assert.equal(l.status, 201, JSON.stringify(l.body))
      await lbActive()
      assert.match(haproxy()!.config!, /\n {4}balance hash src,concat\(:,txn\.src_port\)\n {4}hash-type consistent sdbm avalanche\n/)
      const backend = `${p.body.pool.id}:${l.body.listener.id}`
      const addMember = async (port: number) => {
        const m = await request('POST', `/v2/lbaas/pools/${p.body.pool.id}/members`, { member: { address: '127.0.0.1', protocol_port: port } })
        assert.equal(m.status, 201, JSON.stringify(m.body))
        await lbActive()
        assert.equal((await request('GET', `/v2/lbaas/pools/${p.body.pool.id}/members/${m.body.member.id}`)).body.member.provisioning_status, 'ACTIVE')
        return m.body.member.id as string
      }
      const reloads = haproxy()!.reloads
      const first = await addMember(8101)
      assert.equal(haproxy()!.reloads, reloads, 'consistent hashing takes a server at runtime')
      assert.deepEqual(haproxy()!.runtime.at(-1), [{ op: 'add', backend, server: first, address: '127.0.0.1', port: 8101, keywords: ['weight', '16'], state: 'ready' }])
      agent.failures.set('updateServers', new AgentRequestError(400, 'HAProxy refused the change', 'add server: injected', 'https://fake-agent/'))
      try {
        const second = await addMember(8102)
        assert.equal(haproxy()!.reloads, reloads + 1, 'refused at runtime: reloaded')
        assert.match(haproxy()!.config!, new RegExp(`server ${second} 127.0.0.1:8102 weight 16\n`))
      } finally {
        agent.failures.delete('updateServers')
      }
      const u = await request('PUT', `/v2/lbaas/pools/${p.body.pool.id}/members/${first}`, { member: { weight: 20 } })
      assert.equal(u.status, 200, JSON.stringify(u.body))
      await lbActive()
      assert.equal(haproxy()!.reloads, reloads + 1, 'a new weight factor goes through the runtime API')
      assert.deepEqual(haproxy()!.runtime.at(-1)!.map(c => c.weight).sort((a, b) => a! - b!), [12, 240], 'weights 20 and 1, ×12')
    })

    it('when an ACTIVE_STANDBY load balancer is created and its MASTER fails over, then a MASTER and a BACKUP run keepalived as peers, before and after', async () => {
      const profile = await request('POST', '/v2/lbaas/flavorprofiles', {
        flavorprofile: { name: 'as', provider_name: 'amphora', flavor_data: '{"loadbalancer_topology": "ACTIVE_STANDBY"}' },
      })
      assert.equal(profile.status, 201, JSON.stringify(profile.body))
      const flavor = await request('POST', '/v2/lbaas/flavors', { flavor: { name: 'as', flavor_profile_id: profile.body.flavorprofile.id } })
      assert.equal(flavor.status, 201, JSON.stringify(flavor.body))
      const r = await request('POST', '/v2/lbaas/loadbalancers', {
        loadbalancer: { vip_subnet_id: subnetId, flavor_id: flavor.body.flavor.id, listeners: [{ protocol: 'TCP', protocol_port: 443 }] },
      })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      lbId = r.body.loadbalancer.id
      await lbActive()
      const live = () => database.db.selectFrom('amphora').selectAll().where('load_balancer_id', '=', lbId)
        .where('status', '!=', 'DELETED').orderBy('role', 'desc').execute()
      const peersOk = async () => {
        const amps = await live()
        assert.deepEqual(amps.map(a => [a.role, a.vrrp_priority, a.status]), [['MASTER', 100, 'ALLOCATED'], ['BACKUP', 90, 'ALLOCATED']])
        const [master, backup] = amps
        const vip = r.body.loadbalancer.vip_address
        for (const [amp, peer] of [[master, backup], [backup, master]]) {
          const v = agent.keepalived(amp.id)
          assert.ok(v?.running, `keepalived runs on ${amp.role}`)
          assert.deepEqual([v.spec.ownIp, v.spec.peerIps, v.spec.priority, v.spec.groupName],
            [amp.vrrp_ip, [peer.vrrp_ip], amp.vrrp_priority, lbId.replace(/-/g, '')])
          assert.match(v.spec.vips[0], new RegExp(`^${vip.replace(/\./g, '\\.')}/\\d+$`))
          assert.equal(agent.haproxy(amp.id, lbId)?.running, true, `HAProxy runs on ${amp.role}`)
        }
        assert.equal(master.vrrp_ip === backup.vrrp_ip, false)
        return amps
      }
      const [oldMaster, backup] = await peersOk()
      assert.equal((await request('PUT', `/v2/octavia/amphorae/${oldMaster.id}/failover`)).status, 202)
      await new Promise(res => setTimeout(res, 50))
      await lbActive()
      const [newMaster, sameBackup] = await peersOk()
      assert.notEqual(newMaster.id, oldMaster.id)
      assert.equal(sameBackup.id, backup.id, 'the survivor stays')
      assert.equal(agent.registered(oldMaster.id), false)
      assert.equal((await database.db.selectFrom('amphora').select('status').where('id', '=', oldMaster.id).executeTakeFirstOrThrow()).status, 'DELETED')
      assert.equal((await request('PUT', `/v2/lbaas/loadbalancers/${lbId}/failover`)).status, 202)
      await new Promise(res => setTimeout(res, 50))
      await lbActive()
      const after = await peersOk()
      assert.equal(after.some(a => a.id === newMaster.id || a.id === backup.id), false, 'a load balancer failover replaces both')
      assert.equal((await request('DELETE', `/v2/lbaas/loadbalancers/${lbId}?cascade=true`)).status, 204)
    })
  })
}
