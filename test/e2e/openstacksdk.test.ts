import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { expectFields, isUuid } from './support/field-match.js'
import { haveOpenstackSdk, runSdkScenario } from './support/openstacksdk.js'
import {
  ACTIVE, sdkHealthMonitor, sdkL7Policy, sdkL7Rule, sdkListener, sdkLoadBalancer, sdkMember, sdkNetwork, sdkPool,
  sdkSubnet, sdkVipPort,
} from './support/sdk-rows.js'
import { errorLogLines, type ServiceProcess } from './support/service-process.js'
import { inSubnet } from './support/subnets.js'
import { haveKeystone } from '../support/keystone.js'
import { startKeystoneCloud, startOctaviaWithKeystone, type KeystoneCloud } from '../support/keystone-cloud.js'
import { tokenClient } from '../support/keystone-http.js'

// Debian's python3-openstacksdk (0.101, the SDK behind Ansible's openstack.cloud)
// against `octavia-ts serve` through a real Keystone whose catalog holds
// `load-balancer` (the API port) and `network` (the Neutron-compatible
// listener). One run of test/e2e/support/openstacksdk-scenario.py does every
// step; the cases below check what the SDK returned, field by field.

const skip = !haveKeystone() ? 'Debian\'s keystone package is not installed (scripts/setup.sh)'
  : !haveOpenstackSdk() ? 'python3-openstacksdk is not installed (scripts/setup.sh)' : false

describe('openstacksdk with a Keystone catalog', { skip }, () => {
  let cloud: KeystoneCloud
  let svc: ServiceProcess
  let neutronUrl: string
  let alpha: string
  let out: any
  let subnet: any
  let sdkMs = 0
  /** The scenario's record of one step; fails with the script's traceback when the step never ran. */
  const step = (key: string): any => {
    if (out?.[key] === undefined) throw new Error(`the scenario did not reach ${key}:\n${out?.error ?? 'no output'}`)
    return out[key]
  }

  before(async () => {
    cloud = await startKeystoneCloud()
    svc = await startOctaviaWithKeystone(cloud)
    neutronUrl = svc.neutronUrl ?? assert.fail('the Neutron-compatible listener is disabled')
    alpha = cloud.users.alice.projectId
    const token = await cloud.token('alice')
    subnet = (await tokenClient(neutronUrl)('GET', '/v2.0/subnets?name=public-subnet', token)).body.subnets[0]
    const started = Date.now()
    out = await runSdkScenario({
      authUrl: `${cloud.keystone.url}/v3`, member: cloud.users.alice, admin: cloud.users.cloudadmin,
      versionedNetworkUrl: `${neutronUrl}/v2.0`, prefixedNetworkUrl: `${svc.url}/networking`,
    })
    sdkMs = Date.now() - started
  })
  after(async () => {
    process.stderr.write(`# openstacksdk scenario: ${sdkMs} ms\n`)
    const errors = svc ? errorLogLines(svc.logs()) : []
    if (errors.length) process.stderr.write(`# service errors:\n${errors.slice(-20).join('\n')}\n`)
    await svc?.dispose()
    await cloud?.dispose()
  })

  it('when the scenario runs, then no step fails', () => {
    assert.equal(out.error, null, out.error)
  })

  it('when a client discovers the Neutron roots without a token, then they answer Neutron\'s version document', async () => {
    const anonymous = (url: string) => tokenClient(url)
    assert.deepEqual((await anonymous(neutronUrl)('GET', '/')).body,
      { versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ rel: 'self', href: `${neutronUrl}/v2.0/` }] }] })
    assert.deepEqual((await anonymous(svc.url)('GET', '/networking/')).body,
      { versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ rel: 'self', href: `${svc.url}/networking/v2.0/` }] }] })
    assert.equal((await anonymous(neutronUrl)('GET', '/v2.0/subnets')).status, 401)
    const listing = await tokenClient(neutronUrl)('GET', '/v2.0/', await cloud.token('alice'))
    assert.deepEqual(listing.body.resources.map((r: any) => [r.name, r.collection, r.links[0].href]),
      ['network', 'subnet', 'subnetpool', 'port'].map(n => [n, `${n}s`, `${neutronUrl}/v2.0/${n}s`]))
  })

  it('when the SDK discovers the network service, then it finds Neutron v2.0 from the catalog and from either override', () => {
    const d = step('discovery')
    assert.deepEqual(d.catalog, { api_version: [2, 0], url: `${neutronUrl}/v2.0`, catalog_url: `${neutronUrl}/v2.0` })
    assert.deepEqual(d.versioned_network_url,
      { api_version: [2, 0], url: `${neutronUrl}/v2.0`, catalog_url: `${neutronUrl}/v2.0`, subnets: ['public-subnet'] })
    assert.deepEqual(d.prefixed_network_url, {
      api_version: [2, 0], url: `${svc.url}/networking/v2.0/`, catalog_url: `${svc.url}/networking/v2.0/`, subnets: ['public-subnet'],
    })
  })

  it('when the SDK lists and finds subnets and networks, then it reads octavia-ts\'s declared ones', () => {
    const n = step('network')
    assert.equal(n.subnets.length, 1)
    expectFields('subnets()', n.subnets[0], sdkSubnet(subnet))
    expectFields('find_subnet(public-subnet)', n.found_subnet, sdkSubnet(subnet))
    assert.deepEqual(n.subnets_by_name, [subnet.id])
    assert.equal(n.missing_subnet, null)
    assert.equal(n.networks.length, 1)
    expectFields('networks()', n.networks[0], sdkNetwork(subnet.network_id, 'public', [subnet.id]))
    expectFields('find_network(public)', n.found_network, sdkNetwork(subnet.network_id, 'public', [subnet.id]))
  })

  it('when the SDK creates, waits for, lists, gets and updates a load balancer, then each answer has its fields', () => {
    const lb = step('load_balancer')
    const mine = { name: 'sdk-lb', description: 'made by openstacksdk', tags: ['sdk'], vip_address: inSubnet(subnet),
      vip_subnet_id: subnet.id, vip_network_id: subnet.network_id }
    expectFields('create_load_balancer', lb.created, sdkLoadBalancer(alpha, mine))
    const id = lb.created.id
    assert.deepEqual(lb.listed, [id])
    expectFields('get_load_balancer', lb.got, sdkLoadBalancer(alpha, { ...mine, ...ACTIVE, id }))
    expectFields('update_load_balancer', lb.updated,
      sdkLoadBalancer(alpha, { ...mine, ...ACTIVE, id, description: 'updated by openstacksdk' }))
    expectFields('get_port(vip_port_id)', step('vip_port'), sdkVipPort(lb.got, alpha))
    assert.deepEqual(step('stats'),
      { active_connections: 0, bytes_in: 0, bytes_out: 0, request_errors: 0, total_connections: 0, id: null, name: null })
  })

  it('when the SDK drives a listener and a pool, then each answer has its fields', () => {
    const lbId = step('load_balancer').created.id
    const l = step('listener')
    const lMine = { name: 'sdk-http', load_balancer_id: lbId, load_balancers: [{ id: lbId }] }
    expectFields('create_listener', l.created, sdkListener(alpha, lMine))
    assert.deepEqual(l.listed, [l.created.id])
    expectFields('get_listener', l.got, sdkListener(alpha, { ...lMine, ...ACTIVE, id: l.created.id }))
    expectFields('update_listener', l.updated, sdkListener(alpha, { ...lMine, ...ACTIVE, id: l.created.id, connection_limit: 1000 }))
    const p = step('pool')
    const pMine = { name: 'sdk-pool', listener_id: l.created.id, listeners: [{ id: l.created.id }], loadbalancers: [{ id: lbId }] }
    expectFields('create_pool', p.created, sdkPool(alpha, pMine))
    assert.deepEqual(p.listed, [p.created.id])
    expectFields('get_pool', p.got, sdkPool(alpha, { ...pMine, ...ACTIVE, id: p.created.id }))
    expectFields('update_pool', p.updated, sdkPool(alpha, { ...pMine, ...ACTIVE, id: p.created.id, lb_algorithm: 'LEAST_CONNECTIONS' }))
  })

  it('when the SDK drives a member and a health monitor, then each answer has its fields', () => {
    const poolId = step('pool').created.id
    const m = step('member')
    const mMine = { name: 'sdk-m1', address: step('member_address'), protocol_port: 8080, subnet_id: subnet.id }
    expectFields('create_member', m.created, sdkMember(alpha, mMine))
    assert.deepEqual(m.listed, [m.created.id])
    expectFields('get_member', m.got, sdkMember(alpha, { ...mMine, ...ACTIVE, id: m.created.id }))
    expectFields('update_member', m.updated, sdkMember(alpha, { ...mMine, ...ACTIVE, id: m.created.id, weight: 10 }))
    const hm = step('health_monitor')
    const hMine = { name: 'sdk-hm', pools: [{ id: poolId }], pool_id: poolId, timeout: 3, max_retries: 2, url_path: '/health' }
    expectFields('create_health_monitor', hm.created, sdkHealthMonitor(alpha, hMine))
    assert.deepEqual(hm.listed, [hm.created.id])
    const hActive = { ...hMine, ...ACTIVE, id: hm.created.id, operating_status: 'ONLINE' }
    expectFields('get_health_monitor', hm.got, sdkHealthMonitor(alpha, hActive))
    expectFields('update_health_monitor', hm.updated, sdkHealthMonitor(alpha, { ...hActive, delay: 7 }))
  })

  it('when the SDK drives an L7 policy and an L7 rule, then each answer has its fields', () => {
    const listenerId = step('listener').created.id
    const pol = step('l7_policy')
    const pMine = { name: 'sdk-policy', listener_id: listenerId, action: 'REDIRECT_TO_POOL', redirect_pool_id: step('pool').created.id }
    expectFields('create_l7_policy', pol.created, sdkL7Policy(alpha, pMine))
    assert.deepEqual(pol.listed, [pol.created.id])
    const pActive = { ...pMine, ...ACTIVE, id: pol.created.id, operating_status: 'ONLINE' }
    expectFields('get_l7_policy', pol.got, sdkL7Policy(alpha, pActive))
    expectFields('update_l7_policy', pol.updated, sdkL7Policy(alpha, { ...pActive, name: 'sdk-policy-2' }))
    const rule = step('l7_rule')
    const rMine = { compare_type: 'STARTS_WITH', rule_value: '/api' }
    expectFields('create_l7_rule', rule.created, sdkL7Rule(alpha, rMine))
    assert.deepEqual(rule.listed, [rule.created.id])
    const rActive = { ...rMine, ...ACTIVE, id: rule.created.id, operating_status: 'ONLINE' }
    expectFields('get_l7_rule', rule.got, sdkL7Rule(alpha, rActive))
    expectFields('update_l7_rule', rule.updated, sdkL7Rule(alpha, { ...rActive, rule_value: '/v2' }))
  })

  it('when the SDK deletes every object bottom-up, then each one is gone (404) before the next', () => {
    assert.deepEqual(step('deleted'), {
      l7_rule: true, l7_policy: true, health_monitor: true, member: true, pool: true, listener: true, load_balancer: true,
    })
  })

  it('when the admin sets and resets a quota and makes a flavor and a zone, then the SDK shows them', () => {
    const quota = (lb: number, listener: number, member: number) => ({
      load_balancers: lb, listeners: listener, pools: -1, health_monitors: -1, members: member, project_id: alpha, id: alpha, name: null,
    })
    const q = step('quota')
    assert.deepEqual(q, { before: quota(-1, -1, -1), updated: quota(5, 10, 50), got: quota(5, 10, 50), reset: quota(-1, -1, -1) })
    const f = step('flavor')
    assert.deepEqual(f.listed, ['sdk-flavor'])
    expectFields('find_flavor', f.got, { id: isUuid, name: 'sdk-flavor', description: 'small', flavor_profile_id: isUuid, is_enabled: true })
    const az = step('availability_zone')
    assert.deepEqual(az.listed, ['sdk-az'])
    expectFields('find_availability_zone', az.got,
      { id: 'sdk-az', name: 'sdk-az', description: 'zone', availability_zone_profile_id: isUuid, is_enabled: true })
    assert.deepEqual(step('providers'), ['noop_driver'])
  })
})
