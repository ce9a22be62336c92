import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { ServiceProcess } from './support/service-process.js'
import { OCTAVIA11_API_RULES, passes, type TokenCreds } from './support/octavia11-policy.js'
import { TABLE, type Maker, type TableContext, type TableRow } from './support/policy-table-rows.js'
import { haveKeystone } from '../support/keystone.js'
import { keystoneRequest } from '../support/keystone-admin.js'
import { startKeystoneCloud, startOctaviaWithKeystone, type KeystoneCloud, type Person } from '../support/keystone-cloud.js'
import { tokenClient, waitActive, waitWithToken, type TokenCall } from '../support/keystone-http.js'

// Octavia 11's policy, rule by rule, against real Keystone tokens: every API
// rule (support/policy-table-rows.ts) is called by each kind of credential,
// and the answer must be the one Octavia 11's default policy gives (allowed:
// the row's statuses; denied: 403). The expectations come from Octavia 11's
// rules written out in support/octavia11-policy.ts, evaluated for the roles
// Keystone put into each token. Cells checked by hand against upstream 11.0.0:
// - Keystone's member (mia) on loadbalancer:get_one of her own project: 403.
//   read = observer_and_owner | global_observer | member_and_owner | admin, and
//   each of those wants a load-balancer_* role (or admin); member/reader are none.
// - bob (load-balancer_member of beta) on alpha's load balancer put: 403.
//   write = member_and_owner | admin; member_and_owner's deprecated check is
//   load-balancer_member and project_id:%(project_id)s, and alpha is not his.
// - the cloud admin (project-scoped admin) on amphora:delete: allowed (409 for
//   an ALLOCATED amphora): context_is_admin's deprecated check is role:admin,
//   so is_admin is true and load-balancer:admin passes by is_admin:True.
// - gloria (load-balancer_global_observer) on listener:get_all-global: allowed;
//   on listener:put: 403 (read-global has global_observer, write has not).

/** The credential kinds of the table: kind → person of test/support/keystone-cloud.ts. */
const KINDS = {
  admin: 'cloudadmin',
  'load-balancer_admin': 'adele',
  'load-balancer_global_observer': 'gloria',
  'load-balancer_observer of alpha': 'oscar',
  'load-balancer_member of alpha': 'alice',
  'Keystone member only (alpha)': 'mia',
  'Keystone reader only (alpha)': 'rita',
  'load-balancer_member of beta': 'bob',
} as const satisfies Record<string, Person | 'cloudadmin'>
type Kind = keyof typeof KINDS

const LBS = '/v2/lbaas/loadbalancers'
const FORBIDDEN = 'Policy does not allow this request to be performed.'

describe('Octavia 11 policy table with real Keystone tokens', { skip: !haveKeystone() && 'Debian\'s keystone package is not installed (scripts/setup.sh)' }, () => {
  let cloud: KeystoneCloud
  let svc: ServiceProcess
  let call: TokenCall
  let ctx: TableContext
  const tokens = {} as Record<Kind, string>
  const creds = {} as Record<Kind, TokenCreds>
  let ampLb = ''
  let cells = 0

  /** POST as `token`, then wait for `lb` (default: the new object itself) to be ACTIVE; the new object. */
  const create = async (token: string, path: string, body: unknown, lb?: string): Promise<any> => {
    const r = await call('POST', path, token, body)
    assert.equal(r.status, 201, `POST ${path}: ${JSON.stringify(r.body)}`)
    const made = Object.values(r.body)[0] as { id: string; name?: string }
    await waitActive(call, `${LBS}/${lb ?? made.id}`, tokens.admin)
    return made
  }

  before(async () => {
    cloud = await startKeystoneCloud()
    svc = await startOctaviaWithKeystone(cloud, {
      api_settings: { enabled_provider_drivers: 'noop_driver:The no-op driver.,amphora:The Octavia Amphora driver.' },
      controller_worker: { compute_driver: 'compute_noop_driver', amphora_driver: 'amphora_noop_driver' },
    })
    call = tokenClient(svc.url)
    for (const [kind, who] of Object.entries(KINDS) as [Kind, Person | 'cloudadmin'][]) {
      tokens[kind] = await cloud.token(who)
      const t = await keystoneRequest(cloud.keystone.url, 'GET', '/auth/tokens', { token: tokens.admin ?? tokens[kind], subject: tokens[kind] })
      assert.equal(t.status, 200, JSON.stringify(t.body))
      creds[kind] = { projectId: t.body.token.project.id, roles: t.body.token.roles.map((r: { name: string }) => r.name) }
    }
    ctx = await buildFixtures()
  })
  after(async () => {
    await svc?.dispose()
    await cloud?.dispose()
  })

  /** The shared objects: a full load balancer tree of alpha (its member), catalogue objects (the admin), an amphora. */
  async function buildFixtures(): Promise<TableContext> {
    const alice = tokens['load-balancer_member of alpha']
    const admin = tokens.admin
    const alpha = creds['load-balancer_member of alpha'].projectId
    const subnet = (await call('GET', '/v2.0/subnets?name=public-subnet', alice)).body.subnets[0].id as string
    const lb = (await create(alice, LBS, { loadbalancer: { name: 'table-lb', vip_subnet_id: subnet } })).id
    const listener = (await create(alice, '/v2/lbaas/listeners', { listener: { loadbalancer_id: lb, protocol: 'HTTP', protocol_port: 80 } }, lb)).id
    const pool = (await create(alice, '/v2/lbaas/pools', { pool: { listener_id: listener, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' } }, lb)).id
    const member = (await create(alice, `/v2/lbaas/pools/${pool}/members`, { member: { address: '192.0.2.1', protocol_port: 80 } }, lb)).id
    const hm = (await create(alice, '/v2/lbaas/healthmonitors', { healthmonitor: { pool_id: pool, type: 'HTTP', delay: 5, timeout: 3, max_retries: 2 } }, lb)).id
    const l7policy = (await create(alice, '/v2/lbaas/l7policies', { l7policy: { listener_id: listener, action: 'REJECT' } }, lb)).id
    const l7rule = (await create(alice, `/v2/lbaas/l7policies/${l7policy}/rules`, { rule: { type: 'PATH', compare_type: 'EQUAL_TO', value: '/x' } }, lb)).id
    ampLb = (await create(alice, LBS, { loadbalancer: { name: 'table-amphora', vip_subnet_id: subnet, provider: 'amphora' } })).id
    const made = async (path: string, body: unknown) => {
      const r = await call('POST', path, admin, body)
      assert.equal(r.status, 201, `POST ${path}: ${JSON.stringify(r.body)}`)
      return Object.values(r.body)[0] as { id: string; name: string }
    }
    let n = 0
    const unique = () => ++n
    const catalogue = {
      'flavor-profile': () => made('/v2/lbaas/flavorprofiles', { flavorprofile: { name: `fp-${unique()}`, provider_name: 'noop_driver', flavor_data: '{}' } }),
      'az-profile': () => made('/v2/lbaas/availabilityzoneprofiles',
        { availability_zone_profile: { name: `azp-${unique()}`, provider_name: 'noop_driver', availability_zone_data: '{}' } }),
    }
    const flavorProfile = (await catalogue['flavor-profile']()).id
    const azProfile = (await catalogue['az-profile']()).id
    const flavor = (await made('/v2/lbaas/flavors', { flavor: { name: 'table-flavor', flavor_profile_id: flavorProfile } })).id
    const az = (await made('/v2/lbaas/availabilityzones', { availability_zone: { name: 'table-az', availability_zone_profile_id: azProfile } })).name
    expectStatus(await call('PUT', `/v2/lbaas/quotas/${alpha}`, admin, { quota: { loadbalancer: 50 } }), 202, 'alpha quota')
    const makers: Record<Maker, () => Promise<string>> = {
      lb: async () => (await create(alice, LBS, { loadbalancer: { vip_subnet_id: subnet } })).id,
      listener: async () => (await create(alice, '/v2/lbaas/listeners', { listener: { loadbalancer_id: lb, protocol: 'TCP', protocol_port: 3000 + unique() } }, lb)).id,
      'bare-pool': async () => (await create(alice, '/v2/lbaas/pools', { pool: { loadbalancer_id: lb, protocol: 'TCP', lb_algorithm: 'ROUND_ROBIN' } }, lb)).id,
      member: async () => (await create(alice, `/v2/lbaas/pools/${pool}/members`, { member: { address: '192.0.2.2', protocol_port: 4000 + unique() } }, lb)).id,
      hm: async () => (await create(alice, '/v2/lbaas/healthmonitors',
        { healthmonitor: { pool_id: await makers['bare-pool'](), type: 'TCP', delay: 5, timeout: 3, max_retries: 2 } }, lb)).id,
      l7policy: async () => (await create(alice, '/v2/lbaas/l7policies', { l7policy: { listener_id: listener, action: 'REJECT' } }, lb)).id,
      l7rule: async () => (await create(alice, `/v2/lbaas/l7policies/${l7policy}/rules`, { rule: { type: 'HOST_NAME', compare_type: 'EQUAL_TO', value: `h${unique()}.example` } }, lb)).id,
      flavor: async () => (await made('/v2/lbaas/flavors', { flavor: { name: `f-${unique()}`, flavor_profile_id: flavorProfile } })).id,
      'flavor-profile': async () => (await catalogue['flavor-profile']()).id,
      az: async () => (await made('/v2/lbaas/availabilityzones', { availability_zone: { name: `az-${unique()}`, availability_zone_profile_id: azProfile } })).name,
      'az-profile': async () => (await catalogue['az-profile']()).id,
    }
    return {
      alpha, unique,
      ids: { lb, listener, pool, member, hm, l7policy, l7rule, flavorProfile, flavor, azProfile, az, subnet },
      make: what => makers[what](),
      amphora: async () => {
        await waitActive(call, `${LBS}/${ampLb}`, admin)
        const r = await call('GET', `/v2/octavia/amphorae?loadbalancer_id=${ampLb}`, admin)
        const amp = r.body.amphorae.find((a: { status: string }) => a.status === 'ALLOCATED')
        if (!amp) throw new Error(`no ALLOCATED amphora of ${ampLb}: ${JSON.stringify(r.body)}`)
        return amp.id as string
      },
    }
  }

  function expectStatus(r: { status: number; body: unknown }, status: number, what: string): void {
    assert.equal(r.status, status, `${what}: ${JSON.stringify(r.body)}`)
  }

  /** Runs one row for every kind; the cells that differ from Octavia 11, as text. */
  async function runRow(row: TableRow): Promise<string[]> {
    const wrong: string[] = []
    for (const kind of Object.keys(KINDS) as Kind[]) {
      const c = creds[kind]
      const ev = (rule: string, project: string | null) => passes(rule, project, c)
      const allowed = row.allowedBy ? row.allowedBy(ev, c.projectId, ctx.alpha) : ev(row.rule, row.target === 'alpha' ? ctx.alpha : c.projectId)
      const req = await row.request(ctx, allowed)
      const r = await call(req.method, req.path, tokens[kind], req.body)
      cells++
      const cell = `${row.rule} as ${kind}: ${req.method} ${req.path} → ${r.status}`
      if (!(allowed ? row.ok : [403]).includes(r.status)) wrong.push(`${cell}, Octavia 11 ${allowed ? `allows (${row.ok.join('/')})` : 'denies (403)'}`)
      if (r.status === 403 && r.body?.faultstring !== FORBIDDEN) wrong.push(`${cell}: ${JSON.stringify(r.body)}`)
      // NOTE: not derived from the evaluator: Keystone's roles alone are nothing to Octavia 11, and alpha's objects are not beta's.
      if ((kind.startsWith('Keystone') || (kind === 'load-balancer_member of beta' && row.target === 'alpha' && !row.allowedBy)) && r.status !== 403) {
        wrong.push(`${cell}, must be 403 whatever the table says`)
      }
      if (allowed && row.list && r.status === 200) wrong.push(...listProblems(row, kind, r.body, ev))
      if (allowed && row.settle && r.status < 300) await settle()
    }
    return wrong
  }

  /** A list shows alpha's object when the caller may see alpha's, and only its own project's objects otherwise. */
  function listProblems(row: TableRow, kind: Kind, body: any, ev: (rule: string, project: string | null) => boolean): string[] {
    const items = body[row.list!.key] as { id?: string; project_id: string }[]
    const global = ev(`${row.rule.split(':')[0]}:get_all-global`, row.rule.endsWith('-global') ? ctx.alpha : null)
    const own = row.rule.endsWith('-global') ? ctx.alpha : creds[kind].projectId
    const wanted = row.list!.alphaObject(ctx)
    const shown = items.some(o => (o.id ?? o.project_id) === wanted)
    const problems: string[] = []
    if (!global && items.some(o => o.project_id !== own)) problems.push(`${row.rule} as ${kind}: the list shows another project's objects`)
    if ((global || own === ctx.alpha) !== shown) problems.push(`${row.rule} as ${kind}: alpha's ${wanted} ${shown ? 'shown' : 'missing'}`)
    return problems
  }

  async function settle(): Promise<void> {
    for (const lb of [ctx.ids.lb, ampLb]) {
      await waitWithToken(call, `${LBS}/${lb}`, tokens.admin, r => r.status === 200 && r.body.loadbalancer.provisioning_status === 'ACTIVE')
    }
  }

  it('when the table is read, then it has one row per Octavia 11 API rule', () => {
    const rows = Object.values(TABLE).flat().map(r => r.rule).sort()
    assert.deepEqual(rows, [...OCTAVIA11_API_RULES].sort())
  })

  for (const [group, rows] of Object.entries(TABLE)) {
    it(`when each kind of credential calls the ${group} rules, then every answer is Octavia 11's`, async () => {
      const wrong: string[] = []
      for (const row of rows) wrong.push(...await runRow(row))
      assert.deepEqual(wrong, [])
    })
  }

  it('when the table is done, then every cell was called', () => {
    assert.equal(cells, OCTAVIA11_API_RULES.length * Object.keys(KINDS).length)
  })
})
