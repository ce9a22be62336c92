import type { Logger } from '../../../common/logging.js'
import { IdentityUnavailable, type IdentityClient } from './identity-client.js'
import type { KeystoneSettings } from './keystone-settings.js'
import type { ServiceToken } from './service-token.js'
import { TokenCache, tokenKey } from './token-cache.js'
import { parseTokenInfo, type TokenInfo } from './token-info.js'

/** What the cache remembers: the token's info, or `null` for a token Keystone rejected. */
type Verdict = TokenInfo | null

/** Counters for tests and metrics. */
export interface ValidatorStats {
  /** Requests to Keystone that validated a user token. */
  readonly keystoneValidations: number
  readonly cacheHits: number
}

/**
 * Validates user tokens with `GET /v3/auth/tokens` (the service token as
 * X-Auth-Token, the user token as X-Subject-Token), as keystonemiddleware does:
 * 200 → valid unless expired; 404 → invalid; 401 → the service token is renewed
 * and the validation tried once more, then IdentityUnavailable; any other answer
 * or none → IdentityUnavailable. Verdicts are cached by the token's hash for
 * `cacheMs` (valid ones never past their expiry), so a revoked token is noticed
 * within `token_cache_time` at the latest. Concurrent validations of one token
 * share one request.
 */
export class TokenValidator {
  readonly #client: IdentityClient
  readonly #service: ServiceToken
  readonly #settings: KeystoneSettings
  readonly #log: Logger
  readonly #cache: TokenCache<Verdict>
  readonly #inFlight = new Map<string, Promise<Verdict>>()
  #stats = { keystoneValidations: 0, cacheHits: 0 }

  constructor(deps: { client: IdentityClient; service: ServiceToken; settings: KeystoneSettings; log: Logger; cacheSize?: number }) {
    this.#client = deps.client
    this.#service = deps.service
    this.#settings = deps.settings
    this.#log = deps.log
    this.#cache = new TokenCache<Verdict>(deps.cacheSize)
  }

  get stats(): ValidatorStats {
    return { ...this.#stats }
  }

  /**
   * The token's info, or null when the token is invalid, revoked or expired.
   * Throws IdentityUnavailable when Keystone cannot decide.
   */
  async validate(token: string): Promise<TokenInfo | null> {
    const now = Date.now()
    const key = tokenKey(token)
    const cached = this.#cache.get(key, now)
    if (cached !== undefined) {
      this.#stats.cacheHits++
      return cached && cached.expiresAt > now ? cached : null
    }
    let pending = this.#inFlight.get(key)
    if (!pending) {
      pending = this.#ask(token, key).finally(() => this.#inFlight.delete(key))
      this.#inFlight.set(key, pending)
    }
    const verdict = await pending
    return verdict && verdict.expiresAt > Date.now() ? verdict : null
  }

  async #ask(token: string, key: string): Promise<Verdict> {
    const verdict = await this.#fetch(token, true)
    if (this.#settings.cacheMs > 0) {
      const now = Date.now()
      const until = Math.min(now + this.#settings.cacheMs, verdict ? verdict.expiresAt : Infinity)
      this.#cache.set(key, verdict, until, now)
    }
    if (!verdict) this.#log.info({ tokenHash: key.slice(0, 12) }, 'keystone rejected a token')
    return verdict
  }

  async #fetch(token: string, retry: boolean): Promise<Verdict> {
    const service = await this.#service.get()
    this.#stats.keystoneValidations++
    const res = await this.#client.send('GET', '/auth/tokens?nocatalog', { 'x-auth-token': service, 'x-subject-token': token })
    if (res.status === 200) {
      const info = parseTokenInfo(res.body)
      if (!info) this.#log.warn('keystone returned token contents that are not a v3 token')
      return info
    }
    if (res.status === 404) return null
    if (res.status === 401 && retry) {
      this.#service.invalidate(service)
      return this.#fetch(token, false)
    }
    // NOTE: never log the answer's message: Keystone may quote the token in it.
    this.#log.error({ status: res.status }, 'keystone could not validate a token')
    throw new IdentityUnavailable(`Identity service answered ${res.status} to a token validation`)
  }
}
