import type { Logger } from '../../../common/logging.js'
import { IdentityUnavailable, type IdentityClient } from './identity-client.js'
import type { KeystoneSettings } from './keystone-settings.js'

/** A service token is renewed this long before it expires (keystoneauth uses 30 s). */
const RENEW_BEFORE_MS = 60_000

/**
 * The token of the `[keystone_authtoken]` service user (password auth), with
 * which user tokens are validated. Obtained on first use, shared by concurrent
 * callers, renewed shortly before it expires or after Keystone rejected it.
 */
export class ServiceToken {
  readonly #client: IdentityClient
  readonly #settings: KeystoneSettings
  readonly #log: Logger
  #current: { token: string; renewAt: number } | null = null
  #pending: Promise<string> | null = null

  constructor(client: IdentityClient, settings: KeystoneSettings, log: Logger) {
    this.#client = client
    this.#settings = settings
    this.#log = log
  }

  /**
   * A valid service token. Throws IdentityUnavailable when Keystone cannot be
   * reached or refuses the service user's credentials (keystonemiddleware
   * answers 503 in both cases).
   */
  async get(now = Date.now()): Promise<string> {
    if (this.#current && this.#current.renewAt > now) return this.#current.token
    this.#pending ??= this.#fetch().finally(() => { this.#pending = null })
    return this.#pending
  }

  /** Forgets `token` if it is the current one (Keystone answered 401 to it). */
  invalidate(token: string): void {
    if (this.#current?.token === token) this.#current = null
  }

  async #fetch(): Promise<string> {
    const res = await this.#client.send('POST', '/auth/tokens?nocatalog', {}, this.#settings.serviceAuthBody)
    if (res.status !== 201 || !res.subjectToken) {
      // NOTE: log the status only; the answer may echo what was sent.
      this.#log.error({ status: res.status }, 'keystone refused the [keystone_authtoken] service user')
      throw new IdentityUnavailable(`Identity service refused the service user (HTTP ${res.status})`)
    }
    const body = res.body as { token?: { expires_at?: unknown } } | null
    const now = Date.now()
    const parsed = Date.parse(String(body?.token?.expires_at ?? ''))
    const expiresAt = Number.isFinite(parsed) ? parsed : now + RENEW_BEFORE_MS * 2
    // NOTE: a short-lived token (a test Keystone) is renewed half-way instead.
    this.#current = { token: res.subjectToken, renewAt: expiresAt - Math.min(RENEW_BEFORE_MS, (expiresAt - now) / 2) }
    this.#log.debug({ expiresAt: new Date(expiresAt).toISOString() }, 'service token obtained')
    return res.subjectToken
  }
}
