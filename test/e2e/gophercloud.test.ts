import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { expectFields, isUuid, oneOf } from './support/field-match.js'
import { buildGophercloudProgram, haveGophercloud, runGophercloudProgram, type GophercloudRun } from './support/gophercloud-program.js'
import {
  gcL7Policy, gcListener, gcLoadBalancer, gcMember, gcMonitor, gcPool, gcRule, NO_TRAFFIC, refs, sameSet,
} from './support/gophercloud-expected.js'
import { errorLogLines, type ServiceProcess } from './support/service-process.js'
import { addressInSubnet, inSubnet, type NeutronSubnet } from './support/subnets.js'
import { haveKeystone } from '../support/keystone.js'
import { startKeystoneCloud, startOctaviaWithKeystone, type KeystoneCloud } from '../support/keystone-cloud.js'

// Debian's gophercloud 0.12 (the SDK behind Terraform's OpenStack provider)
// against `octavia-ts serve` with Keystone: test/e2e/gophercloud/ authenticates
// alice (load-balancer_member of alpha) and the cloud admin with passwords,
// finds both endpoints in the catalog, and plays a load balancer's life: create
// the tree, list with filters, tags and limit=1 paging, status and stats,
// update each object, batch-update members, quotas, cascade delete. It prints
// what it saw as JSON; each case below checks one part of it field by field.

const LB_OPER = oneOf('ONLINE', 'OFFLINE')
const CHILD_OPER = oneOf('ONLINE', 'OFFLINE')
const MEMBER_OPER = oneOf('NO_MONITOR', 'ONLINE', 'OFFLINE')

const skip = !haveKeystone() ? 'Debian\'s keystone package is not installed (scripts/setup.sh)'
  : !haveGophercloud() ? 'Debian\'s golang-go and golang-github-gophercloud-gophercloud-dev are not installed (scripts/setup.sh installs them when run as root)'
    : false

describe('gophercloud (Debian 0.12) against serve with Keystone', { skip }, () => {
  let cloud: KeystoneCloud
  let svc: ServiceProcess
  let run: GophercloudRun
  let r: any
  let alpha: string
  let subnet: NeutronSubnet
  let ids: { lbs: string[]; listener: string; pool: string; m1: string; m2: string; hm: string; policy: string; rule: string }

  before(async () => {
    const program = await buildGophercloudProgram()
    process.stderr.write(`# gophercloud program built in ${program.buildMs} ms\n`)
    cloud = await startKeystoneCloud()
    svc = await startOctaviaWithKeystone(cloud)
    const [alice, admin] = [cloud.users.alice, cloud.users.cloudadmin]
    const started = Date.now()
    run = await runGophercloudProgram(program, {
      OS_AUTH_URL: `${cloud.keystone.url}/v3`, OS_USERNAME: alice.username, OS_PASSWORD: alice.password,
      OS_PROJECT_NAME: alice.projectName, OS_DOMAIN_NAME: 'Default', OS_REGION_NAME: 'RegionOne',
      ADMIN_OS_USERNAME: admin.username, ADMIN_OS_PASSWORD: admin.password, ADMIN_OS_PROJECT_NAME: admin.projectName,
      SUBNET_NAME: 'public-subnet',
    })
    process.stderr.write(`# gophercloud program ran in ${Date.now() - started} ms (exit ${run.code})\n`)
    r = run.report ?? {}
    alpha = alice.projectId
    subnet = r.subnet
    const created = r.created ?? {}
    ids = {
      lbs: (created.loadbalancers ?? []).map((lb: any) => lb.id), listener: created.listener?.id, pool: created.pool?.id,
      m1: created.members?.[0]?.id, m2: created.members?.[1]?.id, hm: created.monitor?.id, policy: created.l7policy?.id, rule: created.rule?.id,
    }
  })
  after(async () => {
    const errors = svc ? errorLogLines(svc.logs()) : []
    if (errors.length) process.stderr.write(`# service errors:\n${errors.slice(-20).join('\n')}\n`)
    await svc?.dispose()
    await cloud?.dispose()
  })

  /** The load-balancer service's requests, as "METHOD path?query". */
  const serviceRequests = (): string[] => (r.requests as string[])
    .filter(line => line.split(' ')[1].startsWith(svc.url)).map(line => line.replace(svc.url, ''))

  it('when the program runs, then every step passes', () => {
    assert.equal(run.code, 0, `exit ${run.code}; error: ${r.error}\nstderr: ${run.stderr.slice(-3000)}\nstdout: ${run.stdout.slice(0, 500)}`)
    assert.deepEqual(r.steps, ['versions', 'subnet', 'create load balancers', 'create children', 'show', 'list',
      'status and stats', 'update', 'batch update members', 'quotas', 'cascade delete'])
  })

  it('when gophercloud lists the API versions, then they are ascending and the last is the CURRENT v2.30', () => {
    const versions = r.versions as { id: string; Status: string }[]
    assert.deepEqual(versions.map(v => v.id), Array.from({ length: 31 }, (_, i) => `v2.${i}`))
    assert.deepEqual(versions.map(v => v.Status), [...Array(30).fill('SUPPORTED'), 'CURRENT'])
  })

  it('when gophercloud looks the subnet up at the catalog\'s network endpoint, then it finds public-subnet', () => {
    assert.deepEqual([subnet.name, subnet.ip_version], ['public-subnet', 4])
    assert.ok(isUuid.test(subnet.id) && isUuid.test(subnet.network_id), JSON.stringify(subnet))
  })

  it('when the load balancers are created, then each answer and each later GET has its fields', () => {
    const names = ['gc-web-a', 'gc-web-b', 'gc-db']
    const tags = [['web', 'blue'], ['web', 'green'], ['db']]
    const vip = { vip_address: inSubnet(subnet), vip_subnet_id: subnet.id, vip_network_id: subnet.network_id }
    names.forEach((name, i) => {
      const fields = { ...vip, name, description: `gophercloud ${name}`, tags: sameSet(...tags[i]) }
      expectFields(`created ${name}`, r.created.loadbalancers[i], gcLoadBalancer(alpha, fields))
      expectFields(`shown ${name}`, r.shown.loadbalancers[i], gcLoadBalancer(alpha, {
        ...fields, id: ids.lbs[i], vip_address: r.created.loadbalancers[i].vip_address, provisioning_status: 'ACTIVE',
        operating_status: LB_OPER, listeners: i === 0 ? refs(ids.listener) : [], pools: i === 0 ? refs(ids.pool) : [],
      }))
    })
    assert.equal(new Set(r.created.loadbalancers.map((lb: any) => lb.vip_address)).size, 3)
  })

  it('when the listener, pool and members are created, then each answer and each later GET has its fields', () => {
    const lb = ids.lbs[0]
    const listener = { name: 'gc-http', description: 'front door', connection_limit: 500, loadbalancers: refs(lb) }
    expectFields('created listener', r.created.listener, gcListener(alpha, listener))
    expectFields('shown listener', r.shown.listener, gcListener(alpha, {
      ...listener, id: ids.listener, default_pool_id: ids.pool, l7policies: refs(ids.policy), provisioning_status: 'ACTIVE',
    }))
    const pool = { name: 'gc-pool', listeners: refs(ids.listener), loadbalancers: refs(lb), session_persistence: { type: 'SOURCE_IP' } }
    expectFields('created pool', r.created.pool, gcPool(alpha, pool))
    expectFields('shown pool', r.shown.pool, gcPool(alpha, {
      ...pool, id: ids.pool, members: refs(ids.m1, ids.m2), healthmonitor_id: ids.hm, provisioning_status: 'ACTIVE', operating_status: CHILD_OPER,
    }))
    ;[['gc-m1', 1, 200], ['gc-m2', 5, 201]].forEach(([name, weight, offset], i) => {
      const member = { name, weight, address: addressInSubnet(subnet, offset as number), protocol_port: 8080, subnet_id: subnet.id }
      expectFields(`created ${name}`, r.created.members[i], gcMember(alpha, member))
      expectFields(`shown ${name}`, r.shown.members[i], gcMember(alpha, {
        ...member, id: [ids.m1, ids.m2][i], provisioning_status: 'ACTIVE', operating_status: MEMBER_OPER,
      }))
    })
  })

  it('when the health monitor, L7 policy and rule are created, then each answer and each later GET has its fields', () => {
    const hm = { name: 'gc-hm', max_retries: 2, url_path: '/health', expected_codes: '200-204', pools: refs(ids.pool) }
    expectFields('created monitor', r.created.monitor, gcMonitor(alpha, hm))
    expectFields('shown monitor', r.shown.monitor, gcMonitor(alpha, { ...hm, id: ids.hm, provisioning_status: 'ACTIVE', operating_status: CHILD_OPER }))
    const policy = { name: 'gc-redirect', listener_id: ids.listener, action: 'REDIRECT_TO_POOL', redirect_pool_id: ids.pool }
    expectFields('created policy', r.created.l7policy, gcL7Policy(alpha, policy))
    expectFields('shown policy', r.shown.l7policy, gcL7Policy(alpha, {
      ...policy, id: ids.policy, rules: refs(ids.rule), provisioning_status: 'ACTIVE', operating_status: CHILD_OPER,
    }))
    expectFields('created rule', r.created.rule, gcRule(alpha, { value: '/api' }))
    expectFields('shown rule', r.shown.rule, gcRule(alpha, { id: ids.rule, value: '/api', provisioning_status: 'ACTIVE', operating_status: CHILD_OPER }))
  })

  it('when gophercloud filters by name and by the four tag filters, then each list holds the right load balancers', () => {
    const sorted = (names: string[]) => [...names].sort()
    assert.deepEqual(r.lists.byName, ['gc-db'])
    assert.deepEqual(sorted(r.lists.tags), ['gc-web-a'])
    assert.deepEqual(sorted(r.lists.tagsAny), ['gc-db', 'gc-web-a'])
    assert.deepEqual(sorted(r.lists.notTags), ['gc-db', 'gc-web-a'])
    assert.deepEqual(sorted(r.lists.notTagsAny), ['gc-db'])
    const sent = serviceRequests()
    for (const query of ['tags=web&tags=blue', 'tags-any=blue&tags-any=db', 'not-tags=web&not-tags=green', 'not-tags-any=web']) {
      assert.ok(sent.includes(`GET /v2.0/lbaas/loadbalancers?${query}`), `${query} not sent as repeated parameters:\n${sent.join('\n')}`)
    }
  })

  it('when gophercloud pages with limit=1, then it follows rel "next" page by page in the requested order', () => {
    assert.deepEqual(r.lists.sortedPages, [['gc-db'], ['gc-web-a'], ['gc-web-b']])
    assert.deepEqual(r.lists.taggedPages.map((p: string[]) => p.length), [1, 1])
    assert.deepEqual([...r.lists.taggedPages.flat()].sort(), ['gc-web-a', 'gc-web-b'])
    assert.deepEqual(r.lists.memberPages, [['gc-m1'], ['gc-m2']])
    const tagged = serviceRequests().filter(line => line.startsWith('GET /v2.0/lbaas/loadbalancers?limit=1&tags=web'))
    // NOTE: a full page has a next link (as Octavia's), so the walk ends on a third, empty page.
    assert.equal(tagged.length, 3, tagged.join('\n'))
    assert.deepEqual(tagged.slice(1).map(line => new URL(line.split(' ')[1], svc.url).searchParams.get('marker')),
      r.lists.taggedPages.flat().map((name: string) => ids.lbs[['gc-web-a', 'gc-web-b', 'gc-db'].indexOf(name)]))
  })

  it('when gophercloud lists each child kind by its parent, then each list names the one child', () => {
    assert.deepEqual(r.lists.listeners, [ids.listener])
    assert.deepEqual(r.lists.pools, [ids.pool])
    assert.deepEqual(r.lists.monitors, [ids.hm])
    assert.deepEqual(r.lists.l7policies, [ids.policy])
    assert.deepEqual(r.lists.rules, [ids.rule])
  })

  it('when gophercloud reads the status tree and the statistics, then they show the tree and no traffic', () => {
    const lb = r.status.loadbalancer
    assert.deepEqual([lb.id, lb.name, lb.provisioning_status], [ids.lbs[0], 'gc-web-a', 'ACTIVE'])
    assert.ok(LB_OPER.test(lb.operating_status), lb.operating_status)
    assert.deepEqual(lb.listeners.map((l: any) => [l.id, l.name, l.provisioning_status]), [[ids.listener, 'gc-http', 'ACTIVE']])
    const pool = lb.listeners[0].pools[0]
    assert.deepEqual([pool.id, pool.name, pool.provisioning_status], [ids.pool, 'gc-pool', 'ACTIVE'])
    assert.deepEqual(pool.members.map((m: any) => [m.id, m.name, m.address, m.protocol_port, m.provisioning_status]).sort(), [
      [ids.m1, 'gc-m1', addressInSubnet(subnet, 200), 8080, 'ACTIVE'], [ids.m2, 'gc-m2', addressInSubnet(subnet, 201), 8080, 'ACTIVE'],
    ].sort())
    expectFields('load balancer stats', r.lbStats, NO_TRAFFIC)
    expectFields('listener stats', r.listenerStats, NO_TRAFFIC)
  })

  it('when every object is updated, then each answer is PENDING_UPDATE with the change and a later GET is ACTIVE with it', () => {
    const pending = { provisioning_status: 'PENDING_UPDATE' }
    const steady = { provisioning_status: 'ACTIVE' }
    const u = r.updated
    const a = r.afterUpdate
    const lb = { id: ids.lbs[0], name: 'gc-web-a2', description: 'renamed', tags: sameSet('web', 'blue', 'edited'),
      vip_address: r.created.loadbalancers[0].vip_address, vip_subnet_id: subnet.id, vip_network_id: subnet.network_id,
      listeners: refs(ids.listener), pools: refs(ids.pool), operating_status: LB_OPER }
    expectFields('updated load balancer', u.loadbalancers[0], gcLoadBalancer(alpha, { ...lb, ...pending }))
    expectFields('load balancer after update', a.loadbalancers[0], gcLoadBalancer(alpha, { ...lb, ...steady }))
    const listener = { ...r.shown.listener, name: 'gc-http2', connection_limit: 1000 }
    expectFields('updated listener', u.listener, { ...listener, ...pending })
    expectFields('listener after update', a.listener, listener)
    const pool = { ...r.shown.pool, name: 'gc-pool2', lb_algorithm: 'LEAST_CONNECTIONS', operating_status: CHILD_OPER }
    expectFields('updated pool', u.pool, { ...pool, ...pending })
    expectFields('pool after update', a.pool, pool)
    const m1 = { ...r.shown.members[0], name: 'gc-m1b', weight: 10, operating_status: MEMBER_OPER }
    expectFields('updated member', u.members[0], { ...m1, ...pending })
    expectFields('member after update', a.members[0], m1)
    const hm = { ...r.shown.monitor, name: 'gc-hm2', delay: 7, operating_status: CHILD_OPER }
    expectFields('updated monitor', u.monitor, { ...hm, ...pending })
    expectFields('monitor after update', a.monitor, hm)
    const policy = { ...r.shown.l7policy, name: 'gc-redirect2', description: 'api to pool', operating_status: CHILD_OPER }
    expectFields('updated policy', u.l7policy, { ...policy, ...pending })
    expectFields('policy after update', a.l7policy, policy)
    const rule = { ...r.shown.rule, value: '/v2', operating_status: CHILD_OPER }
    expectFields('updated rule', u.rule, { ...rule, ...pending })
    expectFields('rule after update', a.rule, rule)
  })

  it('when the members are batch-updated, then the kept one changed, the new one exists and the missing one is gone', () => {
    const [m2, m3] = r.batchMembers
    assert.equal(r.batchMembers.length, 2, JSON.stringify(r.batchMembers))
    const common = { protocol_port: 8080, subnet_id: subnet.id, provisioning_status: 'ACTIVE' }
    expectFields('kept member', m2, gcMember(alpha, { ...common, id: ids.m2, name: 'gc-m2', weight: 3, address: addressInSubnet(subnet, 201), operating_status: MEMBER_OPER }))
    expectFields('new member', m3, gcMember(alpha, { ...common, name: 'gc-m3', weight: 2, address: addressInSubnet(subnet, 202), operating_status: oneOf('OFFLINE', 'ONLINE') }))
    assert.ok(!r.batchMembers.some((m: any) => m.id === ids.m1), 'gc-m1b is still there')
    assert.ok(serviceRequests().includes(`PUT /v2.0/lbaas/pools/${ids.pool}/members`))
  })

  it('when the admin sets and resets the member\'s quota at /v2.0/quotas/{project}, then the member reads each state', () => {
    const q = r.quota
    assert.equal(q.projectId, alpha)
    const set = { load_balancer: 10, listener: 20, member: 30, pool: -1, health_monitor: -1, l7policy: -1, l7rule: -1 }
    for (const [k, v] of Object.entries(set)) assert.equal(q.set[k], v, `set ${k}: ${JSON.stringify(q.set)}`)
    for (const [k, v] of Object.entries(set)) assert.equal(q.read[k], v, `read ${k}: ${JSON.stringify(q.read)}`)
    for (const k of Object.keys(set)) assert.equal(q.afterDelete[k], -1, `after delete ${k}: ${JSON.stringify(q.afterDelete)}`)
    const sent = serviceRequests()
    for (const call of [`PUT /v2.0/quotas/${alpha}`, `GET /v2.0/quotas/${alpha}`, `DELETE /v2.0/quotas/${alpha}`]) {
      assert.ok(sent.includes(call), `${call} not sent:\n${sent.join('\n')}`)
    }
  })

  it('when the load balancers are deleted, one with cascade, then all three answer 404 and nothing is left', () => {
    assert.deepEqual(r.deleted.gone, ids.lbs)
    assert.deepEqual(r.deleted.loadbalancers, [])
    assert.deepEqual(r.deleted.listeners, [])
    assert.ok(serviceRequests().includes(`DELETE /v2.0/lbaas/loadbalancers/${ids.lbs[0]}?cascade=true`))
  })

  it('when gophercloud talks to the load-balancer endpoint, then every path it uses is under /v2.0/ (the versions list at /)', () => {
    const paths = serviceRequests().map(line => line.split(' ')[1].split('?')[0])
    assert.ok(paths.length > 50, `only ${paths.length} requests`)
    assert.deepEqual(paths.filter(p => p !== '/' && !p.startsWith('/v2.0/')), [])
  })
})
