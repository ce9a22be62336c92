// The expectations of the policy table test, derived independently of
// src/api/policy: Octavia 11's default rules (upstream tag 11.0.0,
// octavia/policies/base.py and one file per resource) written out as check
// strings, each deprecated check already ORed in (`[oslo_policy]
// enforce_new_defaults = false`, Octavia 11's default; no scope enforcement),
// and a tiny evaluator of those strings for one token's credentials.

/** One token as Octavia sees it: its project and its role names (Keystone's implied roles included). */
export interface TokenCreds {
  readonly projectId: string
  readonly roles: readonly string[]
}

const ADMIN = 'rule:load-balancer:admin'
const READ = 'rule:load-balancer:read'
const READ_GLOBAL = 'rule:load-balancer:read-global'
const WRITE = 'rule:load-balancer:write'

/** Octavia 11's role rules: `(new default) or (deprecated default)` where a rule has both. */
const BASE: Readonly<Record<string, string>> = {
  'system-admin': 'role:admin and system_scope:all',
  'system-reader': 'role:reader and system_scope:all',
  'project-member': 'role:member and project_id:%(project_id)s',
  'project-reader': 'role:reader and project_id:%(project_id)s',
  context_is_admin: '(role:load-balancer_admin or rule:system-admin) or (role:admin or role:load-balancer_admin)',
  'load-balancer:owner': 'project_id:%(project_id)s',
  'load-balancer:observer_and_owner':
    '(role:load-balancer_observer and rule:project-reader) or (role:load-balancer_observer and rule:load-balancer:owner)',
  'load-balancer:global_observer': 'role:load-balancer_global_observer or rule:system-reader',
  'load-balancer:member_and_owner':
    '(role:load-balancer_member and rule:project-member) or (role:load-balancer_member and rule:load-balancer:owner)',
  'load-balancer:admin': 'is_admin:True or role:load-balancer_admin or rule:system-admin',
  'load-balancer:read': 'rule:load-balancer:observer_and_owner or rule:load-balancer:global_observer'
    + ' or rule:load-balancer:member_and_owner or rule:load-balancer:admin',
  'load-balancer:read-global': 'rule:load-balancer:global_observer or rule:load-balancer:admin',
  'load-balancer:write': 'rule:load-balancer:member_and_owner or rule:load-balancer:admin',
  'load-balancer:read-quota': 'rule:load-balancer:observer_and_owner or rule:load-balancer:global_observer'
    + ' or rule:load-balancer:member_and_owner or role:load-balancer_quota_admin or rule:load-balancer:admin',
  'load-balancer:read-quota-global': 'rule:load-balancer:global_observer or role:load-balancer_quota_admin or rule:load-balancer:admin',
  'load-balancer:write-quota': 'role:load-balancer_quota_admin or rule:load-balancer:admin',
}

const crud = (extra: Record<string, string> = {}) =>
  ({ get_all: READ, 'get_all-global': READ_GLOBAL, post: WRITE, get_one: READ, put: WRITE, delete: WRITE, ...extra })
const adminCrud = (read: string) => ({ get_all: read, post: ADMIN, put: ADMIN, get_one: read, delete: ADMIN })

/** Octavia 11's API rules, `<resource>:<action>` → check (without the `os_load-balancer_api:` prefix). */
const API: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  loadbalancer: crud({ get_stats: READ, get_status: READ, put_failover: ADMIN }),
  listener: crud({ get_stats: READ }),
  pool: crud(),
  member: { get_all: READ, post: WRITE, get_one: READ, put: WRITE, delete: WRITE },
  healthmonitor: crud(),
  l7policy: crud(),
  l7rule: { get_all: READ, post: WRITE, get_one: READ, put: WRITE, delete: WRITE },
  quota: {
    get_all: 'rule:load-balancer:read-quota', 'get_all-global': 'rule:load-balancer:read-quota-global',
    get_one: 'rule:load-balancer:read-quota', put: 'rule:load-balancer:write-quota',
    delete: 'rule:load-balancer:write-quota', get_defaults: 'rule:load-balancer:read-quota',
  },
  provider: { get_all: READ },
  'provider-flavor': { get_all: ADMIN },
  'provider-availability-zone': { get_all: ADMIN },
  flavor: adminCrud(READ),
  'flavor-profile': adminCrud(ADMIN),
  'availability-zone': adminCrud(READ),
  'availability-zone-profile': adminCrud(ADMIN),
  amphora: { get_all: ADMIN, get_one: ADMIN, delete: ADMIN, put_config: ADMIN, put_failover: ADMIN, get_stats: ADMIN },
}

/** Every API rule of Octavia 11, as `<resource>:<action>`. */
export const OCTAVIA11_API_RULES: readonly string[] = Object.entries(API).flatMap(([r, actions]) => Object.keys(actions).map(a => `${r}:${a}`))

/** Whether `creds` pass Octavia 11's API rule `rule` (`<resource>:<action>`) on an object of `projectId` (null: none). */
export function passes(rule: string, projectId: string | null, creds: TokenCreds): boolean {
  const [resource, action] = [rule.slice(0, rule.indexOf(':')), rule.slice(rule.indexOf(':') + 1)]
  const check = API[resource]?.[action]
  if (check === undefined) throw new Error(`${rule} is not an Octavia 11 API rule`)
  // NOTE: Octavia's RequestContext sets is_admin from context_is_admin (whose checks ignore the target).
  const isAdmin = evaluate(BASE.context_is_admin, { projectId: null, creds, isAdmin: false })
  return evaluate(check, { projectId, creds, isAdmin })
}

interface Env { readonly projectId: string | null; readonly creds: TokenCreds; readonly isAdmin: boolean }

/** Evaluates `a or b`, `a and b`, parentheses and the atoms these rules use (project-scoped tokens only). */
function evaluate(text: string, env: Env): boolean {
  const tokens = text.replace(/[()]/g, ' $& ').trim().split(/\s+/)
  let i = 0
  const atom = (): boolean => {
    const t = tokens[i++]
    if (t === '(') {
      const v = or()
      i++ // ')'
      return v
    }
    const [kind, match] = [t.slice(0, t.indexOf(':')), t.slice(t.indexOf(':') + 1)]
    if (kind === 'role') return env.creds.roles.includes(match)
    if (kind === 'rule') return evaluate(BASE[match] ?? '!', env)
    if (kind === 'is_admin') return env.isAdmin === (match === 'True')
    if (kind === 'project_id') return env.projectId !== null && env.creds.projectId === env.projectId
    if (kind === 'system_scope') return false
    throw new Error(`unknown check ${t}`)
  }
  const and = (): boolean => {
    let v = atom()
    while (tokens[i] === 'and') { i++; v = atom() && v }
    return v
  }
  const or = (): boolean => {
    let v = and()
    while (tokens[i] === 'or') { i++; v = and() || v }
    return v
  }
  return text === '!' ? false : or()
}
