/**
 * One HTTP exchange with an OpenStack service (Keystone, Barbican) for the
 * barbican certificate manager: a timeout per request joined with the
 * caller's AbortSignal, the body as bytes. Never logs or returns what was
 * sent; callers decide what of the answer they may show (payloads never).
 */
import { request, type Dispatcher } from 'undici'
import { keepAliveAgent } from '../../../common/net/keep-alive-agent.js'

/** An answer, any status. */
export interface HttpReply {
  readonly status: number
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly body: Buffer
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT'
  readonly url: string
  readonly headers?: Readonly<Record<string, string>>
  /** Sent as JSON. */
  readonly json?: unknown
  readonly signal?: AbortSignal
}

/** The exchange did not complete (refused, reset, timed out, aborted). The message names the URL, never a token. */
export class HttpUnreachable extends Error {
  constructor(message: string, opts?: ErrorOptions) {
    super(message, opts)
    this.name = 'HttpUnreachable'
  }
}

/** TLS settings of `[service_auth]` (cafile, insecure) and the timeout per request. */
export interface HttpSettings {
  readonly cafile: string
  readonly insecure: boolean
  readonly timeoutMs: number
}

/** An HTTP client with kept-alive connections. */
export class OpenstackHttp {
  readonly #agent: Dispatcher
  readonly #timeoutMs: number

  constructor(settings: HttpSettings) {
    this.#timeoutMs = settings.timeoutMs
    this.#agent = keepAliveAgent(settings)
  }

  /** Sends one request; resolves with any HTTP status, throws HttpUnreachable when no answer came in time. */
  async send(req: HttpRequest): Promise<HttpReply> {
    const timeout = AbortSignal.timeout(this.#timeoutMs)
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout
    try {
      const res = await request(req.url, {
        method: req.method,
        headers: { ...(req.json === undefined ? {} : { 'content-type': 'application/json' }), ...req.headers },
        body: req.json === undefined ? undefined : JSON.stringify(req.json),
        dispatcher: this.#agent,
        signal,
      })
      const body = Buffer.from(await res.body.arrayBuffer())
      return { status: res.statusCode, headers: res.headers, body }
    } catch (err) {
      const why = timeout.aborted ? `no answer within ${this.#timeoutMs} ms` : req.signal?.aborted ? 'aborted' : errorCode(err)
      throw new HttpUnreachable(`${req.method} ${withoutQuery(req.url)}: ${why}`, { cause: err })
    }
  }

  /** Closes kept-alive connections. */
  async close(): Promise<void> {
    await this.#agent.close()
  }
}

/** The JSON of an answer, or null when it is not JSON. */
export function jsonOf(reply: HttpReply): unknown {
  try {
    return JSON.parse(reply.body.toString('utf8'))
  } catch {
    return null
  }
}

function errorCode(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown }; message?: unknown }
  return String(e?.code ?? e?.cause?.code ?? e?.message ?? 'error')
}

function withoutQuery(url: string): string {
  return url.split('?')[0] ?? url
}
