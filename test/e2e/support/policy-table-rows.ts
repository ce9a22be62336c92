// The rows of the policy table test (keystone-policy-table.test.ts): one per
// Octavia 11 API rule, each with the request that exercises it, the project
// the rule is checked on, and the answers that mean "allowed". A row whose
// allowed request changes or removes something gets a fresh object (a
// "victim") for each allowed caller, so the shared objects stay as they were.

/** One request of the table. */
export interface TableRequest {
  readonly method: string
  readonly path: string
  readonly body?: unknown
}

/** What the rows need from the test: the shared objects and makers of fresh ones. */
export interface TableContext {
  /** Project alpha, which owns every load-balancer object of the table. */
  readonly alpha: string
  readonly ids: {
    readonly lb: string; readonly listener: string; readonly pool: string; readonly member: string; readonly hm: string
    readonly l7policy: string; readonly l7rule: string; readonly flavorProfile: string; readonly flavor: string
    readonly azProfile: string; readonly az: string; readonly subnet: string
  }
  /** The current amphora of alpha's amphora-provider load balancer (a failover replaces it). */
  amphora(): Promise<string>
  /** Creates (as alpha's load-balancer_member, or the cloud admin for admin objects) and waits until ACTIVE; the new id. */
  make(what: Maker): Promise<string>
  /** A number not used before in this run (ports, addresses, names). */
  unique(): number
}

/** The kinds of fresh objects. */
export type Maker = 'lb' | 'listener' | 'bare-pool' | 'member' | 'hm' | 'l7policy' | 'l7rule'
  | 'flavor' | 'flavor-profile' | 'az' | 'az-profile'

/** How a row decides "allowed" when it is not one rule on one project (lists: Octavia's `_auth_get_all`). */
export type AllowedBy = (ev: (rule: string, project: string | null) => boolean, own: string, alpha: string) => boolean

export interface TableRow {
  /** `<resource>:<action>` of Octavia 11's `os_load-balancer_api:` rules. */
  readonly rule: string
  /** The project the rule is checked on: the object's (alpha), or the caller's own. */
  readonly target: 'alpha' | 'own'
  readonly allowedBy?: AllowedBy
  /** Statuses that mean "allowed". */
  readonly ok: readonly number[]
  /** The request; `allowed` is the expectation, so that an allowed delete gets a victim. */
  request(ctx: TableContext, allowed: boolean): Promise<TableRequest>
  /** After an allowed answer, wait for alpha's load balancers to settle. */
  readonly settle?: boolean
  /** A list: its key, and the object of alpha that must be in it when alpha's objects are shown. */
  readonly list?: { readonly key: string; readonly alphaObject: (ctx: TableContext) => string }
}

const V2 = '/v2/lbaas'
const get = (path: string): TableRequest => ({ method: 'GET', path })

/** `GET /collection` (own project, or every project with `get_all-global`) and `?project_id=alpha`. */
function listRows(resource: string, path: string, key: string, alphaObject: (c: TableContext) => string): TableRow[] {
  return [
    {
      rule: `${resource}:get_all`, target: 'own', ok: [200], list: { key, alphaObject },
      allowedBy: (ev, own) => ev(`${resource}:get_all-global`, null) || ev(`${resource}:get_all`, own),
      request: async () => get(path),
    },
    {
      rule: `${resource}:get_all-global`, target: 'alpha', ok: [200], list: { key, alphaObject },
      allowedBy: (ev, _own, alpha) => ev(`${resource}:get_all-global`, alpha) || ev(`${resource}:get_all`, alpha),
      request: async c => get(`${path}?project_id=${c.alpha}`),
    },
  ]
}

/** get_one / put / delete of one object of alpha (delete hits a victim when allowed). */
function objectRows(resource: string, path: (c: TableContext, id: string) => string, id: (c: TableContext) => string,
  put: unknown, victim: Maker): TableRow[] {
  return [
    { rule: `${resource}:get_one`, target: 'alpha', ok: [200], request: async c => get(path(c, id(c))) },
    { rule: `${resource}:put`, target: 'alpha', ok: [200], settle: true, request: async c => ({ method: 'PUT', path: path(c, id(c)), body: put }) },
    {
      rule: `${resource}:delete`, target: 'alpha', ok: [204], settle: true,
      request: async (c, allowed) => ({ method: 'DELETE', path: path(c, allowed ? await c.make(victim) : id(c)) }),
    },
  ]
}

const post = (resource: string, path: (c: TableContext) => string, body: (c: TableContext, allowed: boolean) => Promise<unknown>): TableRow =>
  ({ rule: `${resource}:post`, target: 'alpha', ok: [201], settle: true, request: async (c, allowed) => ({ method: 'POST', path: path(c), body: await body(c, allowed) }) })

const loadBalancerRows: TableRow[] = [
  ...listRows('loadbalancer', `${V2}/loadbalancers`, 'loadbalancers', c => c.ids.lb),
  {
    rule: 'loadbalancer:post', target: 'own', ok: [201], settle: true,
    request: async c => ({ method: 'POST', path: `${V2}/loadbalancers`, body: { loadbalancer: { vip_subnet_id: c.ids.subnet } } }),
  },
  ...objectRows('loadbalancer', (_c, id) => `${V2}/loadbalancers/${id}`, c => c.ids.lb, { loadbalancer: { description: 'table' } }, 'lb'),
  { rule: 'loadbalancer:get_stats', target: 'alpha', ok: [200], request: async c => get(`${V2}/loadbalancers/${c.ids.lb}/stats`) },
  { rule: 'loadbalancer:get_status', target: 'alpha', ok: [200], request: async c => get(`${V2}/loadbalancers/${c.ids.lb}/status`) },
  {
    rule: 'loadbalancer:put_failover', target: 'alpha', ok: [202], settle: true,
    request: async c => ({ method: 'PUT', path: `${V2}/loadbalancers/${c.ids.lb}/failover` }),
  },
]

const listenerRows: TableRow[] = [
  ...listRows('listener', `${V2}/listeners`, 'listeners', c => c.ids.listener),
  post('listener', () => `${V2}/listeners`, async c => ({ listener: { loadbalancer_id: c.ids.lb, protocol: 'TCP', protocol_port: 1000 + c.unique() } })),
  ...objectRows('listener', (_c, id) => `${V2}/listeners/${id}`, c => c.ids.listener, { listener: { description: 'table' } }, 'listener'),
  { rule: 'listener:get_stats', target: 'alpha', ok: [200], request: async c => get(`${V2}/listeners/${c.ids.listener}/stats`) },
]

const poolRows: TableRow[] = [
  ...listRows('pool', `${V2}/pools`, 'pools', c => c.ids.pool),
  post('pool', () => `${V2}/pools`, async c => ({ pool: { loadbalancer_id: c.ids.lb, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' } })),
  ...objectRows('pool', (_c, id) => `${V2}/pools/${id}`, c => c.ids.pool, { pool: { description: 'table' } }, 'bare-pool'),
]

const memberRows: TableRow[] = [
  { rule: 'member:get_all', target: 'alpha', ok: [200], request: async c => get(`${V2}/pools/${c.ids.pool}/members`) },
  post('member', c => `${V2}/pools/${c.ids.pool}/members`,
    async c => ({ member: { address: `192.0.2.${10 + (c.unique() % 200)}`, protocol_port: 2000 + c.unique() } })),
  ...objectRows('member', (c, id) => `${V2}/pools/${c.ids.pool}/members/${id}`, c => c.ids.member, { member: { weight: 3 } }, 'member'),
]

const healthMonitorRows: TableRow[] = [
  ...listRows('healthmonitor', `${V2}/healthmonitors`, 'healthmonitors', c => c.ids.hm),
  // NOTE: a pool has one health monitor: an allowed create gets a fresh pool.
  post('healthmonitor', () => `${V2}/healthmonitors`, async (c, allowed) => ({
    healthmonitor: { pool_id: allowed ? await c.make('bare-pool') : c.ids.pool, type: 'TCP', delay: 5, timeout: 3, max_retries: 2 },
  })),
  ...objectRows('healthmonitor', (_c, id) => `${V2}/healthmonitors/${id}`, c => c.ids.hm, { healthmonitor: { delay: 6 } }, 'hm'),
]

const l7Rows: TableRow[] = [
  ...listRows('l7policy', `${V2}/l7policies`, 'l7policies', c => c.ids.l7policy),
  post('l7policy', () => `${V2}/l7policies`, async c => ({ l7policy: { listener_id: c.ids.listener, action: 'REJECT' } })),
  ...objectRows('l7policy', (_c, id) => `${V2}/l7policies/${id}`, c => c.ids.l7policy, { l7policy: { description: 'table' } }, 'l7policy'),
  { rule: 'l7rule:get_all', target: 'alpha', ok: [200], request: async c => get(`${V2}/l7policies/${c.ids.l7policy}/rules`) },
  post('l7rule', c => `${V2}/l7policies/${c.ids.l7policy}/rules`, async c => ({ rule: { type: 'PATH', compare_type: 'EQUAL_TO', value: `/t${c.unique()}` } })),
  ...objectRows('l7rule', (c, id) => `${V2}/l7policies/${c.ids.l7policy}/rules/${id}`, c => c.ids.l7rule, { rule: { value: '/table' } }, 'l7rule'),
]

const quotaRows: TableRow[] = [
  ...listRows('quota', `${V2}/quotas`, 'quotas', c => c.alpha),
  { rule: 'quota:get_one', target: 'alpha', ok: [200], request: async c => get(`${V2}/quotas/${c.alpha}`) },
  { rule: 'quota:get_defaults', target: 'alpha', ok: [200], request: async c => get(`${V2}/quotas/${c.alpha}/default`) },
  { rule: 'quota:put', target: 'alpha', ok: [202], request: async c => ({ method: 'PUT', path: `${V2}/quotas/${c.alpha}`, body: { quota: { loadbalancer: 100 } } }) },
  // NOTE: last of the quota rows: it removes alpha's quota record (the lists above look for it).
  { rule: 'quota:delete', target: 'alpha', ok: [202], request: async c => ({ method: 'DELETE', path: `${V2}/quotas/${c.alpha}` }) },
]

/** Flavors, zones and their profiles: Octavia checks them on the caller's own project. */
function adminObjectRows(resource: string, path: string, id: (c: TableContext) => string, body: (c: TableContext) => unknown,
  put: unknown, victim: Maker): TableRow[] {
  return [
    { rule: `${resource}:get_all`, target: 'own', ok: [200], request: async () => get(path) },
    { rule: `${resource}:post`, target: 'own', ok: [201], request: async c => ({ method: 'POST', path, body: body(c) }) },
    { rule: `${resource}:get_one`, target: 'own', ok: [200], request: async c => get(`${path}/${id(c)}`) },
    { rule: `${resource}:put`, target: 'own', ok: [200], request: async c => ({ method: 'PUT', path: `${path}/${id(c)}`, body: put }) },
    {
      rule: `${resource}:delete`, target: 'own', ok: [204],
      request: async (c, allowed) => ({ method: 'DELETE', path: `${path}/${allowed ? await c.make(victim) : id(c)}` }),
    },
  ]
}

const catalogueRows: TableRow[] = [
  { rule: 'provider:get_all', target: 'own', ok: [200], request: async () => get(`${V2}/providers`) },
  { rule: 'provider-flavor:get_all', target: 'own', ok: [200], request: async () => get(`${V2}/providers/noop_driver/flavor_capabilities`) },
  {
    rule: 'provider-availability-zone:get_all', target: 'own', ok: [200],
    request: async () => get(`${V2}/providers/noop_driver/availability_zone_capabilities`),
  },
  ...adminObjectRows('flavor', `${V2}/flavors`, c => c.ids.flavor,
    c => ({ flavor: { name: `f${c.unique()}`, flavor_profile_id: c.ids.flavorProfile } }), { flavor: { description: 'table' } }, 'flavor'),
  ...adminObjectRows('flavor-profile', `${V2}/flavorprofiles`, c => c.ids.flavorProfile,
    c => ({ flavorprofile: { name: `fp${c.unique()}`, provider_name: 'noop_driver', flavor_data: '{}' } }), { flavorprofile: { name: 'table' } }, 'flavor-profile'),
  ...adminObjectRows('availability-zone', `${V2}/availabilityzones`, c => c.ids.az,
    c => ({ availability_zone: { name: `az${c.unique()}`, availability_zone_profile_id: c.ids.azProfile } }),
    { availability_zone: { description: 'table' } }, 'az'),
  ...adminObjectRows('availability-zone-profile', `${V2}/availabilityzoneprofiles`, c => c.ids.azProfile,
    c => ({ availability_zone_profile: { name: `azp${c.unique()}`, provider_name: 'noop_driver', availability_zone_data: '{}' } }),
    { availability_zone_profile: { name: 'table' } }, 'az-profile'),
]

/** Amphorae: admin only; a delete of an ALLOCATED amphora is 409 once allowed, so nothing is removed. */
const amphoraRows: TableRow[] = [
  { rule: 'amphora:get_all', target: 'own', ok: [200], request: async () => get('/v2/octavia/amphorae') },
  { rule: 'amphora:get_one', target: 'own', ok: [200], request: async c => get(`/v2/octavia/amphorae/${await c.amphora()}`) },
  { rule: 'amphora:get_stats', target: 'own', ok: [200, 404], request: async c => get(`/v2/octavia/amphorae/${await c.amphora()}/stats`) },
  { rule: 'amphora:put_config', target: 'alpha', ok: [202], request: async c => ({ method: 'PUT', path: `/v2/octavia/amphorae/${await c.amphora()}/config` }) },
  { rule: 'amphora:delete', target: 'own', ok: [409], request: async c => ({ method: 'DELETE', path: `/v2/octavia/amphorae/${await c.amphora()}` }) },
  {
    rule: 'amphora:put_failover', target: 'alpha', ok: [202], settle: true,
    request: async c => ({ method: 'PUT', path: `/v2/octavia/amphorae/${await c.amphora()}/failover` }),
  },
]

/** Every row, grouped as the test reports them. */
export const TABLE: Readonly<Record<string, readonly TableRow[]>> = {
  'load balancers': loadBalancerRows,
  listeners: listenerRows,
  pools: poolRows,
  members: memberRows,
  'health monitors': healthMonitorRows,
  'L7 policies and rules': l7Rows,
  quotas: quotaRows,
  'providers, flavors, availability zones and their profiles': catalogueRows,
  amphorae: amphoraRows,
}
