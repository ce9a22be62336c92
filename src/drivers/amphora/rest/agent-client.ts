/**
 * The controller's client of the amphora agent (agent-api.ts): HTTPS with
 * mutual TLS (our client certificate; the agent's certificate must come from
 * the configured CA and name the host we connect to), connect and read
 * timeouts, and bounded retries while the agent cannot be reached, with
 * Octavia's `[haproxy_amphora]` option names. Every call of the contract but
 * updateServers is idempotent, so retrying is safe.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { Agent, request, type Dispatcher } from 'undici'
import type { Config } from '../../../common/config/schema.js'
import type { TlsMaterial } from '../../../pki/tls-material.js'
import type {
  AgentInfo, AgentMessage, AgentRoot, AmphoraInventory, AmphoraRegistration, AmphoraState, AmphoraStats, CertificateInstalled, ServerStateChange,
  VrrpSpec, VrrpStatus,
} from '../../../amphora-api/agent-api.js'
import type { CertificateFile, CertificateFilesUpload } from '../../../amphora-api/certificate-files.js'
import type { AgentEndpoint, AmphoraDriver, CallOptions, UploadOptions } from '../amphora-driver.js'
import { AgentRequestError, AgentUnreachableError } from './agent-client-errors.js'
import { isRetryable } from './retryable.js'

export interface AgentClientOptions {
  readonly tls: Pick<TlsMaterial, 'cert' | 'key' | 'ca'>
  /** `[haproxy_amphora] bind_port` */
  readonly defaultPort: number
  /** `rest_request_conn_timeout`, ms */
  readonly connectTimeoutMs: number
  /** `rest_request_read_timeout`, ms */
  readonly readTimeoutMs: number
  /** `connection_max_retries`: attempts in all (at least 1). */
  readonly maxRetries: number
  /** `connection_retry_interval`, ms */
  readonly retryIntervalMs: number
}

/** The options from `[haproxy_amphora]` and the controller's TLS material. */
export function agentClientOptions(h: Config['haproxy_amphora'], tls: TlsMaterial): AgentClientOptions {
  return {
    tls,
    defaultPort: h.bind_port,
    connectTimeoutMs: Math.round(h.rest_request_conn_timeout * 1000),
    readTimeoutMs: Math.round(h.rest_request_read_timeout * 1000),
    maxRetries: h.connection_max_retries,
    retryIntervalMs: Math.round(h.connection_retry_interval * 1000),
  }
}

type Method = 'GET' | 'PUT' | 'DELETE'

/**
 * The REST amphora driver (`amphora_haproxy_rest_driver`), plus the calls
 * housekeeping and the e2e tests use besides the driver contract (root,
 * info, installCertificate, listAmphorae).
 */
export class AgentClient implements AmphoraDriver {
  readonly #opts: AgentClientOptions
  readonly #dispatcher: Agent

  constructor(opts: AgentClientOptions) {
    this.#opts = Object.freeze({ ...opts })
    this.#dispatcher = new Agent({
      connect: { ca: opts.tls.ca, cert: opts.tls.cert, key: opts.tls.key, timeout: opts.connectTimeoutMs, minVersion: 'TLSv1.2' },
      headersTimeout: opts.readTimeoutMs,
      bodyTimeout: opts.readTimeoutMs,
      keepAliveTimeout: 4000,
    })
  }

  /** `GET /` */
  root(ep: AgentEndpoint, o?: CallOptions): Promise<AgentRoot> { return this.#json(ep, 'GET', '/', undefined, o) }

  /** `GET /1.0/info` */
  info(ep: AgentEndpoint, o?: CallOptions): Promise<AgentInfo> { return this.#json(ep, 'GET', '/1.0/info', undefined, o) }

  /**
   * `PUT /1.0/certificate`: the agent's new server certificate and key (one PEM text) for every amphora it
   * serves; AgentRequestError 400 when the agent refuses it (its certificate unchanged). Idempotent.
   */
  installCertificate(ep: AgentEndpoint, pem: string, o?: CallOptions): Promise<CertificateInstalled> {
    return this.#json(ep, 'PUT', '/1.0/certificate', { body: pem, type: 'application/x-pem-file' }, o)
  }

  /** `GET /amphorae`: the amphorae the agent finds on its host, registered or not (read-only). */
  listAmphorae(ep: AgentEndpoint, o?: CallOptions): Promise<AmphoraInventory> {
    return this.#json(ep, 'GET', '/amphorae', undefined, o)
  }

  /** `PUT /amphorae/{amp}`: registers the amphora (idempotent). */
  registerAmphora(ep: AgentEndpoint, amphoraId: string, reg: AmphoraRegistration, o?: CallOptions): Promise<AmphoraState> {
    return this.#json(ep, 'PUT', amp(amphoraId), json(reg), o)
  }

  /** `GET /amphorae/{amp}`; AgentRequestError 404 when unknown. */
  getAmphora(ep: AgentEndpoint, amphoraId: string, o?: CallOptions): Promise<AmphoraState> {
    return this.#json(ep, 'GET', amp(amphoraId), undefined, o)
  }

  /** `DELETE /amphorae/{amp}`: stops and removes everything of the amphora (idempotent). */
  async deleteAmphora(ep: AgentEndpoint, amphoraId: string, o?: CallOptions): Promise<void> {
    await this.#call(ep, 'DELETE', amp(amphoraId), undefined, o)
  }

  /**
   * `PUT .../loadbalancer/{lb}/haproxy`: checked by `haproxy -c`; AgentRequestError 400 with the alerts in `details`.
   * With `appliedAtRuntime`, `?applied=runtime`: stored without the check, only for a config whose difference
   * from the one in use was just applied by updateServers.
   */
  async uploadConfig(ep: AgentEndpoint, amphoraId: string, lbId: string, config: string, o?: UploadOptions): Promise<void> {
    const query = o?.appliedAtRuntime === true ? '?applied=runtime' : ''
    await this.#call(ep, 'PUT', `${lb(amphoraId, lbId)}/haproxy${query}`, { body: config, type: 'text/plain; charset=utf-8' }, o)
  }

  /** `PUT .../loadbalancer/{lb}/certificates`: the load balancer's TLS files (content-addressed, idempotent). */
  async uploadCertificates(ep: AgentEndpoint, amphoraId: string, lbId: string, files: readonly CertificateFile[], o?: CallOptions): Promise<void> {
    await this.#call(ep, 'PUT', `${lb(amphoraId, lbId)}/certificates`, json({ files } satisfies CertificateFilesUpload), o)
  }

  /** `GET .../loadbalancer/{lb}/haproxy`: the config in use. */
  async getConfig(ep: AgentEndpoint, amphoraId: string, lbId: string, o?: CallOptions): Promise<string> {
    return (await this.#call(ep, 'GET', `${lb(amphoraId, lbId)}/haproxy`, undefined, o)).text
  }

  /** `PUT .../loadbalancer/{lb}/{start|stop|reload}`; a failed reload is AgentRequestError 500 (last known good kept). */
  action(ep: AgentEndpoint, amphoraId: string, lbId: string, action: 'start' | 'stop' | 'reload', o?: CallOptions): Promise<AgentMessage> {
    return this.#json(ep, 'PUT', `${lb(amphoraId, lbId)}/${action}`, undefined, o)
  }

  /** `DELETE .../listeners/{lb}`: stops that HAProxy and removes its files (idempotent). */
  async deleteLoadBalancer(ep: AgentEndpoint, amphoraId: string, lbId: string, o?: CallOptions): Promise<void> {
    await this.#call(ep, 'DELETE', `${amp(amphoraId)}/1.0/listeners/${seg(lbId)}`, undefined, o)
  }

  /** `PUT .../loadbalancer/{lb}/servers`: runtime member changes, no reload. */
  updateServers(ep: AgentEndpoint, amphoraId: string, lbId: string, changes: readonly ServerStateChange[], o?: CallOptions): Promise<AgentMessage> {
    return this.#json(ep, 'PUT', `${lb(amphoraId, lbId)}/servers`, json(changes), o)
  }

  /** `GET .../stats`: absolute counters of every running HAProxy of the amphora. */
  stats(ep: AgentEndpoint, amphoraId: string, o?: CallOptions): Promise<AmphoraStats> {
    return this.#json(ep, 'GET', `${amp(amphoraId)}/1.0/stats`, undefined, o)
  }

  /**
   * `PUT .../vrrp`: the amphora's keepalived settings; the agent renders and checks keepalived.conf and reloads a
   * running keepalived. AgentRequestError 400 for an invalid spec, an amphora without a namespace or a refused
   * config. Idempotent.
   */
  putVrrp(ep: AgentEndpoint, amphoraId: string, spec: VrrpSpec, o?: CallOptions): Promise<AgentMessage> {
    return this.#json(ep, 'PUT', `${amp(amphoraId)}/1.0/vrrp`, json(spec), o)
  }

  /** `PUT .../vrrp/{start|stop|reload}`: start of a running keepalived reloads it; AgentRequestError 404 without a spec. */
  vrrpAction(ep: AgentEndpoint, amphoraId: string, action: 'start' | 'stop' | 'reload', o?: CallOptions): Promise<AgentMessage> {
    return this.#json(ep, 'PUT', `${amp(amphoraId)}/1.0/vrrp/${action}`, undefined, o)
  }

  /** `GET .../vrrp`: whether keepalived runs and whether the amphora holds every VIP now. */
  vrrpStatus(ep: AgentEndpoint, amphoraId: string, o?: CallOptions): Promise<VrrpStatus> {
    return this.#json(ep, 'GET', `${amp(amphoraId)}/1.0/vrrp`, undefined, o)
  }

  /** Closes the pooled connections. */
  close(): Promise<void> { return this.#dispatcher.close() }

  async #json<T>(ep: AgentEndpoint, method: Method, path: string, body: Body | undefined, o?: CallOptions): Promise<T> {
    const { text, url } = await this.#call(ep, method, path, body, o)
    try {
      return JSON.parse(text) as T
    } catch {
      throw new AgentRequestError(502, 'amphora agent answered no JSON', text.slice(0, 200), url)
    }
  }

  /** One call with retries while the agent is unreachable; throws AgentRequestError on an error status. */
  async #call(ep: AgentEndpoint, method: Method, path: string, body: Body | undefined, o: CallOptions = {}): Promise<{ text: string; url: string }> {
    const url = `${origin(ep, this.#opts.defaultPort)}${path}`
    const attempts = Math.max(1, o.maxRetries ?? this.#opts.maxRetries)
    const interval = o.retryIntervalMs ?? this.#opts.retryIntervalMs
    for (let attempt = 1; ; attempt++) {
      let res: Dispatcher.ResponseData
      try {
        res = await request(url, {
          method, dispatcher: this.#dispatcher, signal: o.signal,
          headers: { 'user-agent': 'octavia-ts amphora client/1.0', ...(body ? { 'content-type': body.type } : {}) },
          body: body?.body,
        })
      } catch (err) {
        if (o.signal?.aborted || !isRetryable(err) || attempt >= attempts) {
          throw new AgentUnreachableError(`amphora agent ${url} unreachable after ${attempt} attempt(s): ${(err as Error).message}`, { cause: err })
        }
        await sleep(interval, undefined, { signal: o.signal })
        continue
      }
      const text = await res.body.text()
      if (res.statusCode < 400) return { text, url }
      const error = agentError(text)
      // NOTE: as Octavia's client, a 404 without an agent body means something else answers there: retry.
      if (res.statusCode === 404 && error === null && attempt < attempts) { await sleep(interval, undefined, { signal: o.signal }); continue }
      throw new AgentRequestError(res.statusCode, error?.message ?? `amphora agent answered ${res.statusCode}`, error?.details ?? (error === null ? text.slice(0, 500) : undefined), url)
    }
  }
}

interface Body { readonly body: string; readonly type: string }

const json = (v: unknown): Body => ({ body: JSON.stringify(v), type: 'application/json' })
const seg = (id: string): string => encodeURIComponent(id)
const amp = (amphoraId: string): string => `/amphorae/${seg(amphoraId)}`
const lb = (amphoraId: string, lbId: string): string => `${amp(amphoraId)}/1.0/loadbalancer/${seg(lbId)}`

function origin(ep: AgentEndpoint, defaultPort: number): string {
  const host = ep.host.includes(':') && !ep.host.startsWith('[') ? `[${ep.host}]` : ep.host
  return `https://${host}:${ep.port ?? defaultPort}`
}

/** The agent's `{message, details?}` body, or null when the answer is not one. */
function agentError(text: string): { message: string; details?: string } | null {
  try {
    const v = JSON.parse(text) as { message?: unknown; details?: unknown }
    if (typeof v.message !== 'string') return null
    return { message: v.message, details: typeof v.details === 'string' ? v.details : undefined }
  } catch {
    return null
  }
}
