import { forbidden } from '../../common/errors.js'
import type { Query } from '../list/list-params.js'
import { API_RULE_PREFIX, type GlobalListResource, type PolicyAction } from '../policy/default-rules.js'
import type { PolicyCredentials } from '../policy/policy-check.js'
import type { PolicyEnforcer } from '../policy/policy-enforcer.js'
import type { Caller } from './caller.js'
import { policyCredentials } from './policy-credentials.js'

export type { PolicyAction } from '../policy/default-rules.js'

interface Binding {
  readonly enforcer: PolicyEnforcer
  readonly creds: PolicyCredentials
}

// NOTE: keyed by the request's Caller object, so handlers that only receive
// the caller can be checked; filled by installPolicy's hook for every request.
const bindings = new WeakMap<Caller, Binding>()

/** Makes `caller` checkable against `enforcer` (its credentials are computed once). Idempotent per enforcer. */
export function bindPolicy(caller: Caller, enforcer: PolicyEnforcer): void {
  if (bindings.get(caller)?.enforcer === enforcer) return
  bindings.set(caller, { enforcer, creds: policyCredentials(caller, enforcer) })
}

function bindingOf(caller: Caller): Binding {
  const b = bindings.get(caller)
  if (!b) throw new Error('the caller of this request has no policy bound (installPolicy missing?)')
  return b
}

/** Whether `caller` passes `os_load-balancer_api:<action>` on an object of project `projectId`. */
export function isAuthorized(caller: Caller, action: PolicyAction, projectId: string | null | undefined): boolean {
  const { enforcer, creds } = bindingOf(caller)
  return enforcer.enforce(API_RULE_PREFIX + action, { project_id: projectId ?? null }, creds)
}

/**
 * Octavia's `_auth_validate_action`: 403 `Policy does not allow this request
 * to be performed.` unless `caller` passes `os_load-balancer_api:<action>`
 * with target `{project_id}`. For an existing object the project is the
 * object's (its load balancer's for children): the handler loads the object
 * first (an unknown id is a 404), then checks, so a caller of another project
 * gets 403 for an object that exists, as from Octavia.
 */
export function authorize(caller: Caller, action: PolicyAction, projectId: string | null | undefined): void {
  if (!isAuthorized(caller, action, projectId)) throw forbidden()
}

/**
 * Octavia's `_auth_get_all` for a list: with `<resource>:get_all-global`
 * (admins, global observers) the list spans every project, or the project
 * of a `project_id` query filter. Otherwise the list is restricted to the
 * filter's project, else the caller's own, which must pass
 * `<resource>:get_all` (403 for another project's filter, and for a caller
 * without a project). Returns the project to restrict to, null for all.
 */
export function listScope(caller: Caller, resource: GlobalListResource, query: Query): string | null {
  const raw = query.project_id
  const requested = (Array.isArray(raw) ? raw.at(-1) : raw) ?? null
  if (isAuthorized(caller, `${resource}:get_all-global`, requested)) return requested
  const projectId = requested ?? (caller.projectId || null)
  if (projectId === null) throw forbidden()
  if (!isAuthorized(caller, `${resource}:get_all`, projectId)) throw forbidden()
  return projectId
}
