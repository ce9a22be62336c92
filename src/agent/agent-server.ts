/**
 * The amphora agent (DESIGN.md §5): one process per host serving the agent
 * API of every amphora on it (drivers/amphora/agent-api.ts) over HTTPS with
 * mutual TLS: only clients with a certificate from the configured CA get an
 * answer. Stopping the agent leaves every HAProxy running; the next start
 * re-adopts them.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Logger } from '../common/logging.js'
import type { Runnable } from '../common/runnable.js'
import type { TlsMaterial } from '../pki/tls-material.js'
import { AmphoraHost } from './amphora-host.js'
import type { HaproxySettings } from './lb-haproxy.js'
import { registerAmphoraRoutes } from './routes/amphora-routes.js'
import { installErrorHandler } from './routes/error-handler.js'
import { registerInfoRoutes } from './routes/info-routes.js'
import { registerLoadBalancerRoutes } from './routes/loadbalancer-routes.js'
import { registerStatsRoutes } from './routes/stats-routes.js'

export interface AgentServerOptions {
  readonly bindHost: string
  /** 0 picks a free port (tests); see `address`. */
  readonly bindPort: number
  /** Base directory of the amphorae's files (agentBaseDir). */
  readonly baseDir: string
  readonly haproxy: HaproxySettings
  /** Loaded when the agent starts. */
  readonly tls: () => Promise<TlsMaterial>
  readonly minTlsVersion: 'TLSv1.2' | 'TLSv1.3'
  /** Longest time a request may take to arrive. */
  readonly requestTimeoutMs: number
  /** How often dead HAProxies are looked for and restarted; 0 never. */
  readonly watchdogIntervalMs: number
  readonly log: Logger
}

export class AgentServer implements Runnable {
  readonly name = 'amphora-agent'
  readonly #opts: AgentServerOptions
  readonly host: AmphoraHost
  #app: FastifyInstance | null = null
  #resolveStopped!: () => void
  readonly stopped = new Promise<void>((r) => { this.#resolveStopped = r })

  constructor(opts: AgentServerOptions) {
    this.#opts = Object.freeze({ ...opts })
    this.host = new AmphoraHost(opts.baseDir, opts.haproxy, opts.log)
  }

  /** The bound address (after start). */
  get address(): { host: string; port: number } {
    const a = this.#app?.server.address()
    if (!a || typeof a === 'string') throw new Error('amphora agent is not listening')
    return { host: a.address, port: a.port }
  }

  /** Re-adopts the running HAProxies, then listens until `signal` aborts. */
  async start(signal: AbortSignal): Promise<void> {
    const o = this.#opts
    const tls = await o.tls()
    await this.host.recover()
    const app = this.#build(tls)
    this.#app = app
    await app.listen({ host: o.bindHost, port: o.bindPort })
    o.log.info({ host: o.bindHost, port: this.address.port, base: o.baseDir, certExpires: tls.info.notAfter }, 'amphora agent listening')
    const watchdog = o.watchdogIntervalMs > 0 ? this.#watch(o.watchdogIntervalMs) : null
    const close = (): void => {
      if (watchdog !== null) clearInterval(watchdog)
      void app.close().finally(() => this.#resolveStopped())
    }
    if (signal.aborted) close()
    else signal.addEventListener('abort', close, { once: true })
  }

  #watch(ms: number): NodeJS.Timeout {
    let busy = false
    const timer = setInterval(() => {
      if (busy) return
      busy = true
      void this.host.supervise()
        .catch((err: unknown) => this.#opts.log.error({ err }, 'haproxy watchdog failed'))
        .finally(() => { busy = false })
    }, ms)
    timer.unref()
    return timer
  }

  #build(tls: TlsMaterial): FastifyInstance {
    const o = this.#opts
    const app = Fastify({
      https: { key: tls.key, cert: tls.cert, ca: tls.ca, requestCert: true, rejectUnauthorized: true, minVersion: o.minTlsVersion },
      loggerInstance: o.log as FastifyBaseLogger,
      logController: new LogController({ disableRequestLogging: true }),
      ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false } },
      bodyLimit: 16 * 1024 * 1024,
      requestTimeout: o.requestTimeoutMs,
    })
    app.addContentTypeParser(['application/octet-stream', 'text/x-haproxy-config'], { parseAs: 'string' }, (_req, body, done) => done(null, body))
    installErrorHandler(app, o.log)
    registerInfoRoutes(app, o.haproxy.haproxyCmd)
    registerAmphoraRoutes(app, this.host)
    registerLoadBalancerRoutes(app, this.host)
    registerStatsRoutes(app, this.host, o.log)
    return app
  }
}
