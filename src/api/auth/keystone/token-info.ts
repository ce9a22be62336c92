/** What a validated Keystone v3 token says about its bearer. */
export interface TokenInfo {
  readonly userId: string
  readonly userName: string
  /** The project the token is scoped to; null for unscoped, domain- or system-scoped tokens. */
  readonly projectId: string | null
  readonly projectName: string | null
  /** Role names of the token (Keystone already expanded implied roles, e.g. admin → member → reader). */
  readonly roles: readonly string[]
  /** Expiry, milliseconds since the epoch. */
  readonly expiresAt: number
  readonly userDomainId: string | null
  readonly projectDomainId: string | null
  /** The domain of a domain-scoped token. */
  readonly domainId: string | null
  /** `all` for a system-scoped token. */
  readonly systemScope: string | null
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null)

/**
 * Reads the body of `GET /v3/auth/tokens` (`{"token": {...}}`). Returns null
 * when it is not a usable v3 token (no user id, no valid `expires_at`): such a
 * token counts as invalid, as keystonemiddleware's "Invalid token contents".
 */
export function parseTokenInfo(body: unknown): TokenInfo | null {
  const token = isObject(body) ? body.token : undefined
  if (!isObject(token)) return null
  const user = isObject(token.user) ? token.user : {}
  const project = isObject(token.project) ? token.project : null
  const userId = text(user.id)
  const expires = text(token.expires_at)
  const expiresAt = expires ? Date.parse(expires) : NaN
  if (!userId || !Number.isFinite(expiresAt)) return null
  const roles = Array.isArray(token.roles)
    ? token.roles.flatMap(r => (isObject(r) && text(r.name) ? [r.name as string] : []))
    : []
  return Object.freeze({
    userId,
    userName: text(user.name) ?? '',
    projectId: project ? text(project.id) : null,
    projectName: project ? text(project.name) : null,
    roles: Object.freeze(roles),
    expiresAt,
    userDomainId: isObject(user.domain) ? text(user.domain.id) : null,
    projectDomainId: project && isObject(project.domain) ? text(project.domain.id) : null,
    domainId: isObject(token.domain) ? text(token.domain.id) : null,
    systemScope: isObject(token.system) && token.system.all === true ? 'all' : null,
  })
}
