/**
 * The service user's Keystone session for the barbican certificate manager
 * (Octavia's `[service_auth]` KeystoneSession): password authentication
 * scoped to the service project, the token cached and shared by concurrent
 * callers until shortly before it expires, the service user's id and the
 * catalog of the same token.
 */
import { HttpUnreachable, jsonOf, type OpenstackHttp } from './openstack-http.js'

/** `[service_auth]`, the part that authenticates. */
export interface ServiceAuthSettings {
  /** With or without the trailing `/v3`. */
  readonly auth_url: string
  readonly username: string
  readonly password: string
  readonly user_domain_name: string
  readonly project_name: string
  readonly project_domain_name: string
}

/** One endpoint of the catalog. */
export interface CatalogEndpoint {
  readonly interface: string
  readonly region: string | null
  readonly url: string
}

/** What one authentication gives. */
export interface ServiceToken {
  readonly token: string
  readonly userId: string
  /** Service type → its endpoints. */
  readonly catalog: ReadonlyMap<string, readonly CatalogEndpoint[]>
}

/** Keystone refused the service user or could not be reached; the message names no credential. */
export class ServiceAuthError extends Error {
  constructor(message: string, opts?: ErrorOptions) {
    super(message, opts)
    this.name = 'ServiceAuthError'
  }
}

/** A token is renewed this long before it expires (half its life when that is shorter). */
const RENEW_BEFORE_MS = 60_000

export class KeystoneSession {
  readonly #http: OpenstackHttp
  readonly #settings: ServiceAuthSettings
  #current: { value: ServiceToken; renewAt: number } | null = null
  #pending: Promise<ServiceToken> | null = null

  constructor(http: OpenstackHttp, settings: ServiceAuthSettings) {
    this.#http = http
    this.#settings = Object.freeze({ ...settings })
  }

  /** A valid service token with its user id and catalog. Throws ServiceAuthError. */
  async get(signal?: AbortSignal): Promise<ServiceToken> {
    if (this.#current && this.#current.renewAt > Date.now()) return this.#current.value
    this.#pending ??= this.#authenticate(signal).finally(() => { this.#pending = null })
    return this.#pending
  }

  /** Forgets `token` when it is the cached one (a service answered 401 to it). */
  invalidate(token: string): void {
    if (this.#current?.value.token === token) this.#current = null
  }

  async #authenticate(signal?: AbortSignal): Promise<ServiceToken> {
    const s = this.#settings
    if (!s.auth_url || !s.username || !s.project_name) throw new ServiceAuthError('[service_auth] auth_url, username and project_name must be set for the barbican certificate manager')
    const url = `${s.auth_url.replace(/\/+$/, '').replace(/\/v3$/, '')}/v3/auth/tokens`
    const json = {
      auth: {
        identity: { methods: ['password'], password: { user: { name: s.username, domain: { name: s.user_domain_name }, password: s.password } } },
        scope: { project: { name: s.project_name, domain: { name: s.project_domain_name } } },
      },
    }
    let reply
    try {
      reply = await this.#http.send({ method: 'POST', url, json, headers: { accept: 'application/json' }, signal })
    } catch (err) {
      throw new ServiceAuthError(`Keystone did not answer: ${(err as HttpUnreachable).message}`, { cause: err })
    }
    const token = reply.headers['x-subject-token']
    if (reply.status !== 201 || typeof token !== 'string') throw new ServiceAuthError(`Keystone refused the [service_auth] user (HTTP ${reply.status})`)
    const value = serviceToken(token, jsonOf(reply))
    const now = Date.now()
    this.#current = { value: value.token, renewAt: value.expiresAt - Math.min(RENEW_BEFORE_MS, (value.expiresAt - now) / 2) }
    return value.token
  }
}

/** The token, user id, catalog and expiry of Keystone's answer. */
function serviceToken(token: string, body: unknown): { token: ServiceToken; expiresAt: number } {
  const t = (body as { token?: { expires_at?: string; user?: { id?: string }; catalog?: unknown[] } } | null)?.token
  const userId = t?.user?.id
  if (!userId) throw new ServiceAuthError('Keystone\'s token answer has no user id')
  const catalog = new Map<string, CatalogEndpoint[]>()
  for (const entry of (t?.catalog ?? []) as { type?: string; endpoints?: { interface?: string; region?: string; region_id?: string; url?: string }[] }[]) {
    const endpoints = (entry.endpoints ?? []).filter((e) => e.url).map((e) => ({ interface: e.interface ?? '', region: e.region_id ?? e.region ?? null, url: e.url as string }))
    if (entry.type) catalog.set(entry.type, [...(catalog.get(entry.type) ?? []), ...endpoints])
  }
  const parsed = Date.parse(t?.expires_at ?? '')
  return { token: Object.freeze({ token, userId, catalog }), expiresAt: Number.isFinite(parsed) ? parsed : Date.now() + 2 * RENEW_BEFORE_MS }
}

/**
 * The URL of `type` in `catalog` for `endpointType` (`public`, `publicURL`,
 * `internal`, …) in `region` (empty: any). Null when there is none.
 */
export function catalogUrl(catalog: ServiceToken['catalog'], type: string, endpointType: string, region: string): string | null {
  const iface = endpointType.replace(/URL$/, '')
  const found = (catalog.get(type) ?? []).find((e) => e.interface === iface && (region === '' || e.region === region))
  return found?.url ?? null
}
