import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { agentBaseDir } from '../../src/amphora-api/agent-paths.js'
import { openDatabase, type Database } from '../../src/db/database.js'
import { expectFields, isTime, isUuid, matcher } from './support/field-match.js'
import { childProcessesOf, listenersOn, namespaceNames, processesNaming } from './support/host-footprint.js'
import { httpClient, type HttpClient } from './support/http-client.js'
import { lbSteps, waitGone } from './support/lb-steps.js'
import { freePort, startService, type ServiceProcess } from './support/service-process.js'

// Octavia's own API gate job (octavia-v2-dsvm-noop-api) runs the amphora provider with
// `[controller_worker] amphora_driver = amphora_noop_driver`, `compute_driver = compute_noop_driver` and
// `network_driver = network_noop_driver`. Here the built `octavia-ts serve` runs that configuration and is
// driven as a user (or that job's tempest plugin) drives Octavia. (Requires the built bundle: node build.mjs.)

const NOOP_VIP = '198.51.100.1'

/** A timestamp about `days` days from now (a certificate's end of validity). */
const inDays = (days: number) => matcher(`a timestamp ${days} days from now`, v =>
  typeof v === 'string' && Math.abs(Date.parse(`${v}Z`) - Date.now() - days * 86_400_000) < 600_000)

/** Octavia's AmphoraResponse of an amphora of load balancer `lb` as its noop gate leaves it. */
const noopAmphora = (lb: any, role: string, vrrpPriority: number | null) => ({
  id: isUuid, loadbalancer_id: lb.id, compute_id: isUuid,
  lb_network_ip: '192.0.2.1', vrrp_ip: NOOP_VIP, ha_ip: lb.vip_address, vrrp_port_id: isUuid, ha_port_id: lb.vip_port_id,
  cert_expiration: inDays(30), cert_busy: false, role, status: 'ALLOCATED', vrrp_interface: null, vrrp_id: 1,
  vrrp_priority: vrrpPriority, cached_zone: null, created_at: isTime, updated_at: isTime, image_id: null, compute_flavor: null,
})

describe('octavia-ts serve in Octavia\'s API gate configuration (amphora, compute and network noop drivers)', () => {
  let svc: ServiceProcess
  let api: HttpClient
  let agentPort = 0
  const namespacesBefore = new Set(namespaceNames())
  const lbIds: string[] = []
  const amps = async (lbId: string): Promise<any[]> =>
    (await api.request('GET', `/v2/octavia/amphorae?loadbalancer_id=${lbId}`)).body.amphorae
  const createLb = async (body: object): Promise<any> => {
    const r = await api.request('POST', '/v2/lbaas/loadbalancers', { loadbalancer: body })
    assert.equal(r.status, 201, JSON.stringify(r.body))
    lbIds.push(r.body.loadbalancer.id)
    return api.waitStatus(`/v2/lbaas/loadbalancers/${r.body.loadbalancer.id}`, 'ACTIVE')
  }
  const deleteLb = async (lbId: string) => {
    assert.equal((await api.request('DELETE', `/v2/lbaas/loadbalancers/${lbId}?cascade=true`)).status, 204)
    await waitGone(api, `/v2/lbaas/loadbalancers/${lbId}`)
  }

  before(async () => {
    agentPort = await freePort()
    svc = await startService({
      sections: {
        api_settings: { enabled_provider_drivers: 'amphora:The Octavia Amphora driver.,octavia:Deprecated alias of the Octavia Amphora driver.', default_provider_driver: 'amphora' },
        controller_worker: { amphora_driver: 'amphora_noop_driver', compute_driver: 'compute_noop_driver', network_driver: 'network_noop_driver' },
        amphora_agent: { bind_port: String(agentPort) },
        haproxy_amphora: { bind_port: String(agentPort) },
      },
    })
    api = httpClient(svc.url)
  })
  after(async () => {
    // Should a regression build real amphorae, they must not outlive the test: delete whatever is left first.
    for (const id of lbIds) await api?.request('DELETE', `/v2/lbaas/loadbalancers/${id}?cascade=true`).catch(() => undefined)
    for (const id of lbIds) await waitGone(api, `/v2/lbaas/loadbalancers/${id}`, 5000).catch(() => undefined)
    await svc?.dispose()
  })

  let lb: any
  let asLb: any

  it('when load balancers are created on invented subnet, network and port ids, then each goes ACTIVE on those ids', async t => {
    const [subnetId, networkId, portId] = [randomUUID(), randomUUID(), randomUUID()]
    const t0 = performance.now()
    lb = await createLb({ name: 'gate', vip_subnet_id: subnetId })
    t.diagnostic(`load balancer create → ACTIVE: ${Math.round(performance.now() - t0)} ms`)
    assert.deepEqual([lb.vip_subnet_id, lb.vip_address, lb.provider, lb.operating_status], [subnetId, NOOP_VIP, 'amphora', 'OFFLINE'],
      'the noop network driver\'s VIP; nothing measures the load balancer, so it stays OFFLINE as in Octavia\'s gate')
    const byNetwork = await createLb({ vip_network_id: networkId })
    assert.deepEqual([byNetwork.vip_network_id, byNetwork.vip_address], [networkId, NOOP_VIP])
    const byPort = await createLb({ vip_port_id: portId })
    assert.equal(byPort.vip_port_id, portId)
    for (const other of [byNetwork, byPort]) await deleteLb(other.id)
  })

  it('when a listener, a pool, members, a health monitor, an L7 policy and an L7 rule are created and updated, then each goes ACTIVE', async () => {
    const s = lbSteps(api, lb.id)
    const listener = await s.create('/v2/lbaas/listeners', 'listener', { loadbalancer_id: lb.id, protocol: 'HTTP', protocol_port: 80 })
    await s.update(`/v2/lbaas/listeners/${listener.id}`, 'listener', { name: 'web', connection_limit: 100 })
    const pool = await s.create('/v2/lbaas/pools', 'pool', { listener_id: listener.id, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' })
    await s.update(`/v2/lbaas/pools/${pool.id}`, 'pool', { lb_algorithm: 'LEAST_CONNECTIONS' })
    const members = `/v2/lbaas/pools/${pool.id}/members`
    const member = await s.create(members, 'member', { address: '192.0.2.10', protocol_port: 8080, subnet_id: randomUUID() })
    assert.equal((await s.update(`${members}/${member.id}`, 'member', { weight: 5 })).weight, 5)
    const batch = await api.request('PUT', members, { members: [
      { address: '192.0.2.10', protocol_port: 8080, weight: 7 }, { address: '192.0.2.11', protocol_port: 8080, subnet_id: randomUUID() },
    ] })
    assert.equal(batch.status, 202, JSON.stringify(batch.body))
    await api.waitStatus(`/v2/lbaas/loadbalancers/${lb.id}`, 'ACTIVE')
    const listed = (await api.request('GET', members)).body.members
    assert.deepEqual(listed.map((m: any) => [m.address, m.weight, m.provisioning_status]).sort(),
      [['192.0.2.10', 7, 'ACTIVE'], ['192.0.2.11', 1, 'ACTIVE']])
    const hm = await s.create('/v2/lbaas/healthmonitors', 'healthmonitor', { pool_id: pool.id, type: 'HTTP', delay: 5, timeout: 3, max_retries: 3 })
    await s.update(`/v2/lbaas/healthmonitors/${hm.id}`, 'healthmonitor', { delay: 10 })
    const late = await s.create(members, 'member', { address: '192.0.2.12', protocol_port: 8080 })
    assert.equal(late.operating_status, 'OFFLINE', 'a member of a monitored pool starts OFFLINE and nothing measures it')
    const policy = await s.create('/v2/lbaas/l7policies', 'l7policy', { listener_id: listener.id, action: 'REDIRECT_TO_POOL', redirect_pool_id: pool.id })
    await s.update(`/v2/lbaas/l7policies/${policy.id}`, 'l7policy', { name: 'api' })
    const rules = `/v2/lbaas/l7policies/${policy.id}/rules`
    const rule = await s.create(rules, 'rule', { type: 'PATH', compare_type: 'STARTS_WITH', value: '/api' })
    await s.update(`${rules}/${rule.id}`, 'rule', { value: '/v2' })
    lb.children = { listener, pool, hm, policy, rule, members: listed, late }
  })

  it('when the status tree and the statistics are read, then they are what Octavia\'s noop gate shows', async () => {
    const { listener, pool, hm, policy, rule } = lb.children
    const tree = (await api.request('GET', `/v2/lbaas/loadbalancers/${lb.id}/status`)).body.statuses.loadbalancer
    assert.deepEqual([tree.provisioning_status, tree.operating_status], ['ACTIVE', 'OFFLINE'])
    const [l] = tree.listeners
    assert.deepEqual([l.id, l.operating_status, l.pools[0].id, l.pools[0].operating_status], [listener.id, 'OFFLINE', pool.id, 'OFFLINE'],
      'only a health manager measures listeners and pools')
    assert.deepEqual(l.pools[0].members.map((m: any) => m.operating_status).sort(), ['NO_MONITOR', 'NO_MONITOR', 'OFFLINE'],
      'the two created before the monitor, the one after it')
    assert.deepEqual([l.pools[0].health_monitor.id, l.pools[0].health_monitor.operating_status], [hm.id, 'ONLINE'])
    const s = lbSteps(api, lb.id)
    const l7 = [await s.show(`/v2/lbaas/l7policies/${policy.id}`), await s.show(`/v2/lbaas/l7policies/${policy.id}/rules/${rule.id}`)]
    assert.deepEqual(l7.map(o => o.operating_status), ['ONLINE', 'ONLINE'], 'the worker sets these from admin_state_up, as Octavia\'s')
    const zeros = { bytes_in: 0, bytes_out: 0, active_connections: 0, total_connections: 0, request_errors: 0 }
    assert.deepEqual((await api.request('GET', `/v2/lbaas/loadbalancers/${lb.id}/stats`)).body, { stats: zeros })
    assert.deepEqual((await api.request('GET', `/v2/lbaas/listeners/${listener.id}/stats`)).body, { stats: zeros })
  })

  it('when every child is deleted again, then each is gone and the load balancer ACTIVE after each', async () => {
    const s = lbSteps(api, lb.id)
    const { listener, pool, hm, policy, rule, members, late } = lb.children
    await s.remove(`/v2/lbaas/l7policies/${policy.id}/rules/${rule.id}`)
    await s.remove(`/v2/lbaas/l7policies/${policy.id}`)
    await s.remove(`/v2/lbaas/healthmonitors/${hm.id}`)
    await s.remove(`/v2/lbaas/pools/${pool.id}/members/${members[0].id}`)
    assert.equal((await s.show(`/v2/lbaas/pools/${pool.id}/members/${late.id}`)).operating_status, 'NO_MONITOR',
      'without its monitor, a member is NO_MONITOR (Octavia\'s health monitor delete flow)')
    await s.remove(`/v2/lbaas/pools/${pool.id}`)
    await s.remove(`/v2/lbaas/listeners/${listener.id}`)
    assert.deepEqual((await s.show(`/v2/lbaas/loadbalancers/${lb.id}`)).listeners, [])
  })

  it('when the amphorae are listed, then SINGLE has one STANDALONE and ACTIVE_STANDBY a MASTER and a BACKUP, as Octavia\'s noop drivers leave them', async () => {
    const [single] = await amps(lb.id)
    expectFields('the STANDALONE amphora', single, noopAmphora(lb, 'STANDALONE', null))
    assert.deepEqual((await api.request('GET', `/v2/octavia/amphorae/${single.id}`)).body, { amphora: single })
    const profile = (await api.request('POST', '/v2/lbaas/flavorprofiles', { flavorprofile:
      { name: 'act-stdby', provider_name: 'amphora', flavor_data: '{"loadbalancer_topology": "ACTIVE_STANDBY"}' } })).body.flavorprofile
    const flavor = (await api.request('POST', '/v2/lbaas/flavors', { flavor: { name: 'act-stdby', flavor_profile_id: profile.id } })).body.flavor
    asLb = await createLb({ vip_subnet_id: randomUUID(), flavor_id: flavor.id, listeners: [{ protocol: 'TCP', protocol_port: 443 }] })
    const pair = (await amps(asLb.id)).sort((a, b) => b.vrrp_priority - a.vrrp_priority)
    assert.equal(pair.length, 2)
    expectFields('the MASTER amphora', pair[0], noopAmphora(asLb, 'MASTER', 100))
    expectFields('the BACKUP amphora', pair[1], noopAmphora(asLb, 'BACKUP', 90))
  })

  it('when an amphora\'s statistics and configuration are asked for, then they answer as Octavia (200 with its shape, 202)', async () => {
    const [master] = await amps(asLb.id)
    const listenerId = asLb.listeners[0].id
    assert.deepEqual((await api.request('GET', `/v2/octavia/amphorae/${master.id}/stats`)).body, { amphora_stats: [{
      active_connections: 0, bytes_in: 0, bytes_out: 0, id: master.id, listener_id: listenerId, loadbalancer_id: asLb.id,
      request_errors: 0, total_connections: 0,
    }] })
    const [single] = await amps(lb.id)
    const none = await api.request('GET', `/v2/octavia/amphorae/${single.id}/stats`)
    assert.deepEqual([none.status, none.body.faultstring], [404, `Amphora stats for ${single.id} not found.`], 'no listener, no statistics')
    const config = await api.request('PUT', `/v2/octavia/amphorae/${master.id}/config`)
    assert.deepEqual([config.status, config.body], [202, null])
    await waitFor(async () => (await jobStates(svc.databaseUrl, 'update_amphora_agent_config')).join() === 'DONE')
    assert.deepEqual((await api.request('GET', `/v2/octavia/amphorae/${master.id}`)).body.amphora.status, 'ALLOCATED')
    assert.equal((await api.request('GET', `/v2/lbaas/loadbalancers/${asLb.id}`)).body.loadbalancer.provisioning_status, 'ACTIVE')
  })

  it('when amphorae and load balancers fail over, then 202 and new amphorae with the same roles replace them', async t => {
    const before = await amps(asLb.id)
    const master = before.find(a => a.role === 'MASTER')
    const t0 = performance.now()
    const r = await api.request('PUT', `/v2/octavia/amphorae/${master.id}/failover`)
    assert.deepEqual([r.status, r.body], [202, null])
    await api.waitStatus(`/v2/lbaas/loadbalancers/${asLb.id}`, 'ACTIVE')
    t.diagnostic(`ACTIVE_STANDBY amphora failover → load balancer ACTIVE: ${Math.round(performance.now() - t0)} ms`)
    const afterAmp = await amps(asLb.id)
    assert.deepEqual(afterAmp.map(a => a.role).sort(), ['BACKUP', 'MASTER'])
    assert.ok(!afterAmp.some(a => a.id === master.id), 'the failed-over amphora is gone from the list')
    assert.equal((await api.request('GET', `/v2/octavia/amphorae/${master.id}`)).status, 404)
    const [old] = await amps(lb.id)
    assert.equal((await api.request('PUT', `/v2/lbaas/loadbalancers/${lb.id}/failover`)).status, 202)
    await api.waitStatus(`/v2/lbaas/loadbalancers/${lb.id}`, 'ACTIVE')
    const [fresh] = await amps(lb.id)
    assert.notEqual(fresh.id, old.id)
    expectFields('the STANDALONE amphora after the failover', fresh, noopAmphora(lb, 'STANDALONE', null))
  })

  it('when an amphora is deleted, then only one in ERROR goes (204), others are 409 and unknown or DELETED ones 404', async () => {
    const [serving] = await amps(lb.id)
    const busy = await api.request('DELETE', `/v2/octavia/amphorae/${serving.id}`)
    assert.deepEqual([busy.status, busy.body.faultstring], [409, `amphora ${serving.id} is immutable and cannot be updated.`])
    const unknown = randomUUID()
    const missing = await api.request('DELETE', `/v2/octavia/amphorae/${unknown}`)
    assert.deepEqual([missing.status, missing.body.faultstring], [404, `Amphora ${unknown} not found.`])
    // An amphora left in ERROR (as a failed build leaves it in Octavia); the noop drivers never fail, so the test sets it.
    await withDatabase(svc.databaseUrl, db => db.updateTable('amphora').set({ status: 'ERROR' }).where('id', '=', serving.id).execute())
    assert.equal((await api.request('DELETE', `/v2/octavia/amphorae/${serving.id}`)).status, 204)
    await api.waitUntil(`/v2/octavia/amphorae/${serving.id}`, res => res.status === 404)
    assert.deepEqual(await amps(lb.id), [])
  })

  it('when serve restarts, then the load balancers it knows still take changes and deletes', async t => {
    const t0 = performance.now()
    svc = await svc.restart()
    t.diagnostic(`serve stopped and answering again: ${Math.round(performance.now() - t0)} ms`)
    api = httpClient(svc.url)
    const s = lbSteps(api, asLb.id)
    const listener = asLb.listeners[0]
    assert.equal((await s.update(`/v2/lbaas/listeners/${listener.id}`, 'listener', { name: 'after-restart' })).name, 'after-restart')
    await s.create('/v2/lbaas/pools', 'pool', { listener_id: listener.id, protocol: 'TCP', lb_algorithm: 'SOURCE_IP' })
    for (const id of [lb.id, asLb.id]) await deleteLb(id)
  })

  it('when everything ran, then no HAProxy, keepalived or namespace was started, no agent listens and every job succeeded', async () => {
    assert.deepEqual(processesNaming(join(svc.dir, 'state')), [], 'no process names the service\'s state_dir')
    assert.deepEqual(childProcessesOf(svc.pid), [], 'serve started no process')
    assert.deepEqual(listenersOn(agentPort), [], `nothing listens on the agent port ${agentPort}`)
    assert.equal(existsSync(agentBaseDir('', join(svc.dir, 'state'))), false, 'no amphora file was written')
    const ids = await amphoraIdsOf(svc.databaseUrl)
    assert.equal(ids.length, 7, 'every amphora the service recorded: 3 SINGLE, 2 ACTIVE_STANDBY, 2 replacements')
    const fresh = namespaceNames().filter(n => !namespacesBefore.has(n) && ids.some(id => n.includes(id)))
    assert.deepEqual(fresh, [], 'no namespace of a recorded amphora appeared')
    assert.deepEqual([...new Set(await jobStates(svc.databaseUrl))], ['DONE'], 'no job failed')
  })
})

/** Polls `done` every 20 ms until it is true; throws after `ms`. */
async function waitFor(done: () => Promise<boolean>, ms = 10000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`not done within ${ms} ms`)
    await new Promise(r => setTimeout(r, 20))
  }
}

/** Runs `read` on a connection of its own to the service's database. */
async function withDatabase<T>(databaseUrl: string, read: (db: Database['db']) => Promise<T>): Promise<T> {
  const database = openDatabase(databaseUrl)
  try {
    return await read(database.db)
  } finally {
    await database.close()
  }
}

/** The states of the service's jobs (of `operation` only, when given). */
const jobStates = (databaseUrl: string, operation?: string): Promise<string[]> => withDatabase(databaseUrl, async db =>
  (await db.selectFrom('job').select('state').where(eb => (operation ? eb('operation', '=', operation) : eb.lit(true))).execute())
    .map(r => r.state))

/** Every amphora id the service recorded (any status). */
const amphoraIdsOf = (databaseUrl: string): Promise<string[]> => withDatabase(databaseUrl, async db =>
  (await db.selectFrom('amphora').select('id').execute()).map(r => r.id))
