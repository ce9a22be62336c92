import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { ServiceProcess } from './support/service-process.js'
import { haveKeystone } from '../support/keystone.js'
import { shortLivedToken } from '../support/keystone-admin.js'
import { startKeystoneCloud, startOctaviaWithKeystone, type KeystoneCloud, type Person } from '../support/keystone-cloud.js'
import { tokenClient, waitActive, waitWithToken, type TokenCall, type TokenReply } from '../support/keystone-http.js'

// Issue 3's acceptance with real Keystone tokens, as issue 10 corrected it
// (Octavia 11's rules, 403 for another project's objects): who may do what on
// whose objects, admin APIs, quotas. octavia-ts runs with auth_strategy =
// keystone and Octavia 11's default policy (see keystone-cloud.ts); the policy
// table itself is keystone-policy-table.test.ts.

const LBS = '/v2/lbaas/loadbalancers'
const FORBIDDEN = 'Policy does not allow this request to be performed.'

describe('keystone RBAC with real tokens', { skip: !haveKeystone() && 'Debian\'s keystone package is not installed (scripts/setup.sh)' }, () => {
  let cloud: KeystoneCloud
  let svc: ServiceProcess
  let call: TokenCall
  let subnetId: string
  const tok: Partial<Record<Person | 'cloudadmin', string>> = {}
  const id: Record<string, string> = {}
  const as = (who: Person | 'cloudadmin') => {
    const t = tok[who]
    if (!t) throw new Error(`no token for ${who}`)
    return (method: string, path: string, body?: unknown, headers?: Record<string, string>) => call(method, path, t, body, headers)
  }
  const need = (...names: string[]) => {
    for (const n of names) if (!id[n]) throw new Error(`an earlier step did not create ${n}`)
  }
  const expectStatus = (r: TokenReply, status: number, what: string) => assert.equal(r.status, status, `${what}: ${JSON.stringify(r.body)}`)
  const expect403 = (r: TokenReply, what: string) => {
    expectStatus(r, 403, what)
    assert.equal(r.body.faultstring, FORBIDDEN, what)
  }
  const ids = (r: TokenReply, key: string): string[] => r.body[key].map((o: { id: string }) => o.id)

  before(async () => {
    cloud = await startKeystoneCloud()
    svc = await startOctaviaWithKeystone(cloud)
    call = tokenClient(svc.url)
    for (const who of ['alice', 'oscar', 'mia', 'bob', 'gloria', 'quentin', 'adele', 'nobody', 'cloudadmin'] as const) tok[who] = await cloud.token(who)
    const r = await as('alice')('GET', '/v2.0/subnets?name=public-subnet')
    expectStatus(r, 200, 'subnet lookup')
    subnetId = r.body.subnets[0].id
  })
  after(async () => {
    await svc?.dispose()
    await cloud?.dispose()
  })

  it('when a load-balancer_member creates a load balancer, then it belongs to her project whatever X-Project-Id says, and becomes ACTIVE', async () => {
    const r = await as('alice')('POST', LBS, { loadbalancer: { name: 'alpha-lb', vip_subnet_id: subnetId } }, { 'x-project-id': cloud.users.bob.projectId })
    expectStatus(r, 201, 'create')
    assert.equal(r.body.loadbalancer.project_id, cloud.users.alice.projectId)
    id.alphaLb = r.body.loadbalancer.id
    await waitActive(call, `${LBS}/${id.alphaLb}`, tok.alice!)
  })

  it('when the member manages her load balancer, then update, listener, pool and member creation all work', async () => {
    need('alphaLb')
    const alice = as('alice')
    expectStatus(await alice('PUT', `${LBS}/${id.alphaLb}`, { loadbalancer: { description: 'mine' } }), 200, 'update')
    await waitActive(call, `${LBS}/${id.alphaLb}`, tok.alice!)
    const l = await alice('POST', '/v2/lbaas/listeners', { listener: { name: 'alpha-http', protocol: 'HTTP', protocol_port: 80, loadbalancer_id: id.alphaLb } })
    expectStatus(l, 201, 'listener')
    id.alphaListener = l.body.listener.id
    await waitActive(call, `${LBS}/${id.alphaLb}`, tok.alice!)
    const p = await alice('POST', '/v2/lbaas/pools', { pool: { name: 'alpha-pool', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', listener_id: id.alphaListener } })
    expectStatus(p, 201, 'pool')
    id.alphaPool = p.body.pool.id
    await waitActive(call, `${LBS}/${id.alphaLb}`, tok.alice!)
    const m = await alice('POST', `/v2/lbaas/pools/${id.alphaPool}/members`, { member: { address: '192.0.2.10', protocol_port: 8080 } })
    expectStatus(m, 201, 'member')
    await waitActive(call, `${LBS}/${id.alphaLb}`, tok.alice!)
  })

  it('when a member names another project in the body, then the create is forbidden', async () => {
    expect403(await as('alice')('POST', LBS, { loadbalancer: { vip_subnet_id: subnetId, project_id: cloud.users.bob.projectId } }), 'create for beta')
  })

  it('when only Keystone\'s default member role is held in the project, then Octavia 11 refuses reads and writes', async () => {
    need('alphaLb')
    expect403(await as('mia')('PUT', `${LBS}/${id.alphaLb}`, { loadbalancer: { description: 'by mia' } }), 'update by member role')
    expect403(await as('mia')('GET', `${LBS}/${id.alphaLb}`), 'read by member role')
    expect403(await as('mia')('GET', LBS), 'list by member role')
  })

  it('when an observer of the project reads, then it sees the objects, and every write is 403', async () => {
    need('alphaLb', 'alphaListener', 'alphaPool')
    const oscar = as('oscar')
    expectStatus(await oscar('GET', `${LBS}/${id.alphaLb}`), 200, 'get lb')
    assert.deepEqual(ids(await oscar('GET', LBS), 'loadbalancers'), [id.alphaLb])
    expectStatus(await oscar('GET', `/v2/lbaas/listeners/${id.alphaListener}`), 200, 'get listener')
    expectStatus(await oscar('GET', `/v2/lbaas/pools/${id.alphaPool}/members`), 200, 'list members')
    expect403(await oscar('PUT', `${LBS}/${id.alphaLb}`, { loadbalancer: { name: 'x' } }), 'observer update')
    expect403(await oscar('POST', LBS, { loadbalancer: { vip_subnet_id: subnetId } }), 'observer create')
    expect403(await oscar('POST', '/v2/lbaas/listeners', { listener: { protocol: 'TCP', protocol_port: 81, loadbalancer_id: id.alphaLb } }), 'observer listener')
    expect403(await oscar('DELETE', `/v2/lbaas/pools/${id.alphaPool}`), 'observer pool delete')
    expect403(await oscar('DELETE', `${LBS}/${id.alphaLb}`), 'observer delete')
  })

  it('when a member of another project asks for the first project\'s objects, then they are 403 and absent from lists', async () => {
    need('alphaLb', 'alphaListener', 'alphaPool')
    const bob = as('bob')
    const r = await bob('POST', LBS, { loadbalancer: { name: 'beta-lb', vip_subnet_id: subnetId } })
    expectStatus(r, 201, 'beta create')
    id.betaLb = r.body.loadbalancer.id
    await waitActive(call, `${LBS}/${id.betaLb}`, tok.bob!)
    assert.deepEqual(ids(await bob('GET', LBS), 'loadbalancers'), [id.betaLb])
    assert.deepEqual(ids(await bob('GET', '/v2/lbaas/listeners'), 'listeners'), [])
    assert.deepEqual(ids(await bob('GET', '/v2/lbaas/pools'), 'pools'), [])
    assert.deepEqual(ids(await as('alice')('GET', LBS), 'loadbalancers'), [id.alphaLb])
    // NOTE: as Octavia: it finds the object, then checks the policy against the object's project.
    const statuses = {
      'GET lb': (await bob('GET', `${LBS}/${id.alphaLb}`)).status,
      'PUT lb': (await bob('PUT', `${LBS}/${id.alphaLb}`, { loadbalancer: { name: 'stolen' } })).status,
      'DELETE lb': (await bob('DELETE', `${LBS}/${id.alphaLb}`)).status,
      'GET listener': (await bob('GET', `/v2/lbaas/listeners/${id.alphaListener}`)).status,
      'GET pool': (await bob('GET', `/v2/lbaas/pools/${id.alphaPool}`)).status,
      'GET members': (await bob('GET', `/v2/lbaas/pools/${id.alphaPool}/members`)).status,
    }
    assert.deepEqual(statuses, { 'GET lb': 403, 'PUT lb': 403, 'DELETE lb': 403, 'GET listener': 403, 'GET pool': 403, 'GET members': 403 })
  })

  it('when a global observer lists, then it sees every project\'s objects but may not write', async () => {
    need('alphaLb', 'betaLb', 'alphaListener')
    const gloria = as('gloria')
    assert.deepEqual(ids(await gloria('GET', LBS), 'loadbalancers').sort(), [id.alphaLb, id.betaLb].sort())
    expectStatus(await gloria('GET', `${LBS}/${id.alphaLb}`), 200, 'get alpha lb')
    assert.deepEqual(ids(await gloria('GET', '/v2/lbaas/listeners'), 'listeners'), [id.alphaListener])
    assert.deepEqual(ids(await gloria('GET', `${LBS}?project_id=${cloud.users.bob.projectId}`), 'loadbalancers'), [id.betaLb])
    expect403(await gloria('PUT', `${LBS}/${id.alphaLb}`, { loadbalancer: { name: 'x' } }), 'global observer update')
  })

  it('when a user has no Octavia role, then reads and writes are 403', async () => {
    expect403(await as('nobody')('GET', LBS), 'list')
    expect403(await as('nobody')('POST', LBS, { loadbalancer: { vip_subnet_id: subnetId } }), 'create')
  })

  it('when a load-balancer_admin uses the admin APIs, then they work; for a member they are 403', async () => {
    const adele = as('adele')
    expectStatus(await adele('GET', '/v2/octavia/amphorae'), 200, 'amphora list')
    expectStatus(await adele('GET', '/v2/lbaas/providers/noop_driver/flavor_capabilities'), 200, 'flavor capabilities')
    const fp = await adele('POST', '/v2/lbaas/flavorprofiles', { flavorprofile: { name: 'fp1', provider_name: 'noop_driver', flavor_data: '{}' } })
    expectStatus(fp, 201, 'flavorprofile create')
    const fl = await adele('POST', '/v2/lbaas/flavors', { flavor: { name: 'small', flavor_profile_id: fp.body.flavorprofile.id } })
    expectStatus(fl, 201, 'flavor create')
    assert.deepEqual(ids(await adele('GET', LBS), 'loadbalancers').sort(), [id.alphaLb, id.betaLb].sort())
    expectStatus(await as('alice')('GET', '/v2/lbaas/flavors'), 200, 'flavor list by a member')
    const alice = as('alice')
    expect403(await alice('GET', '/v2/octavia/amphorae'), 'member amphora list')
    expect403(await alice('POST', '/v2/lbaas/flavorprofiles', { flavorprofile: { name: 'x', provider_name: 'noop_driver', flavor_data: '{}' } }), 'member flavorprofile')
    expect403(await alice('POST', '/v2/lbaas/flavors', { flavor: { name: 'x', flavor_profile_id: fp.body.flavorprofile.id } }), 'member flavor')
    expect403(await alice('GET', '/v2/lbaas/providers/noop_driver/flavor_capabilities'), 'member capabilities')
    expect403(await alice('PUT', `/v2/lbaas/quotas/${cloud.users.alice.projectId}`, { quota: { loadbalancer: 100 } }), 'member quota set')
  })

  it('when the quota admin sets a project\'s quota, then exhausting it is 403 and leaves nothing half-created', async () => {
    need('betaLb')
    const beta = cloud.users.bob.projectId
    const q = await as('quentin')('PUT', `/v2/lbaas/quotas/${beta}`, { quota: { loadbalancer: 3, listener: 1, pool: 1 } })
    expectStatus(q, 202, 'quota set')
    expectStatus(await as('bob')('GET', `/v2/lbaas/quotas/${beta}`), 200, 'own quota show')
    const bob = as('bob')
    const graph = {
      loadbalancer: {
        name: 'too-big', vip_subnet_id: subnetId,
        listeners: [{ name: 'l1', protocol: 'HTTP', protocol_port: 80, default_pool: { name: 'p1', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' } },
          { name: 'l2', protocol: 'HTTP', protocol_port: 81 }],
      },
    }
    const r = await bob('POST', LBS, graph)
    expectStatus(r, 403, 'graph over the listener quota')
    assert.equal(r.body.faultstring, 'Quota has been met for resources: Listener')
    assert.deepEqual(ids(await bob('GET', LBS), 'loadbalancers'), [id.betaLb], 'no half-created load balancer')
    assert.deepEqual(ids(await bob('GET', '/v2/lbaas/listeners'), 'listeners'), [])
    assert.deepEqual(ids(await bob('GET', '/v2/lbaas/pools'), 'pools'), [])
    const second = await bob('POST', LBS, { loadbalancer: { name: 'beta-2', vip_subnet_id: subnetId } })
    expectStatus(second, 201, 'second lb within quota')
    await waitActive(call, `${LBS}/${second.body.loadbalancer.id}`, tok.bob!)
    const third = await bob('POST', LBS, { loadbalancer: { name: 'beta-3', vip_subnet_id: subnetId } })
    expectStatus(third, 201, 'third lb within quota')
    const fourth = await bob('POST', LBS, { loadbalancer: { name: 'beta-4', vip_subnet_id: subnetId } })
    expectStatus(fourth, 403, 'fourth lb')
    assert.equal(fourth.body.faultstring, 'Quota has been met for resources: Load Balancer')
    assert.equal(ids(await bob('GET', LBS), 'loadbalancers').length, 3)
  })

  it('when a bad or expired token is used, then it is 401', async () => {
    assert.equal((await call('GET', LBS, 'gAAAAAB-bad')).status, 401)
    const { token, expiresAt } = await shortLivedToken(cloud.keystone.url, cloud.users.alice, 2)
    assert.equal((await call('GET', LBS, token)).status, 200)
    await new Promise(r => setTimeout(r, Math.max(0, expiresAt - Date.now()) + 200))
    assert.equal((await call('GET', LBS, token)).status, 401)
  })

  it('when the member deletes her load balancer with cascade, then it is gone for everyone', async () => {
    need('alphaLb')
    expectStatus(await as('alice')('DELETE', `${LBS}/${id.alphaLb}?cascade=true`), 204, 'cascade delete')
    await waitWithToken(call, `${LBS}/${id.alphaLb}`, tok.alice!, r => r.status === 404)
    assert.ok(!ids(await as('gloria')('GET', LBS), 'loadbalancers').includes(id.alphaLb))
  })
})
