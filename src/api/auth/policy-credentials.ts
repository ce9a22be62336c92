import type { PolicyCredentials } from '../policy/policy-check.js'
import type { PolicyEnforcer } from '../policy/policy-enforcer.js'
import type { Caller } from './caller.js'

/**
 * The credentials policy rules see, named as oslo.context's
 * `to_policy_values()` names them, plus `is_admin` as Octavia injects it:
 * true when the auth strategy makes the caller admin (noauth) or when the
 * caller passes the `context_is_admin` rule (checked with the credentials
 * as both target and credentials, `is_admin` false, as Octavia's
 * RequestContext does when it is built).
 */
export function policyCredentials(caller: Caller, enforcer: PolicyEnforcer): PolicyCredentials {
  const base = {
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
    is_admin: false,
  }
  const isAdmin = caller.isAdmin || enforcer.enforce('context_is_admin', base, base)
  return Object.freeze({ ...base, is_admin: isAdmin })
}
