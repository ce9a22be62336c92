/**
 * Octavia's registered policy defaults (octavia/policies/*.py at upstream
 * HEAD), rule for rule. `deprecated` is the pre-Wallaby check string that
 * oslo.policy ORs into the default while `[oslo_policy]
 * enforce_new_defaults` is false (it is true by default since oslo.policy
 * 4.0): those are the "advanced RBAC" `load-balancer_*` roles.
 */
export interface PolicyRuleDefault {
  readonly name: string
  readonly check: string
  readonly deprecated?: string
}

/** Prefix of every API rule name (Octavia's `LOADBALANCER_API`). */
export const API_RULE_PREFIX = 'os_load-balancer_api:'

const ADMIN = 'rule:load-balancer:admin'
const READ = 'rule:load-balancer:read'
const READ_GLOBAL = 'rule:load-balancer:read-global'
const WRITE = 'rule:load-balancer:write'
const READ_QUOTA = 'rule:load-balancer:read-quota'
const READ_QUOTA_GLOBAL = 'rule:load-balancer:read-quota-global'
const WRITE_QUOTA = 'rule:load-balancer:write-quota'
/** The service user of Aodh lists members to learn which are healthy. */
const MEMBER_READ = `${READ} or rule:service`

/** The role rules: base.py, keystone_default_roles.py and advanced_rbac.py. */
const BASE_RULES: readonly PolicyRuleDefault[] = [
  { name: 'load-balancer:read', check: 'rule:load-balancer:observer_and_owner or rule:load-balancer:global_observer or rule:load-balancer:member_and_owner or rule:load-balancer:admin' },
  { name: 'load-balancer:read-global', check: 'rule:load-balancer:global_observer or rule:load-balancer:admin' },
  { name: 'load-balancer:write', check: 'rule:load-balancer:member_and_owner or rule:load-balancer:admin' },
  { name: 'load-balancer:read-quota', check: 'rule:load-balancer:observer_and_owner or rule:load-balancer:global_observer or rule:load-balancer:member_and_owner or rule:load-balancer:quota-admin or rule:load-balancer:admin' },
  { name: 'load-balancer:read-quota-global', check: 'rule:load-balancer:global_observer or rule:load-balancer:quota-admin or rule:load-balancer:admin' },
  { name: 'load-balancer:write-quota', check: 'rule:load-balancer:quota-admin or rule:load-balancer:admin' },
  { name: 'project-member', check: 'role:member and project_id:%(project_id)s' },
  { name: 'project-reader', check: 'role:reader and project_id:%(project_id)s' },
  { name: 'context_is_admin', check: 'role:admin', deprecated: 'role:admin or role:load-balancer_admin' },
  { name: 'load-balancer:admin', check: 'is_admin:True or role:admin', deprecated: 'is_admin:True or role:admin or role:load-balancer_admin' },
  { name: 'service', check: 'role:service' },
  { name: 'load-balancer:global_observer', check: 'role:admin', deprecated: 'role:load-balancer_global_observer' },
  { name: 'load-balancer:member_and_owner', check: 'rule:project-member', deprecated: 'role:load-balancer_member and rule:load-balancer:owner' },
  { name: 'load-balancer:observer_and_owner', check: 'rule:project-reader', deprecated: 'role:load-balancer_observer and rule:load-balancer:owner' },
  { name: 'load-balancer:quota-admin', check: 'role:admin', deprecated: 'role:load-balancer_quota_admin' },
  { name: 'load-balancer:owner', check: 'project_id:%(project_id)s' },
]

/** The API rules, per resource (the part after `os_load-balancer_api:`) and action. */
export const API_RULES = {
  loadbalancer: {
    get_all: READ, 'get_all-global': READ_GLOBAL, post: WRITE, 'post:vip_sg_ids': WRITE, get_one: READ, put: WRITE,
    'put:vip_sg_ids': WRITE, delete: WRITE, get_stats: READ, get_status: READ, put_failover: ADMIN,
  },
  listener: { get_all: READ, 'get_all-global': READ_GLOBAL, post: WRITE, get_one: READ, put: WRITE, delete: WRITE, get_stats: READ },
  pool: { get_all: READ, 'get_all-global': READ_GLOBAL, post: WRITE, get_one: READ, put: WRITE, delete: WRITE },
  member: { get_all: MEMBER_READ, post: WRITE, get_one: READ, put: WRITE, delete: WRITE },
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
