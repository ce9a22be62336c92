/**
 * The amphora agent (DESIGN.md §5): one process per host serving the agent
 * API of every amphora on it (drivers/amphora/agent-api.ts) over HTTPS with
 * mutual TLS: only clients with a certificate from the configured CA get an
 * answer, and sends every amphora's heartbeats to the health managers.
 * Stopping the agent leaves every HAProxy running; the next start re-adopts
 * them.
 */
import type { Server as TlsServer } from 'node:tls'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Logger } from '../common/logging.js'
import type { Runnable } from '../common/runnable.js'
import type { AgentTlsMaterial } from './agent-tls.js'
import { heartbeatStateFile } from '../amphora-api/agent-paths.js'
import { AmphoraHost } from './amphora-host.js'
import { HeartbeatSender } from './heartbeat/heartbeat-sender.js'
import type { KeepalivedSettings } from './keepalived/amphora-keepalived.js'
import type { HaproxySettings } from './lb-haproxy.js'
import { registerAmphoraRoutes } from './routes/amphora-routes.js'
import { registerCertificateRoutes } from './routes/certificate-routes.js'
import { installErrorHandler } from './routes/error-handler.js'
import { registerInfoRoutes } from './routes/info-routes.js'
import { registerLoadBalancerRoutes } from './routes/loadbalancer-routes.js'
import { registerStatsRoutes } from './routes/stats-routes.js'
import { registerVrrpRoutes } from './routes/vrrp-routes.js'
import { ServerCertificate } from './server-certificate.js'

export interface AgentServerOptions {
  readonly bindHost: string
  /** 0 picks a free port (tests); see `address`. */
  readonly bindPort: number
  /** Base directory of the amphorae's files (agentBaseDir). */
  readonly baseDir: string
  readonly haproxy: HaproxySettings
  /** keepalived of ACTIVE_STANDBY amphorae (netns mode). */
  readonly keepalived: KeepalivedSettings
  /** Loaded when the agent starts; `PUT /1.0/certificate` replaces the certificate later (server-certificate.ts). */
  readonly tls: () => Promise<AgentTlsMaterial>
  readonly minTlsVersion: 'TLSv1.2' | 'TLSv1.3'
  /** Longest time a request may take to arrive. */
  readonly requestTimeoutMs: number
  /**
   * How often dead HAProxies and vanished namespaces are looked for
   * (AmphoraHost.supervise); 0 never.
   */
  readonly watchdogIntervalMs: number
  /** Heartbeats to the health managers; absent or no destinations: none are sent. */
  readonly heartbeat?: AgentHeartbeatOptions
  readonly log: Logger
}

/** What the agent's heartbeat sender needs (`[health_manager]`). */
export interface AgentHeartbeatOptions {
  readonly intervalMs: number
  /** The HMAC key, loaded when the agent starts. */
  readonly key: () => Promise<string>
  /** `ip:port` entries of controller_ip_port_list; every heartbeat goes to each. */
  readonly destinations: readonly string[]
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
    this.host = new AmphoraHost(opts.baseDir, opts.haproxy, opts.keepalived, opts.log)
  }

  /** The bound address (after start). */
  get address(): { host: string; port: number } {
    const a = this.#app?.server.address()
    if (!a || typeof a === 'string') throw new Error('amphora agent is not listening')
    return { host: a.address, port: a.port }
  }

  /**
   * Re-adopts the running HAProxies, then listens and sends heartbeats until
   * `signal` aborts. Throws on a bad controller address before listening.
   */
  async start(signal: AbortSignal): Promise<void> {
    const o = this.#opts
    const tls = await o.tls()
    const sender = await this.#heartbeatSender()
    await this.host.recover()
    const app = this.#build(tls)
    this.#app = app
    await app.listen({ host: o.bindHost, port: o.bindPort })
    o.log.info({ host: o.bindHost, port: this.address.port, base: o.baseDir, certExpires: tls.info.notAfter }, 'amphora agent listening')
    const watchdog = o.watchdogIntervalMs > 0 ? this.#watch(o.watchdogIntervalMs) : null
    await sender?.start(signal)
    const close = (): void => {
      if (watchdog !== null) clearInterval(watchdog)
      this.host.stopWatching()
      void Promise.all([app.close(), sender?.stopped]).finally(() => this.#resolveStopped())
    }
    if (signal.aborted) close()
    else signal.addEventListener('abort', close, { once: true })
  }

  async #heartbeatSender(): Promise<HeartbeatSender | null> {
    const o = this.#opts
    if (o.heartbeat === undefined || o.heartbeat.destinations.length === 0) return null
    return new HeartbeatSender(this.host, {
      intervalMs: o.heartbeat.intervalMs, key: await o.heartbeat.key(), destinations: o.heartbeat.destinations,
      stateFile: heartbeatStateFile(o.baseDir), log: o.log.child({ component: 'heartbeat-sender' }),
    })
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

  #build(tls: AgentTlsMaterial): FastifyInstance {
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
    registerInfoRoutes(app, o.haproxy.haproxyCmd, o.keepalived.keepalivedCmd)
    const server = app.server as TlsServer
    registerCertificateRoutes(app, new ServerCertificate(tls,
      (pair) => server.setSecureContext({ cert: pair.cert, key: pair.key, ca: tls.ca, minVersion: o.minTlsVersion }), o.log))
    registerAmphoraRoutes(app, this.host)
    registerLoadBalancerRoutes(app, this.host)
    registerStatsRoutes(app, this.host, o.log)
    registerVrrpRoutes(app, this.host)
    return app
  }
}
