/**
 * Octavia 11's registered policy defaults (upstream tag 11.0.0, octavia/policies/*.py;
 * 11.0.3 has the same rules), rule for rule. `deprecated` is the pre-Wallaby
 * check string that oslo.policy ORs into the default while `[oslo_policy]
 * enforce_new_defaults` is false (oslo.policy 4.0's and so Octavia 11's
 * default). `scopeTypes` is the rule's `scope_types`, checked against the
 * token's scope when the rule is enforced by name and `[oslo_policy]
 * enforce_scope` is true.
 *
 * NOTE: Octavia 11 still requires its own `load-balancer_*` roles: its
 * `member_and_owner` is `load-balancer_member` and (new default) Keystone's
 * `member` of the project, or (deprecated) the project alone; a user with only
 * Keystone's `member` or `reader` role is refused everywhere. Later Octavia
 * (12.0.0 added `role:admin` to the admin rules, 16.0.0 made Keystone's
 * roles the defaults, 17.0.0 added `service` to `member:get_all`) differs:
 * we follow 11.
 */
export interface PolicyRuleDefault {
  readonly name: string
  readonly check: string
  readonly deprecated?: string
  readonly scopeTypes?: readonly PolicyScope[]
}

/** A token's scope as oslo.policy names it. */
export type PolicyScope = 'system' | 'domain' | 'project'

/** Prefix of every API rule name (Octavia's `LOADBALANCER_API`). */
export const API_RULE_PREFIX = 'os_load-balancer_api:'

const ADMIN = 'rule:load-balancer:admin'
const READ = 'rule:load-balancer:read'
const READ_GLOBAL = 'rule:load-balancer:read-global'
const WRITE = 'rule:load-balancer:write'
const READ_QUOTA = 'rule:load-balancer:read-quota'
const READ_QUOTA_GLOBAL = 'rule:load-balancer:read-quota-global'
const WRITE_QUOTA = 'rule:load-balancer:write-quota'

const SYSTEM: readonly PolicyScope[] = ['system']
const PROJECT: readonly PolicyScope[] = ['project']
const BOTH: readonly PolicyScope[] = ['project', 'system']

/** The role rules of Octavia 11's base.py, in its order. */
const BASE_RULES: readonly PolicyRuleDefault[] = [
  { name: 'system-admin', check: 'role:admin and system_scope:all', scopeTypes: SYSTEM },
  { name: 'system-reader', check: 'role:reader and system_scope:all', scopeTypes: SYSTEM },
  { name: 'project-member', check: 'role:member and project_id:%(project_id)s', scopeTypes: PROJECT },
  { name: 'project-reader', check: 'role:reader and project_id:%(project_id)s', scopeTypes: PROJECT },
  {
    name: 'context_is_admin', check: 'role:load-balancer_admin or rule:system-admin',
    deprecated: 'role:admin or role:load-balancer_admin', scopeTypes: SYSTEM,
  },
  { name: 'load-balancer:owner', check: 'project_id:%(project_id)s', scopeTypes: PROJECT },
  {
    name: 'load-balancer:observer_and_owner', check: 'role:load-balancer_observer and rule:project-reader',
    deprecated: 'role:load-balancer_observer and rule:load-balancer:owner', scopeTypes: PROJECT,
  },
  { name: 'load-balancer:global_observer', check: 'role:load-balancer_global_observer or rule:system-reader', scopeTypes: SYSTEM },
  {
    name: 'load-balancer:member_and_owner', check: 'role:load-balancer_member and rule:project-member',
    deprecated: 'role:load-balancer_member and rule:load-balancer:owner', scopeTypes: PROJECT,
  },
  { name: 'load-balancer:admin', check: 'is_admin:True or role:load-balancer_admin or rule:system-admin', scopeTypes: SYSTEM },
  {
    name: 'load-balancer:read', scopeTypes: BOTH,
    check: 'rule:load-balancer:observer_and_owner or rule:load-balancer:global_observer or rule:load-balancer:member_and_owner or rule:load-balancer:admin',
  },
  { name: 'load-balancer:read-global', check: 'rule:load-balancer:global_observer or rule:load-balancer:admin', scopeTypes: SYSTEM },
  { name: 'load-balancer:write', check: 'rule:load-balancer:member_and_owner or rule:load-balancer:admin', scopeTypes: BOTH },
  {
    name: 'load-balancer:read-quota', scopeTypes: BOTH,
    check: 'rule:load-balancer:observer_and_owner or rule:load-balancer:global_observer or rule:load-balancer:member_and_owner'
      + ' or role:load-balancer_quota_admin or rule:load-balancer:admin',
  },
  {
    name: 'load-balancer:read-quota-global', scopeTypes: SYSTEM,
    check: 'rule:load-balancer:global_observer or role:load-balancer_quota_admin or rule:load-balancer:admin',
  },
  { name: 'load-balancer:write-quota', check: 'role:load-balancer_quota_admin or rule:load-balancer:admin', scopeTypes: SYSTEM },
]

/**
 * The API rules, per resource (the part after `os_load-balancer_api:`) and
 * action. Octavia 11 registers them without scope types, so `enforce_scope`
 * never refuses an API rule itself.
 * NOTE: `loadbalancer:post:vip_sg_ids` and `put:vip_sg_ids` are not in
 * Octavia 11 (which has no `vip_sg_ids`); they are registered with the check
 * later Octavia gives them (write) because octavia-ts serves that field.
 */
export const API_RULES = {
  loadbalancer: {
    get_all: READ, 'get_all-global': READ_GLOBAL, post: WRITE, 'post:vip_sg_ids': WRITE, get_one: READ, put: WRITE,
    'put:vip_sg_ids': WRITE, delete: WRITE, get_stats: READ, get_status: READ, put_failover: ADMIN,
  },
  listener: { get_all: READ, 'get_all-global': READ_GLOBAL, post: WRITE, get_one: READ, put: WRITE, delete: WRITE, get_stats: READ },
  pool: { get_all: READ, 'get_all-global': READ_GLOBAL, post: WRITE, get_one: READ, put: WRITE, delete: WRITE },
  member: { get_all: READ, post: WRITE, get_one: READ, put: WRITE, delete: WRITE },
  healthmonitor: { get_all: READ, 'get_all-global': READ_GLOBAL, post: WRITE, get_one: READ, put: WRITE, delete: WRITE },
  l7policy: { get_all: READ, 'get_all-global': READ_GLOBAL, post: WRITE, get_one: READ, put: WRITE, delete: WRITE },
  l7rule: { get_all: READ, post: WRITE, get_one: READ, put: WRITE, delete: WRITE },
  quota: {
    get_all: READ_QUOTA, 'get_all-global': READ_QUOTA_GLOBAL, get_one: READ_QUOTA, put: WRITE_QUOTA, delete: WRITE_QUOTA,
    get_defaults: READ_QUOTA,
  },
  provider: { get_all: READ },
  'provider-flavor': { get_all: ADMIN },
  'provider-availability-zone': { get_all: ADMIN },
  flavor: { get_all: READ, post: ADMIN, put: ADMIN, get_one: READ, delete: ADMIN },
  'flavor-profile': { get_all: ADMIN, post: ADMIN, put: ADMIN, get_one: ADMIN, delete: ADMIN },
  'availability-zone': { get_all: READ, post: ADMIN, put: ADMIN, get_one: READ, delete: ADMIN },
  'availability-zone-profile': { get_all: ADMIN, post: ADMIN, put: ADMIN, get_one: ADMIN, delete: ADMIN },
  amphora: { get_all: ADMIN, get_one: ADMIN, delete: ADMIN, put_config: ADMIN, put_failover: ADMIN, get_stats: ADMIN },
} as const

/** A resource of the API rules. */
export type PolicyResource = keyof typeof API_RULES

/** `<resource>:<action>`, e.g. `loadbalancer:get_one`; the rule is `os_load-balancer_api:` + this. */
export type PolicyAction = { [R in PolicyResource]: `${R}:${keyof (typeof API_RULES)[R] & string}` }[PolicyResource]

/** Resources whose lists may span projects (they have a `get_all-global` rule). */
export type GlobalListResource = { [R in PolicyResource]: 'get_all-global' extends keyof (typeof API_RULES)[R] ? R : never }[PolicyResource]

/** Every registered default, role rules first. */
export function octaviaDefaultRules(): PolicyRuleDefault[] {
  const api = Object.entries(API_RULES).flatMap(([resource, actions]) =>
    Object.entries(actions).map(([action, check]) => ({ name: `${API_RULE_PREFIX}${resource}:${action}`, check })))
  return [...BASE_RULES, ...api]
}
