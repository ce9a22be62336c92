import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { active, healthMonitorRow, l7PolicyRow, l7RuleRow, lbRow, listenerRow, memberRow, poolRow } from './support/expected-rows.js'
import { expectFields, idLines, isUuid, oneOf } from './support/field-match.js'
import { haveOpenstackCli, type OpenstackCli } from './support/openstack-cli.js'
import { errorLogLines, type ServiceProcess } from './support/service-process.js'
import { addressInSubnet, inSubnet, type NeutronSubnet } from './support/subnets.js'
import { haveKeystone } from '../support/keystone.js'
import { keystoneCli } from '../support/keystone-cli.js'
import { startKeystoneCloud, startOctaviaWithKeystone, type KeystoneCloud } from '../support/keystone-cloud.js'
import { tokenClient, waitActive, waitWithToken, type TokenCall } from '../support/keystone-http.js'

// The real `openstack` CLI with password auth against a real Keystone whose
// catalog points `load-balancer` and `network` at octavia-ts: the foundation's
// load balancer scenario as a load-balancer_member, then the admin commands
// (quota, flavor profile / flavor, AZ profile / AZ, amphora, provider) as the
// cloud admin. Waits between steps use fetch with a token (`--wait` costs 5 s).

const LB_OPER = oneOf('ONLINE', 'OFFLINE')
const MEMBER_OPER = oneOf('NO_MONITOR', 'ONLINE', 'OFFLINE')

const skip = !haveKeystone() ? 'Debian\'s keystone package is not installed (scripts/setup.sh)'
  : !haveOpenstackCli() ? 'the openstack CLI is not installed (scripts/setup.sh)' : false

describe('the openstack CLI with Keystone password auth', { skip }, () => {
  let cloud: KeystoneCloud
  let svc: ServiceProcess
  let call: TokenCall
  let alice: OpenstackCli
  let admin: OpenstackCli
  let aliceToken: string
  let subnet: NeutronSubnet
  let alpha: string
  const id: Record<string, string> = {}
  const need = (...names: string[]) => {
    for (const n of names) if (!id[n]) throw new Error(`an earlier step did not create ${n}`)
  }
  const lbActive = () => waitActive(call, `/v2/lbaas/loadbalancers/${id.lb}`, aliceToken)

  before(async () => {
    cloud = await startKeystoneCloud()
    svc = await startOctaviaWithKeystone(cloud)
    call = tokenClient(svc.url)
    alice = keystoneCli(cloud.keystone.url, cloud.users.alice)
    admin = keystoneCli(cloud.keystone.url, cloud.users.cloudadmin)
    aliceToken = await cloud.token('alice')
    alpha = cloud.users.alice.projectId
    subnet = (await call('GET', '/v2.0/subnets?name=public-subnet', aliceToken)).body.subnets[0]
  })
  after(async () => {
    const errors = svc ? errorLogLines(svc.logs()) : []
    if (errors.length) process.stderr.write(`# service errors:\n${errors.slice(-20).join('\n')}\n`)
    await svc?.dispose()
    await cloud?.dispose()
  })

  it('when a member lists providers, then the noop driver is there', async () => {
    const rows = await alice.json(['loadbalancer', 'provider', 'list'])
    assert.ok(rows.some((p: any) => p.name === 'noop_driver'), JSON.stringify(rows))
  })

  it('when a member creates a load balancer by subnet name, then it is in her project and becomes ACTIVE', async () => {
    const lb = await alice.json(['loadbalancer', 'create', '--name', 'lb-web', '--description', 'web tier',
      '--vip-subnet-id', 'public-subnet', '--tag', 'web'])
    id.lb = lb.id
    expectFields('loadbalancer create', lb, lbRow({
      name: 'lb-web', description: 'web tier', tags: 'web', vip_subnet_id: subnet.id, vip_network_id: subnet.network_id,
      vip_address: inSubnet(subnet),
    }, alpha))
    await lbActive()
    expectFields('loadbalancer show', await alice.json(['loadbalancer', 'show', 'lb-web']), lbRow({
      id: id.lb, name: 'lb-web', description: 'web tier', tags: 'web', vip_subnet_id: subnet.id, vip_network_id: subnet.network_id,
      vip_address: inSubnet(subnet), ...active(LB_OPER),
    }, alpha))
    assert.deepEqual((await alice.json(['loadbalancer', 'list', '-c', 'id'])).map((r: any) => r.id), [id.lb])
  })

  it('when a listener, a pool and two members are created, then they have their fields', async () => {
    need('lb')
    const l = await alice.json(['loadbalancer', 'listener', 'create', '--name', 'http-in', '--protocol', 'HTTP', '--protocol-port', '80', 'lb-web'])
    id.listener = l.id
    expectFields('listener create', l, listenerRow({ name: 'http-in', loadbalancers: id.lb }, alpha))
    await lbActive()
    const p = await alice.json(['loadbalancer', 'pool', 'create', '--name', 'web-pool', '--protocol', 'HTTP',
      '--lb-algorithm', 'ROUND_ROBIN', '--listener', 'http-in'])
    id.pool = p.id
    expectFields('pool create', p, poolRow({ name: 'web-pool', listeners: id.listener, loadbalancers: id.lb }, alpha))
    await lbActive()
    const m1 = await alice.json(['loadbalancer', 'member', 'create', '--name', 'm1', '--address', addressInSubnet(subnet, 200),
      '--protocol-port', '8080', '--subnet-id', 'public-subnet', 'web-pool'])
    id.m1 = m1.id
    expectFields('member create', m1, memberRow({ name: 'm1', address: addressInSubnet(subnet, 200), protocol_port: 8080, subnet_id: subnet.id }, alpha))
    await lbActive()
    const m2 = await alice.json(['loadbalancer', 'member', 'create', '--name', 'm2', '--address', addressInSubnet(subnet, 201),
      '--protocol-port', '8080', '--subnet-id', subnet.id, 'web-pool'])
    id.m2 = m2.id
    await lbActive()
    await waitActive(call, `/v2/lbaas/pools/${id.pool}/members/${id.m2}`, aliceToken)
    expectFields('member show', await alice.json(['loadbalancer', 'member', 'show', 'web-pool', 'm2']), memberRow({
      id: id.m2, name: 'm2', address: addressInSubnet(subnet, 201), protocol_port: 8080, subnet_id: subnet.id, ...active(MEMBER_OPER),
    }, alpha))
  })

  it('when a health monitor, an L7 policy and a rule are created, then they are ACTIVE', async () => {
    need('pool', 'listener')
    const hm = await alice.json(['loadbalancer', 'healthmonitor', 'create', '--name', 'hm', '--delay', '5', '--timeout', '3',
      '--max-retries', '2', '--type', 'HTTP', '--url-path', '/health', 'web-pool'])
    id.hm = hm.id
    expectFields('healthmonitor create', hm, healthMonitorRow({ name: 'hm', pools: id.pool, timeout: 3, max_retries: 2, url_path: '/health' }, alpha))
    await lbActive()
    const pol = await alice.json(['loadbalancer', 'l7policy', 'create', '--name', 'to-pool', '--action', 'REDIRECT_TO_POOL',
      '--redirect-pool', 'web-pool', 'http-in'])
    id.policy = pol.id
    expectFields('l7policy create', pol, l7PolicyRow({ name: 'to-pool', listener_id: id.listener, action: 'REDIRECT_TO_POOL', redirect_pool_id: id.pool }, alpha))
    await lbActive()
    const rule = await alice.json(['loadbalancer', 'l7rule', 'create', '--type', 'PATH', '--compare-type', 'STARTS_WITH', '--value', '/api', 'to-pool'])
    id.rule = rule.id
    expectFields('l7rule create', rule, l7RuleRow({ type: 'PATH', compare_type: 'STARTS_WITH', value: '/api' }, alpha))
    await lbActive()
    await waitActive(call, `/v2/lbaas/l7policies/${id.policy}/rules/${id.rule}`, aliceToken)
    expectFields('l7policy show', await alice.json(['loadbalancer', 'l7policy', 'show', 'to-pool']), l7PolicyRow({
      id: id.policy, name: 'to-pool', listener_id: id.listener, action: 'REDIRECT_TO_POOL', redirect_pool_id: id.pool,
      rules: idLines(id.rule), ...active('ONLINE'),
    }, alpha))
  })

  it('when the status tree is shown and objects are set, then the CLI sees the changes', async () => {
    need('hm', 'm1', 'm2')
    const tree = JSON.parse(await alice.ok(['loadbalancer', 'status', 'show', 'lb-web']))
    assert.equal(tree.loadbalancer.listeners[0].pools[0].health_monitor.id, id.hm)
    assert.deepEqual(tree.loadbalancer.listeners[0].pools[0].members.map((m: any) => m.id).sort(), [id.m1, id.m2].sort())
    await alice.ok(['loadbalancer', 'set', '--name', 'lb-web2', '--description', 'renamed', 'lb-web'])
    await lbActive()
    await alice.ok(['loadbalancer', 'listener', 'set', '--connection-limit', '1000', 'http-in'])
    await lbActive()
    await alice.ok(['loadbalancer', 'member', 'set', '--weight', '10', 'web-pool', 'm1'])
    await lbActive()
    expectFields('after set', await alice.json(['loadbalancer', 'show', id.lb, '-c', 'name', '-c', 'description']), { name: 'lb-web2', description: 'renamed' })
    expectFields('after listener set', await alice.json(['loadbalancer', 'listener', 'show', 'http-in', '-c', 'connection_limit']), { connection_limit: 1000 })
    expectFields('after member set', await alice.json(['loadbalancer', 'member', 'show', 'web-pool', 'm1', '-c', 'weight']), { weight: 10 })
  })

  it('when a member tries an admin command, then the CLI reports the 403', async () => {
    const r = await alice.run(['loadbalancer', 'amphora', 'list'])
    assert.notEqual(r.code, 0)
    assert.match(r.stderr, /Policy does not allow this request to be performed\. \(HTTP 403\)/)
  })

  it('when the admin sets, shows, lists and resets a project\'s quota, then each step shows it', async () => {
    await admin.ok(['loadbalancer', 'quota', 'set', '--loadbalancer', '5', '--listener', '10', '--member', '50', 'alpha'])
    const q = await admin.json(['loadbalancer', 'quota', 'show', 'alpha'])
    expectFields('quota show', q, { ...q, load_balancer: 5, listener: 10, member: 50, pool: -1 })
    const rows = await admin.json(['loadbalancer', 'quota', 'list'])
    assert.ok(rows.some((r: any) => r.project_id === alpha && r.load_balancer === 5), JSON.stringify(rows))
    await admin.ok(['loadbalancer', 'quota', 'reset', 'alpha'])
    expectFields('quota after reset', await admin.json(['loadbalancer', 'quota', 'show', 'alpha']), { ...q, load_balancer: -1, listener: -1, member: -1 })
    // NOTE: by id: a member may not look projects up by name in Keystone, so the CLI would send the name as the id.
    const own = await alice.json(['loadbalancer', 'quota', 'show', alpha])
    assert.equal(own.load_balancer, -1)
  })

  it('when the admin creates, lists, sets and deletes a flavor profile and a flavor, then each step shows it', async () => {
    const fp = await admin.json(['loadbalancer', 'flavorprofile', 'create', '--name', 'fp-small', '--provider', 'noop_driver', '--flavor-data', '{}'])
    expectFields('flavorprofile create', fp, { id: isUuid, name: 'fp-small', provider_name: 'noop_driver', flavor_data: '{}' })
    assert.deepEqual((await admin.json(['loadbalancer', 'flavorprofile', 'list', '-c', 'name'])).map((r: any) => r.name), ['fp-small'])
    await admin.ok(['loadbalancer', 'flavorprofile', 'set', '--name', 'fp-tiny', 'fp-small'])
    const f = await admin.json(['loadbalancer', 'flavor', 'create', '--name', 'tiny', '--flavorprofile', 'fp-tiny', '--description', 'd', '--enable'])
    expectFields('flavor create', f, { id: isUuid, name: 'tiny', flavor_profile_id: fp.id, enabled: true, description: 'd' })
    assert.deepEqual((await alice.json(['loadbalancer', 'flavor', 'list', '-c', 'name'])).map((r: any) => r.name), ['tiny'], 'members read flavors')
    await admin.ok(['loadbalancer', 'flavor', 'set', '--name', 'tiny2', '--disable', 'tiny'])
    expectFields('flavor after set', await admin.json(['loadbalancer', 'flavor', 'show', f.id]), { id: f.id, name: 'tiny2', flavor_profile_id: fp.id, enabled: false, description: 'd' })
    await admin.ok(['loadbalancer', 'flavor', 'delete', 'tiny2'])
    await admin.ok(['loadbalancer', 'flavorprofile', 'delete', 'fp-tiny'])
    assert.deepEqual(await admin.json(['loadbalancer', 'flavor', 'list']), [])
    assert.deepEqual(await admin.json(['loadbalancer', 'flavorprofile', 'list']), [])
  })

  it('when the admin creates and lists an availability zone profile and zone, then they are listed', async () => {
    const azp = await admin.json(['loadbalancer', 'availabilityzoneprofile', 'create', '--name', 'azp1', '--provider', 'noop_driver',
      '--availability-zone-data', '{}'])
    expectFields('availabilityzoneprofile create', azp, { id: isUuid, name: 'azp1', provider_name: 'noop_driver', availability_zone_data: '{}' })
    assert.deepEqual((await admin.json(['loadbalancer', 'availabilityzoneprofile', 'list', '-c', 'id'])).map((r: any) => r.id), [azp.id])
    const az = await admin.json(['loadbalancer', 'availabilityzone', 'create', '--name', 'az1', '--availabilityzoneprofile', 'azp1', '--description', 'zone'])
    expectFields('availabilityzone create', az, { name: 'az1', availability_zone_profile_id: azp.id, enabled: true, description: 'zone' })
    assert.deepEqual((await admin.json(['loadbalancer', 'availabilityzone', 'list', '-c', 'name'])).map((r: any) => r.name), ['az1'])
  })

  it('when the admin lists and shows amphorae, then the load balancer\'s amphora is there', async () => {
    need('lb')
    const rows = await admin.json(['loadbalancer', 'amphora', 'list', '--loadbalancer', id.lb])
    assert.equal(rows.length, 1, JSON.stringify(rows))
    const amp = await admin.json(['loadbalancer', 'amphora', 'show', rows[0].id])
    expectFields('amphora show', amp, { ...amp, id: rows[0].id, loadbalancer_id: id.lb })
  })

  it('when the admin lists providers and a provider\'s capabilities, then they are printed', async () => {
    const providers = await admin.json(['loadbalancer', 'provider', 'list'])
    assert.ok(providers.some((p: any) => p.name === 'noop_driver'))
    const caps = await admin.json(['loadbalancer', 'provider', 'capability', 'list', 'noop_driver'])
    assert.ok(Array.isArray(caps), JSON.stringify(caps))
    for (const c of caps) expectFields('capability', c, { type: oneOf('flavor', 'availability_zone'), name: c.name, description: c.description })
  })

  it('when the member deletes her load balancer with --cascade, then it and its children are gone', async () => {
    need('lb')
    await alice.ok(['loadbalancer', 'delete', '--cascade', 'lb-web2'])
    await waitWithToken(call, `/v2/lbaas/loadbalancers/${id.lb}`, aliceToken, r => r.status === 404)
    assert.deepEqual(await alice.json(['loadbalancer', 'list']), [])
    assert.deepEqual(await alice.json(['loadbalancer', 'listener', 'list']), [])
  })
})
