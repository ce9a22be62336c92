import type { FastifyRequest } from 'fastify'

/** Who is calling: set on every request by the auth strategy (noauth here; keystone later). */
export interface Caller {
  /** The token's project; '' when it has none (it owns nothing: lists without get_all-global are 403, see listScope). */
  readonly projectId: string
  /**
   * True when the auth strategy itself makes the caller admin (noauth, as
   * Octavia's `is_admin` for `auth_strategy = noauth`). The policy engine
   * also counts as admin any caller that passes the `context_is_admin` rule
   * (`role:admin` by default), so a token strategy may leave this false.
   */
  readonly isAdmin: boolean
  readonly roles: readonly string[]
  readonly userId: string | null
  /** Optional token details, offered to policy rules as oslo.context names them (`user_domain_id`, …). */
  readonly userDomainId?: string | null
  readonly projectDomainId?: string | null
  readonly domainId?: string | null
  /** `all` for a system-scoped token (rules may test `system_scope:all`). */
  readonly systemScope?: string | null
  /**
   * The request's Keystone token (keystone strategy only), for acting on the
   * caller's behalf elsewhere (the certificate manager sets Barbican ACLs with
   * it). A credential: never logged, never rendered.
   */
  readonly authToken?: string | null
}

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller
  }
}

/**
 * noauth (Octavia's behaviour): the caller is admin; the project comes from the
 * `X-Project-Id` header, else the configured default project. The body's
 * `project_id` (admins may create for any project) is applied by each resource.
 */
export function noauthCaller(req: FastifyRequest, defaultProjectId: string): Caller {
  const header = req.headers['x-project-id']
  const projectId = (Array.isArray(header) ? header[0] : header) || defaultProjectId
  return { projectId, isAdmin: true, roles: ['admin'], userId: null }
}
