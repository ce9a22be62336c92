import { request, type Agent } from 'undici'
import { keepAliveAgent } from '../../../common/net/keep-alive-agent.js'
import type { KeystoneSettings } from './keystone-settings.js'

/** An answer of the Identity service (any status). */
export interface IdentityReply {
  readonly status: number
  /** `X-Subject-Token` of the answer, if any. */
  readonly subjectToken: string | null
  /** The JSON body, or null when it is not JSON. */
  readonly body: unknown
}

/**
 * The Identity service could not be reached or did not answer in time
 * (keystonemiddleware: a 503 "The Keystone service is temporarily unavailable.").
 * The message never contains a token.
 */
export class IdentityUnavailable extends Error {
  constructor(message: string, opts?: ErrorOptions) {
    super(message, opts)
    this.name = 'IdentityUnavailable'
  }
}

/** Error codes of a request that never reached the server (safe to retry). */
const CONNECT_ERRORS = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET',
])

const errorCode = (err: unknown): string => {
  const e = err as { code?: unknown; cause?: { code?: unknown } }
  return String(e?.code ?? e?.cause?.code ?? '')
}

/**
 * A small HTTP client of the Identity v3 API (`settings.identityUrl`) with
 * keep-alive connections, a timeout per request and keystoneauth-like retries
 * of connection failures (0.1 s, 0.2 s, 0.4 s … apart).
 */
export class IdentityClient {
  readonly #settings: KeystoneSettings
  readonly #agent: Agent

  constructor(settings: KeystoneSettings) {
    this.#settings = settings
    this.#agent = keepAliveAgent(settings)
  }

  /**
   * Sends `method identityUrl+path`. Resolves with any HTTP answer; throws
   * IdentityUnavailable when no answer came (after the configured retries of
   * connection failures) or it came too late.
   */
  async send(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: unknown): Promise<IdentityReply> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#once(method, path, headers, body)
      } catch (err) {
        const code = errorCode(err)
        if (attempt < this.#settings.connectRetries && CONNECT_ERRORS.has(code)) {
          await new Promise(r => setTimeout(r, 100 * 2 ** attempt))
          continue
        }
        throw new IdentityUnavailable(`Identity service at ${this.#settings.identityUrl} did not answer (${code || (err as Error).message})`, { cause: err })
      }
    }
  }

  async #once(method: string, path: string, headers: Record<string, string>, body: unknown): Promise<IdentityReply> {
    const res = await request(this.#settings.identityUrl + path, {
      method: method as 'GET',
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher: this.#agent,
      headersTimeout: this.#settings.timeoutMs,
      bodyTimeout: this.#settings.timeoutMs,
    })
    const text = await res.body.text()
    let parsed: unknown = null
    try { parsed = text ? JSON.parse(text) : null } catch { /* not JSON */ }
    const subject = res.headers['x-subject-token']
    return { status: res.statusCode, subjectToken: (Array.isArray(subject) ? subject[0] : subject) ?? null, body: parsed }
  }

  /** Closes the kept-alive connections. */
  async close(): Promise<void> {
    await this.#agent.close()
  }
}
