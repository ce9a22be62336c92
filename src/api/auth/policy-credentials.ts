import type { PolicyCredentials } from '../policy/policy-check.js'
import type { PolicyEnforcer } from '../policy/policy-enforcer.js'
import type { Caller } from './caller.js'

/**
 * The credentials policy rules see, named as oslo.context's
 * `to_policy_values()` names them (plus `system`, which oslo.policy copies
 * from `system_scope`), and `is_admin` as Octavia injects it: true when the
 * auth strategy makes the caller admin (noauth) or when the caller passes
 * the `context_is_admin` rule (see isContextAdmin). A Keystone role alone
 * never sets it: the policy decides.
 */
export function policyCredentials(caller: Caller, enforcer: PolicyEnforcer): PolicyCredentials {
  const values = {
    user_id: caller.userId ?? null,
    user_domain_id: caller.userDomainId ?? null,
    system_scope: caller.systemScope ?? null,
    domain_id: caller.domainId ?? null,
    project_id: caller.projectId || null,
    project_domain_id: caller.projectDomainId ?? null,
    roles: [...caller.roles],
    is_admin_project: true,
    service_user_id: null,
    service_user_domain_id: null,
    service_project_id: null,
    service_project_domain_id: null,
    service_roles: [],
    ...(caller.systemScope ? { system: caller.systemScope } : {}),
  }
  return Object.freeze({ ...values, is_admin: caller.isAdmin || isContextAdmin(caller, enforcer) })
}

/**
 * Octavia's `check_is_admin`, run when its request context is built: the
 * `context_is_admin` rule with the context's `to_dict()` as both target and
 * credentials (`is_admin` still false). That dict names the domain `domain`,
 * not `domain_id`, so for the scope check a domain token counts as a project
 * token; with `enforce_scope` only a system-scoped token can pass.
 */
function isContextAdmin(caller: Caller, enforcer: PolicyEnforcer): boolean {
  const dict = {
    user: caller.userId ?? null,
    project_id: caller.projectId || null,
    system_scope: caller.systemScope ?? null,
    project: caller.projectId || null,
    domain: caller.domainId ?? null,
    user_domain: caller.userDomainId ?? null,
    project_domain: caller.projectDomainId ?? null,
    is_admin: false,
    read_only: false,
    show_deleted: false,
    roles: [...caller.roles],
    is_admin_project: true,
    ...(caller.systemScope ? { system: caller.systemScope } : {}),
  }
  return enforcer.enforce('context_is_admin', dict, dict)
}
