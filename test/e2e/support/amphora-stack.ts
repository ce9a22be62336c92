import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { AgentServer } from '../../../src/agent/agent-server.js'
import { buildApi } from '../../../src/api/app.js'
import { compose } from '../../../src/cmd/compose.js'
import { loadConfig } from '../../../src/common/config/load.js'
import type { Config } from '../../../src/common/config/schema.js'
import { createLogger, silentLogger, type Logger } from '../../../src/common/logging.js'
import type { Runnable } from '../../../src/common/runnable.js'
import type { Database } from '../../../src/db/database.js'
import { BridgeDataPlane } from '../../../src/drivers/network/bridge/bridge-data-plane.js'
import type { AmphoraFlowDeps } from '../../../src/drivers/amphora-flow-deps.js'
import { HealthManager } from '../../../src/health-manager/health-manager.js'
import type { CertificateManager } from '../../../src/model/certificate-manager.js'
import { freshDatabase } from '../../support/databases.js'
import { reserveNetworkNumber } from './network-number.js'
import { freePort } from './service-process.js'

/** Where amphorae run in a stack: namespaces behind a bridge (root), or loopback addresses. */
export type StackMode = 'netns' | 'loopback'

export interface StackReply {
  readonly status: number
  readonly body: any
}

/**
 * The whole amphora stack in this process, as `serve` wires it: API (driven
 * through inject), worker with the amphora provider as default, the agent
 * (HTTPS, mutual TLS from a fresh local CA) managing real HAProxies and
 * sending heartbeats, the health manager receiving them (on a free UDP port;
 * `[health_manager]` defaults otherwise: 1 s heartbeats, 5 s timeout, 1 s
 * checks), and the data plane of `mode`. Each stack declares its
 * own network (netns: 10.213.<n>.0/24 on bridge `octa<n>`; loopback:
 * 127.213.<n>.0/24) so stacks never share addresses.
 */
export interface AmphoraStack {
  readonly mode: StackMode
  readonly config: Config
  readonly database: Database
  readonly stateDir: string
  /** Base directory of the agent's amphora files. */
  readonly agentBase: string
  /** The VIP subnet's id (for `vip_subnet_id`). */
  readonly subnetId: string
  /** An address on the host that amphorae reach (backends listen there): the bridge gateway, or 127.0.0.1. */
  readonly backendHost: string
  /** The bridge of the stack's network (netns), or null. */
  readonly bridge: string | null
  readonly agent: AgentServer
  readonly amphora: AmphoraFlowDeps
  /** The stack's health manager (operating statuses, statistics, failovers come from its heartbeats). */
  readonly healthManager: HealthManager
  /** Stops the agent and starts a new one on the same state (HAProxies and keepalived keep running meanwhile). */
  restartAgent(): Promise<void>
  /** Stops the health manager (heartbeats go unheard until startHealthManager). */
  stopHealthManager(): Promise<void>
  /** Starts a new health manager on the same UDP port. */
  startHealthManager(): Promise<void>
  request(method: string, url: string, body?: unknown): Promise<StackReply>
  /** Polls `GET url` until provisioning_status is `want` (throws on ERROR or after `ms`). */
  waitStatus(url: string, want?: string, ms?: number): Promise<any>
  /** Polls until `check(body)` holds. */
  waitUntil(url: string, check: (body: any) => boolean, ms?: number): Promise<any>
  close(): Promise<void>
}

export interface StackOptions {
  readonly mode: StackMode
  /** Log to stderr at this level (default: silent; LOG_LEVEL=debug shows everything). */
  readonly logLevel?: string
  /** The certificate manager of API and worker; default: the configuration's (`[certificates] cert_manager`). */
  readonly certificates?: CertificateManager
}

export { reserveNetworkNumber } from './network-number.js'

/** Starts a stack on a network number of its own (reserveNetworkNumber). */
export async function startAmphoraStack(opts: StackOptions): Promise<AmphoraStack> {
  const reservation = reserveNetworkNumber()
  const n = reservation.n
  const stateDir = mkdtempSync(join(tmpdir(), 'oamp-'))
  const agentPort = await freePort()
  const heartbeatKey = randomBytes(16).toString('hex')
  const net = `network:e2e${n}`
  const env: NodeJS.ProcessEnv = {
    OCTAVIA_TS__DEFAULT__state_dir: stateDir,
    OCTAVIA_TS__controller_worker__compute_driver: opts.mode,
    OCTAVIA_TS__controller_worker__job_poll_interval_ms: '100',
    OCTAVIA_TS__api_settings__enabled_provider_drivers: 'amphora:The Octavia Amphora driver.,octavia:Deprecated alias of the Octavia Amphora driver.,noop_driver:The no-op driver.',
    OCTAVIA_TS__api_settings__default_provider_driver: 'amphora',
    OCTAVIA_TS__amphora_agent__bind_host: '127.0.0.1',
    OCTAVIA_TS__amphora_agent__bind_port: String(agentPort),
    OCTAVIA_TS__haproxy_amphora__bind_port: String(agentPort),
    OCTAVIA_TS__haproxy_amphora__connection_max_retries: '3',
    OCTAVIA_TS__haproxy_amphora__connection_retry_interval: '0.2',
    OCTAVIA_TS__health_manager__heartbeat_key: heartbeatKey,
    [`OCTAVIA_TS__${net}__network`]: `e2e${n}`,
    [`OCTAVIA_TS__${net}__subnet_name`]: `e2e${n}-subnet`,
    [`OCTAVIA_TS__${net}__cidr`]: opts.mode === 'netns' ? `10.213.${n}.0/24` : `127.213.${n}.0/24`,
    ...(opts.mode === 'netns' ? { [`OCTAVIA_TS__${net}__bridge`]: `octa${n}` } : {}),
  }
  const log: Logger = opts.logLevel || process.env.LOG_LEVEL ? createLogger({ level: opts.logLevel ?? process.env.LOG_LEVEL }) : silentLogger()
  const db = await freshDatabase('sqlite')
  const abort = new AbortController()
  const c = compose({ config: loadConfig(undefined, env), database: db.database, log, certificates: opts.certificates })
  // The health manager first, on a free UDP port that the agent then sends its heartbeats to.
  const newHealthManager = (port: number) => c.healthManager({ ...c.config.health_manager, bind_port: port })
  let healthManager = await newHealthManager(0)
  let hmAbort = new AbortController()
  await healthManager.start(hmAbort.signal)
  const hmPort = healthManager.address.port
  env.OCTAVIA_TS__health_manager__controller_ip_port_list = `127.0.0.1:${hmPort}`
  const agentConfig = loadConfig(undefined, env)
  const config = agentConfig
  const subnet = c.network.listSubnets()[0]
  const app: FastifyInstance = buildApi(c.apiDeps)
  await app.ready()
  const parts: Runnable[] = []
  const plane = c.dataPlane()
  const hostSetup = c.hostSetup()
  await hostSetup.start(abort.signal)
  parts.push(hostSetup)
  let agent = c.agent(agentConfig)
  let agentAbort = new AbortController()
  await agent.start(agentAbort.signal)
  const amphora = c.amphora
  const worker = c.worker()
  const workerAbort = new AbortController()
  await worker.start(workerAbort.signal)

  const request = async (method: string, url: string, body?: unknown): Promise<StackReply> => {
    const res = await app.inject({
      method: method as 'GET', url, headers: { 'content-type': 'application/json' },
      payload: body === undefined ? undefined : JSON.stringify(body),
    })
    let parsed: unknown = res.body
    try { parsed = res.body === '' ? null : JSON.parse(res.body) } catch { /* not JSON */ }
    return { status: res.statusCode, body: parsed }
  }
  const waitUntil = async (url: string, check: (body: any) => boolean, ms = 20000): Promise<any> => {
    const deadline = Date.now() + ms
    let last: unknown
    for (;;) {
      const r = await request('GET', url)
      last = r.body
      if (check(r.body)) return r.body
      if (Date.now() > deadline) throw new Error(`timed out waiting on ${url}; last ${JSON.stringify(last)}`)
      await new Promise(res => setTimeout(res, 20))
    }
  }
  const waitStatus = async (url: string, want = 'ACTIVE', ms = 20000): Promise<any> => {
    const body = await waitUntil(url, b => {
      const status = (b && typeof b === 'object' ? Object.values(b)[0] as any : undefined)?.provisioning_status
      if (status === 'ERROR' && want !== 'ERROR') throw new Error(`${url} went ERROR`)
      return status === want
    }, ms)
    return Object.values(body)[0]
  }

  return {
    mode: opts.mode, config, database: db.database, stateDir, agentBase: agent.host.base,
    subnetId: subnet.id, backendHost: opts.mode === 'netns' ? subnet.gatewayIp! : '127.0.0.1',
    bridge: opts.mode === 'netns' ? `octa${n}` : null, amphora: amphora(),
    get agent() { return agent },
    get healthManager() { return healthManager },
    restartAgent: async () => {
      agentAbort.abort()
      await agent.stopped
      agent = c.agent(agentConfig)
      agentAbort = new AbortController()
      await agent.start(agentAbort.signal)
    },
    stopHealthManager: async () => {
      hmAbort.abort()
      await healthManager.stopped
    },
    startHealthManager: async () => {
      healthManager = await newHealthManager(hmPort)
      hmAbort = new AbortController()
      await healthManager.start(hmAbort.signal)
    },
    request, waitStatus, waitUntil,
    close: async () => {
      // Nothing may build amphorae any more (a failover the health manager started, a flow in flight)...
      hmAbort.abort()
      workerAbort.abort()
      await Promise.all([healthManager.stopped, worker.stopped])
      // ...then leave nothing behind even when a test failed half-way: amphorae off the agent, instances deleted.
      const amps = await db.database.db.selectFrom('amphora').select(['id', 'compute_id']).execute()
      for (const a of amps) {
        await agent.host.unregister(a.id).catch(() => undefined)
        // A build aborted before it recorded its compute id may have left the namespace all the same.
        const computeId = a.compute_id ?? (opts.mode === 'netns' ? `amp-${a.id}` : null)
        if (computeId) await plane.compute.delete(computeId, new AbortController().signal).catch(() => undefined)
      }
      abort.abort()
      agentAbort.abort()
      hmAbort.abort()
      await Promise.all([...parts, agent, healthManager].map(p => p.stopped))
      await app.close()
      if (plane.network instanceof BridgeDataPlane) await plane.network.removeUnusedBridges().catch(() => undefined)
      await db.drop()
      rmSync(stateDir, { recursive: true, force: true })
      reservation.release()
    },
  }
}
