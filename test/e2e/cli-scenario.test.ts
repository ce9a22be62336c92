import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { active, healthMonitorRow, l7PolicyRow, l7RuleRow, lbRow, listenerRow, memberRow, poolRow } from './support/expected-rows.js'
import { expectFields, hashLines, idLines, isTime, isUuid, oneOf, type Matcher } from './support/field-match.js'
import { httpClient, type HttpClient } from './support/http-client.js'
import { addressInSubnet, inSubnet, type NeutronSubnet } from './support/subnets.js'
import { haveOpenstackCli, openstackCli, type OpenstackCli } from './support/openstack-cli.js'
import { errorLogLines, startService, type ServiceProcess } from './support/service-process.js'

// The real `openstack loadbalancer` CLI (Debian's python3-octaviaclient) against
// `octavia-ts serve` on a temporary configuration: every step's output is checked
// field by field. Each CLI command costs ~0.6-1 s of Python start-up, and a
// `--wait` that finds the object still PENDING sleeps 3 s: waits between steps are
// done with fetch instead, and `--wait` only where the scenario is about it.

const LB_OPER: Matcher = oneOf('ONLINE', 'OFFLINE')
const MEMBER_OPER: Matcher = oneOf('NO_MONITOR', 'ONLINE', 'OFFLINE')
const sortedIds = (rows: Array<{ id: string }>) => rows.map(r => r.id).sort()

describe('the openstack CLI against octavia-ts serve', { skip: !haveOpenstackCli() && 'the openstack CLI is not installed (scripts/setup.sh)' }, () => {
  let svc: ServiceProcess
  let os: OpenstackCli
  let api: HttpClient
  let subnet: NeutronSubnet
  const id: Record<string, string> = {}
  const need = (...names: string[]) => {
    for (const n of names) if (!id[n]) throw new Error(`an earlier step did not create ${n}`)
  }
  const lbActive = (name = 'lbWeb') => api.waitStatus(`/v2/lbaas/loadbalancers/${id[name]}`)

  before(async () => {
    svc = await startService()
    os = openstackCli(svc.url)
    api = httpClient(svc.url)
    const r = await api.request('GET', '/v2.0/subnets?name=public-subnet')
    assert.equal(r.status, 200, `GET /v2.0/subnets?name=public-subnet: ${JSON.stringify(r.body)}`)
    assert.equal(r.body.subnets.length, 1, 'the default subnet public-subnet exists')
    subnet = r.body.subnets[0]
  })
  after(async () => {
    const errors = svc ? errorLogLines(svc.logs()) : []
    if (errors.length) process.stderr.write(`# service errors:\n${errors.slice(-20).join('\n')}\n`)
    await svc?.dispose()
  })

  it('when the CLI lists providers, then the noop driver is there', async () => {
    const rows = await os.json(['loadbalancer', 'provider', 'list'])
    assert.ok(rows.some((p: any) => p.name === 'noop_driver'), JSON.stringify(rows))
    for (const p of rows) expectFields('provider row', p, { name: p.name, description: p.description })
  })

  it('when a load balancer is created by subnet name, then it is PENDING_CREATE on that subnet and becomes ACTIVE', async () => {
    const lb = await os.json(['loadbalancer', 'create', '--name', 'lb-web', '--description', 'web tier',
      '--vip-subnet-id', 'public-subnet', '--tag', 'web', '--tag', 'blue'])
    id.lbWeb = lb.id
    expectFields('loadbalancer create', lb, lbRow({
      name: 'lb-web', description: 'web tier', tags: 'blue\nweb',
      vip_subnet_id: subnet.id, vip_network_id: subnet.network_id, vip_address: inSubnet(subnet),
    }))
    await lbActive()
  })

  it('when a load balancer is created by subnet id with --wait, then the CLI prints it ACTIVE', async () => {
    const lb = await os.json(['loadbalancer', 'create', '--name', 'lb-api', '--vip-subnet-id', subnet.id, '--disable', '--wait'])
    id.lbApi = lb.id
    expectFields('loadbalancer create --wait', lb, lbRow({
      name: 'lb-api', admin_state_up: false, vip_subnet_id: subnet.id, vip_network_id: subnet.network_id,
      vip_address: inSubnet(subnet), ...active(LB_OPER),
    }))
  })

  it('when load balancers are shown by name and listed with filters and -c, then the rows are exact', async () => {
    need('lbWeb', 'lbApi')
    const lb = await os.json(['loadbalancer', 'show', 'lb-web'])
    expectFields('loadbalancer show', lb, lbRow({
      id: id.lbWeb, name: 'lb-web', description: 'web tier', tags: 'blue\nweb', vip_subnet_id: subnet.id,
      vip_network_id: subnet.network_id, vip_address: inSubnet(subnet), ...active(LB_OPER),
    }))
    const byName = await os.json(['loadbalancer', 'list', '--name', 'lb-web'])
    assert.equal(byName.length, 1)
    expectFields('loadbalancer list --name', byName[0], {
      id: id.lbWeb, name: 'lb-web', project_id: 'default', vip_address: lb.vip_address,
      provisioning_status: 'ACTIVE', operating_status: lb.operating_status, provider: 'noop_driver',
    })
    const cols = await os.json(['loadbalancer', 'list', '-c', 'id', '-c', 'name'])
    assert.deepEqual(cols.map((r: any) => Object.keys(r).sort()), [['id', 'name'], ['id', 'name']])
    assert.deepEqual(sortedIds(cols), [id.lbWeb, id.lbApi].sort())
    assert.equal(await os.ok(['loadbalancer', 'list', '--tags', 'web', '-f', 'value', '-c', 'name']), 'lb-web\n')
    assert.equal(await os.ok(['loadbalancer', 'list', '--disable', '-f', 'value', '-c', 'name']), 'lb-api\n')
    assert.equal(await os.ok(['loadbalancer', 'list', '--provisioning-status', 'ACTIVE', '--vip-subnet-id', subnet.id,
      '-f', 'value', '-c', 'id', '--sort-column', 'id']), [id.lbWeb, id.lbApi].sort().join('\n') + '\n')
  })

  it('when a listener is created, then it is an HTTP listener on port 80 with the defaults', async () => {
    need('lbWeb')
    const l = await os.json(['loadbalancer', 'listener', 'create', '--name', 'http-in', '--protocol', 'HTTP',
      '--protocol-port', '80', '--tag', 'edge', 'lb-web'])
    id.listener = l.id
    expectFields('listener create', l, listenerRow({ name: 'http-in', loadbalancers: id.lbWeb, tags: 'edge' }))
    await api.waitStatus(`/v2/lbaas/listeners/${id.listener}`)
    await lbActive()
  })

  it('when a pool is created on the listener with --wait, then it is its ACTIVE default pool', async () => {
    need('listener')
    const p = await os.json(['loadbalancer', 'pool', 'create', '--name', 'web-pool', '--protocol', 'HTTP',
      '--lb-algorithm', 'ROUND_ROBIN', '--listener', 'http-in', '--session-persistence', 'type=APP_COOKIE,cookie_name=sess', '--wait'])
    id.pool = p.id
    expectFields('pool create --wait', p, poolRow({
      name: 'web-pool', listeners: id.listener, loadbalancers: id.lbWeb, ...active(LB_OPER),
      session_persistence: hashLines({ type: 'APP_COOKIE', cookie_name: 'sess', persistence_timeout: 'None', persistence_granularity: 'None' }),
    }))
    const l = await os.json(['loadbalancer', 'listener', 'show', 'http-in', '-c', 'default_pool_id'])
    assert.deepEqual(l, { default_pool_id: id.pool })
    assert.deepEqual(await os.json(['loadbalancer', 'pool', 'list', '--loadbalancer', 'lb-web', '-c', 'id', '-c', 'name', '-c', 'lb_algorithm']),
      [{ id: id.pool, name: 'web-pool', lb_algorithm: 'ROUND_ROBIN' }])
    assert.deepEqual(await os.json(['loadbalancer', 'listener', 'list', '--loadbalancer', id.lbWeb, '-c', 'id', '-c', 'default_pool_id', '-c', 'protocol_port']),
      [{ id: id.listener, default_pool_id: id.pool, protocol_port: 80 }])
    assert.deepEqual(await os.json(['loadbalancer', 'pool', 'list', '--loadbalancer', 'lb-api']), [])
  })

  it('when two members are created on the default subnet, then each has its fields', async () => {
    need('pool')
    const m1 = await os.json(['loadbalancer', 'member', 'create', '--name', 'm1', '--address', addressInSubnet(subnet, 200),
      '--protocol-port', '8080', '--subnet-id', 'public-subnet', '--weight', '5', '--tag', 'a', 'web-pool'])
    id.m1 = m1.id
    expectFields('member create', m1, memberRow({
      name: 'm1', address: addressInSubnet(subnet, 200), protocol_port: 8080, subnet_id: subnet.id, weight: 5, tags: 'a',
    }))
    await api.waitStatus(`/v2/lbaas/pools/${id.pool}/members/${id.m1}`)
    await lbActive()
    const m2 = await os.json(['loadbalancer', 'member', 'create', '--name', 'm2', '--address', addressInSubnet(subnet, 201),
      '--protocol-port', '8080', '--subnet-id', subnet.id, '--enable-backup', '--monitor-address', addressInSubnet(subnet, 250),
      '--monitor-port', '9090', '--wait', 'web-pool'])
    id.m2 = m2.id
    expectFields('member create --wait', m2, memberRow({
      name: 'm2', address: addressInSubnet(subnet, 201), protocol_port: 8080, subnet_id: subnet.id, backup: true,
      monitor_address: addressInSubnet(subnet, 250), monitor_port: 9090, ...active(MEMBER_OPER),
    }))
  })

  it('when members are listed with a tag filter and -c, then only the matching rows and columns come back', async () => {
    need('m1', 'm2')
    const rows = await os.json(['loadbalancer', 'member', 'list', 'web-pool'])
    assert.deepEqual(sortedIds(rows), [id.m1, id.m2].sort())
    const m1 = rows.find((r: any) => r.id === id.m1)
    expectFields('member list row', m1, {
      id: id.m1, name: 'm1', project_id: 'default', provisioning_status: 'ACTIVE', address: addressInSubnet(subnet, 200),
      protocol_port: 8080, operating_status: MEMBER_OPER, weight: 5,
    })
    assert.deepEqual(await os.json(['loadbalancer', 'member', 'list', 'web-pool', '--tags', 'a', '-c', 'name', '-c', 'weight']),
      [{ name: 'm1', weight: 5 }])
    const shown = await os.json(['loadbalancer', 'member', 'show', 'web-pool', 'm1'])
    expectFields('member show', shown, memberRow({
      id: id.m1, name: 'm1', address: addressInSubnet(subnet, 200), protocol_port: 8080, subnet_id: subnet.id, weight: 5,
      tags: 'a', ...active(MEMBER_OPER),
    }))
  })

  it('when an HTTP health monitor is created with --wait, then it is ACTIVE and ONLINE on the pool', async () => {
    need('pool')
    const hm = await os.json(['loadbalancer', 'healthmonitor', 'create', '--name', 'hm', '--delay', '5', '--timeout', '3',
      '--max-retries', '2', '--type', 'HTTP', '--url-path', '/health', '--expected-codes', '200,204', '--wait', 'web-pool'])
    id.hm = hm.id
    expectFields('healthmonitor create --wait', hm, healthMonitorRow({
      name: 'hm', pools: id.pool, timeout: 3, max_retries: 2, url_path: '/health', expected_codes: '200,204',
      ...active('ONLINE'),
    }))
    const p = await os.json(['loadbalancer', 'pool', 'show', 'web-pool', '-c', 'healthmonitor_id', '-c', 'members'])
    expectFields('pool show -c', p, { healthmonitor_id: id.hm, members: idLines(id.m1, id.m2) })
  })

  it('when an L7 policy and two rules are created, then they are ACTIVE and listed on the listener', async () => {
    need('listener', 'pool')
    const pol = await os.json(['loadbalancer', 'l7policy', 'create', '--name', 'to-pool', '--action', 'REDIRECT_TO_POOL',
      '--redirect-pool', 'web-pool', '--description', 'api traffic', '--wait', 'http-in'])
    id.policy = pol.id
    expectFields('l7policy create --wait', pol, l7PolicyRow({
      name: 'to-pool', description: 'api traffic', listener_id: id.listener, action: 'REDIRECT_TO_POOL',
      redirect_pool_id: id.pool, ...active('ONLINE'),
    }))
    // NOTE: `l7rule create --wait` of this client shows the rule with swapped ids (404): wait on the LB instead.
    const r1 = await os.json(['loadbalancer', 'l7rule', 'create', '--type', 'PATH', '--compare-type', 'STARTS_WITH',
      '--value', '/api', 'to-pool'])
    id.rule1 = r1.id
    expectFields('l7rule create', r1, l7RuleRow({ type: 'PATH', compare_type: 'STARTS_WITH', value: '/api' }))
    await lbActive()
    const r2 = await os.json(['loadbalancer', 'l7rule', 'create', '--type', 'HEADER', '--key', 'X-Env',
      '--compare-type', 'EQUAL_TO', '--value', 'prod', '--invert', '--tag', 'env', id.policy])
    id.rule2 = r2.id
    expectFields('l7rule create', r2, l7RuleRow({ type: 'HEADER', key: 'X-Env', value: 'prod', invert: true, tags: 'env' }))
    await lbActive()
    await api.waitStatus(`/v2/lbaas/l7policies/${id.policy}/rules/${id.rule2}`)
    const rules = await os.json(['loadbalancer', 'l7rule', 'list', 'to-pool'])
    assert.deepEqual(sortedIds(rules), [id.rule1, id.rule2].sort())
    expectFields('l7rule list row', rules.find((r: any) => r.id === id.rule2), {
      id: id.rule2, project_id: 'default', provisioning_status: 'ACTIVE', compare_type: 'EQUAL_TO', type: 'HEADER',
      key: 'X-Env', value: 'prod', invert: true, admin_state_up: true,
    })
    const rule = await os.json(['loadbalancer', 'l7rule', 'show', 'to-pool', id.rule1])
    expectFields('l7rule show', rule, l7RuleRow({ id: id.rule1, type: 'PATH', compare_type: 'STARTS_WITH', value: '/api', ...active('ONLINE') }))
    const policies = await os.json(['loadbalancer', 'l7policy', 'list', '--listener', 'http-in', '-c', 'id', '-c', 'position', '-c', 'action'])
    assert.deepEqual(policies, [{ id: id.policy, position: 1, action: 'REDIRECT_TO_POOL' }])
  })

  it('when the status tree is shown, then it holds the listener, pool, health monitor and members', async () => {
    need('hm', 'm1', 'm2')
    const out = await os.ok(['loadbalancer', 'status', 'show', 'lb-web'])
    const tree = JSON.parse(out)
    const lb = tree.loadbalancer
    expectFields('status: loadbalancer', lb, { id: id.lbWeb, name: 'lb-web', operating_status: LB_OPER, provisioning_status: 'ACTIVE', listeners: lb.listeners })
    assert.equal(lb.listeners.length, 1)
    const l = lb.listeners[0]
    expectFields('status: listener', l, { id: id.listener, name: 'http-in', operating_status: LB_OPER, provisioning_status: 'ACTIVE', pools: l.pools })
    assert.equal(l.pools.length, 1)
    const p = l.pools[0]
    expectFields('status: pool', p, { id: id.pool, name: 'web-pool', provisioning_status: 'ACTIVE', operating_status: LB_OPER, health_monitor: p.health_monitor, members: p.members })
    expectFields('status: health_monitor', p.health_monitor, { id: id.hm, name: 'hm', type: 'HTTP', provisioning_status: 'ACTIVE', operating_status: 'ONLINE' })
    assert.deepEqual(sortedIds(p.members), [id.m1, id.m2].sort())
    const m2 = p.members.find((m: any) => m.id === id.m2)
    expectFields('status: member', m2, { id: id.m2, name: 'm2', operating_status: MEMBER_OPER, provisioning_status: 'ACTIVE', address: addressInSubnet(subnet, 201), protocol_port: 8080 })
  })

  it('when the load balancer is set and unset, then its name, description, tags and admin state change', async () => {
    need('lbWeb')
    await os.ok(['loadbalancer', 'set', '--name', 'lb-web2', '--description', 'renamed', '--tag', 'red', '--disable', '--wait', 'lb-web'])
    expectFields('after loadbalancer set', await os.json(['loadbalancer', 'show', id.lbWeb, '-c', 'name', '-c', 'description', '-c', 'tags', '-c', 'admin_state_up', '-c', 'provisioning_status']),
      { name: 'lb-web2', description: 'renamed', tags: 'blue\nred\nweb', admin_state_up: false, provisioning_status: 'ACTIVE' })
    await os.ok(['loadbalancer', 'unset', '--description', '--tag', 'blue', '--wait', 'lb-web2'])
    await os.ok(['loadbalancer', 'set', '--enable', 'lb-web2'])
    await lbActive()
    expectFields('after loadbalancer unset', await os.json(['loadbalancer', 'show', id.lbWeb, '-c', 'name', '-c', 'description', '-c', 'tags', '-c', 'admin_state_up']),
      { name: 'lb-web2', description: '', tags: 'red\nweb', admin_state_up: true })
  })

  it('when the listener is set and unset, then its fields change and the unset ones return to their defaults', async () => {
    need('listener')
    await os.ok(['loadbalancer', 'listener', 'set', '--name', 'http-main', '--description', 'main', '--connection-limit', '1000',
      '--timeout-client-data', '1000', '--insert-headers', 'X-Forwarded-For=true', '--tag', 'front', '--wait', 'http-in'])
    const l = await os.json(['loadbalancer', 'listener', 'show', id.listener])
    expectFields('after listener set', l, listenerRow({
      id: id.listener, name: 'http-main', description: 'main', connection_limit: 1000, timeout_client_data: 1000,
      insert_headers: hashLines({ 'X-Forwarded-For': 'true' }), tags: 'edge\nfront', loadbalancers: id.lbWeb,
      default_pool_id: id.pool, l7policies: id.policy, ...active(LB_OPER),
    }))
    await os.ok(['loadbalancer', 'listener', 'unset', '--description', '--connection-limit', '--timeout-client-data', '--tag', 'edge', 'http-main'])
    await lbActive()
    expectFields('after listener unset', await os.json(['loadbalancer', 'listener', 'show', 'http-main', '-c', 'description', '-c', 'connection_limit', '-c', 'timeout_client_data', '-c', 'tags']),
      { description: '', connection_limit: -1, timeout_client_data: 50000, tags: 'front' })
  })

  it('when the pool is set and unset, then its algorithm, session persistence and tags change', async () => {
    need('pool')
    await os.ok(['loadbalancer', 'pool', 'set', '--name', 'web-pool2', '--lb-algorithm', 'LEAST_CONNECTIONS', '--description', 'p', '--tag', 'x', '--wait', 'web-pool'])
    expectFields('after pool set', await os.json(['loadbalancer', 'pool', 'show', id.pool, '-c', 'name', '-c', 'lb_algorithm', '-c', 'description', '-c', 'tags', '-c', 'provisioning_status']),
      { name: 'web-pool2', lb_algorithm: 'LEAST_CONNECTIONS', description: 'p', tags: 'x', provisioning_status: 'ACTIVE' })
    await os.ok(['loadbalancer', 'pool', 'unset', '--session-persistence', '--description', 'web-pool2'])
    await lbActive()
    expectFields('after pool unset', await os.json(['loadbalancer', 'pool', 'show', 'web-pool2', '-c', 'session_persistence', '-c', 'description']),
      { session_persistence: null, description: '' })
  })

  it('when a member is set and unset, then its weight, name, admin state and monitor fields change', async () => {
    need('m1', 'm2')
    await os.ok(['loadbalancer', 'member', 'set', '--weight', '10', '--name', 'm1b', '--disable', '--wait', 'web-pool2', 'm1'])
    expectFields('after member set', await os.json(['loadbalancer', 'member', 'show', 'web-pool2', id.m1, '-c', 'weight', '-c', 'name', '-c', 'admin_state_up']),
      { weight: 10, name: 'm1b', admin_state_up: false })
    await os.ok(['loadbalancer', 'member', 'unset', '--weight', '--tag', 'a', 'web-pool2', 'm1b'])
    await lbActive()
    await os.ok(['loadbalancer', 'member', 'unset', '--monitor-port', '--monitor-address', '--backup', 'web-pool2', 'm2'])
    await api.waitStatus(`/v2/lbaas/pools/${id.pool}/members/${id.m2}`)
    await lbActive()
    expectFields('after member unset', await os.json(['loadbalancer', 'member', 'show', 'web-pool2', 'm1b', '-c', 'weight', '-c', 'tags']), { weight: 1, tags: '' })
    expectFields('after member unset', await os.json(['loadbalancer', 'member', 'show', 'web-pool2', 'm2', '-c', 'monitor_port', '-c', 'monitor_address', '-c', 'backup']),
      { monitor_port: null, monitor_address: null, backup: false })
  })

  it('when the health monitor is set and unset, then the unset HTTP fields return to their defaults', async () => {
    need('hm')
    await os.ok(['loadbalancer', 'healthmonitor', 'set', '--delay', '10', '--http-method', 'HEAD', '--name', 'hm2', '--wait', 'hm'])
    await os.ok(['loadbalancer', 'healthmonitor', 'unset', '--url-path', '--expected-codes', 'hm2'])
    await lbActive()
    const hm = await os.json(['loadbalancer', 'healthmonitor', 'show', 'hm2'])
    expectFields('after healthmonitor set/unset', hm, healthMonitorRow({
      id: id.hm, name: 'hm2', pools: id.pool, delay: 10, timeout: 3, max_retries: 2, http_method: 'HEAD', ...active('ONLINE'),
    }))
    assert.deepEqual(await os.json(['loadbalancer', 'healthmonitor', 'list', '-c', 'id', '-c', 'name', '-c', 'type']), [{ id: id.hm, name: 'hm2', type: 'HTTP' }])
  })

  it('when the L7 policy and a rule are set and unset, then the redirect and rule fields change', async () => {
    need('policy', 'rule2')
    await os.ok(['loadbalancer', 'l7policy', 'set', '--action', 'REDIRECT_TO_URL', '--redirect-url', 'http://example.com/', '--name', 'to-url', '--wait', 'to-pool'])
    expectFields('after l7policy set', await os.json(['loadbalancer', 'l7policy', 'show', id.policy]), l7PolicyRow({
      id: id.policy, name: 'to-url', description: 'api traffic', listener_id: id.listener, action: 'REDIRECT_TO_URL',
      redirect_url: 'http://example.com/', redirect_http_code: 302, rules: idLines(id.rule1, id.rule2), ...active('ONLINE'),
    }))
    await os.ok(['loadbalancer', 'l7policy', 'unset', '--description', 'to-url'])
    await lbActive()
    await os.ok(['loadbalancer', 'l7rule', 'set', '--value', 'staging', '--wait', 'to-url', id.rule2])
    await os.ok(['loadbalancer', 'l7rule', 'unset', '--invert', '--wait', 'to-url', id.rule2])
    expectFields('after l7rule set/unset', await os.json(['loadbalancer', 'l7rule', 'show', 'to-url', id.rule2]), l7RuleRow({
      id: id.rule2, type: 'HEADER', key: 'X-Env', value: 'staging', invert: false, tags: 'env', ...active('ONLINE'),
    }))
    assert.equal(await os.ok(['loadbalancer', 'l7policy', 'show', id.policy, '-f', 'value', '-c', 'description']), '\n')
  })

  it('when the members are replaced by a batch update, then the CLI lists the kept and the new member only', async () => {
    need('pool', 'm1', 'm2')
    const a1 = addressInSubnet(subnet, 200)
    const a3 = addressInSubnet(subnet, 202)
    const r = await api.request('PUT', `/v2/lbaas/pools/${id.pool}/members`, {
      members: [
        { address: a1, protocol_port: 8080, weight: 20, name: 'm1-batch' },
        { address: a3, protocol_port: 8080, name: 'm3', subnet_id: subnet.id },
      ],
    })
    assert.equal(r.status, 202, JSON.stringify(r.body))
    assert.equal(r.body, null)
    await lbActive()
    await api.waitStatus(`/v2/lbaas/pools/${id.pool}`)
    await api.waitUntil(`/v2/lbaas/pools/${id.pool}/members`, x => x.status === 200 && x.body.members.length === 2 &&
      x.body.members.every((m: any) => m.provisioning_status === 'ACTIVE'))
    const rows = await os.json(['loadbalancer', 'member', 'list', 'web-pool2', '-c', 'id', '-c', 'name', '-c', 'address', '-c', 'weight', '-c', 'provisioning_status'])
    const byName = Object.fromEntries(rows.map((m: any) => [m.name, m]))
    assert.deepEqual(Object.keys(byName).sort(), ['m1-batch', 'm3'])
    expectFields('batch: kept member', byName['m1-batch'], { id: id.m1, name: 'm1-batch', address: a1, weight: 20, provisioning_status: 'ACTIVE' })
    expectFields('batch: new member', byName.m3, { id: isUuid, name: 'm3', address: a3, weight: 1, provisioning_status: 'ACTIVE' })
    expectFields('batch: kept member show', await os.json(['loadbalancer', 'member', 'show', 'web-pool2', id.m1]), memberRow({
      id: id.m1, name: 'm1-batch', address: a1, protocol_port: 8080, weight: 20, subnet_id: subnet.id, ...active(MEMBER_OPER),
    }))
  })

  it('when objects are deleted with --wait, then they are gone', async () => {
    need('hm', 'rule1', 'lbApi')
    await os.ok(['loadbalancer', 'l7rule', 'delete', '--wait', 'to-url', id.rule1])
    assert.deepEqual(await os.json(['loadbalancer', 'l7rule', 'list', 'to-url', '-c', 'id']), [{ id: id.rule2 }])
    await os.ok(['loadbalancer', 'healthmonitor', 'delete', '--wait', 'hm2'])
    assert.deepEqual(await os.json(['loadbalancer', 'healthmonitor', 'list']), [])
    await os.ok(['loadbalancer', 'delete', '--wait', 'lb-api'])
    assert.equal((await api.request('GET', `/v2/lbaas/loadbalancers/${id.lbApi}`)).status, 404)
  })

  it('when a load balancer with children is deleted without --cascade, then the CLI reports the 400', async () => {
    need('lbWeb')
    const r = await os.run(['loadbalancer', 'delete', 'lb-web2'])
    assert.notEqual(r.code, 0)
    assert.match(r.stderr, new RegExp(`Validation failure: Cannot delete Load Balancer ${id.lbWeb} - it has children \\(HTTP 400\\)`))
  })

  it('when the load balancer is deleted with --cascade --wait, then it and its children are gone', async () => {
    need('lbWeb')
    await os.ok(['loadbalancer', 'delete', '--cascade', '--wait', 'lb-web2'])
    const shown = await os.run(['loadbalancer', 'show', id.lbWeb])
    assert.notEqual(shown.code, 0, shown.stdout)
    assert.match(shown.stderr, new RegExp(`Unable to locate ${id.lbWeb} in loadbalancers`))
    const r = await api.request('GET', `/v2/lbaas/loadbalancers/${id.lbWeb}`)
    assert.equal(r.status, 404)
    assert.equal(r.body.faultstring, `Load Balancer ${id.lbWeb} not found.`)
    const left = (await os.ok(['loadbalancer', 'list', '-f', 'value', '-c', 'id'])).split('\n')
    assert.ok(!left.includes(id.lbWeb), `loadbalancer list still shows ${id.lbWeb}`)
    for (const path of ['listeners', 'pools', 'l7policies', 'healthmonitors']) {
      const list = await api.request('GET', `/v2/lbaas/${path}`)
      assert.deepEqual(list.body[path], [], `${path} after cascade delete`)
    }
  })
})
