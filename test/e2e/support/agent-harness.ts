/**
 * Test support for the amphora agent: a real agent (HTTPS + mutual TLS) on
 * 127.0.0.1 port 0 over a throwaway state directory, the controller's real
 * client, tiny HTTP backends, and small HAProxy configs in the renderer's
 * naming (frontend = listener id, backend = `<pool>:<listener>`).
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { createServer as createNetServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { agentBaseDir, haproxyRuntimePaths } from '../../../src/amphora-api/agent-paths.js'
import type { AgentServer } from '../../../src/agent/agent-server.js'
import { createAmphoraAgent } from '../../../src/agent/create-agent.js'
import { loadConfig } from '../../../src/common/config/load.js'
import type { Config } from '../../../src/common/config/schema.js'
import { silentLogger, type Logger } from '../../../src/common/logging.js'
import type { AgentEndpoint } from '../../../src/drivers/amphora/amphora-driver.js'
import { AgentClient, agentClientOptions } from '../../../src/drivers/amphora/rest/agent-client.js'
import { controllerClientTls } from '../../../src/drivers/amphora/rest/client-tls.js'

export interface AgentHarness {
  readonly stateDir: string
  readonly config: Config
  readonly base: string
  agent: AgentServer
  readonly client: AgentClient
  endpoint: AgentEndpoint
  /** Stops the agent (HAProxies keep running), runs `meanwhile`, and starts a new one on the same state. */
  restartAgent(meanwhile?: () => Promise<void>): Promise<void>
  /** Deletes every amphora created through `amphora()`, stops the agent, removes the state directory. */
  close(): Promise<void>
  /** Registers a new amphora (loopback mode, no netns) and returns its id. */
  amphora(netns?: string | null): Promise<string>
}

/** Writes an INI-free configuration through environment-style overrides. */
export function agentConfig(stateDir: string, extra: Record<string, string> = {}): Config {
  return loadConfig(undefined, {
    OCTAVIA_TS__DEFAULT__state_dir: stateDir,
    OCTAVIA_TS__amphora_agent__bind_port: '0',
    OCTAVIA_TS__amphora_agent__haproxy_stop_timeout: '2',
    OCTAVIA_TS__haproxy_amphora__connection_max_retries: '3',
    OCTAVIA_TS__haproxy_amphora__connection_retry_interval: '0.2',
    ...extra,
  })
}

/** Starts an agent (logging to `log`) and a client on a fresh state directory. */
export async function startAgentHarness(extra: Record<string, string> = {}, log: Logger = silentLogger()): Promise<AgentHarness> {
  const stateDir = await mkdtemp(join(tmpdir(), 'octavia-agent-'))
  const config = agentConfig(stateDir, extra)
  const client = new AgentClient(agentClientOptions(config.haproxy_amphora, await controllerClientTls(config)))
  const amphorae: string[] = []
  let abort = new AbortController()
  const boot = async (): Promise<AgentServer> => {
    const agent = createAmphoraAgent(config, log)
    await agent.start(abort.signal)
    return agent
  }
  const agent = await boot()
  const h: AgentHarness = {
    stateDir, config, client, agent,
    base: agentBaseDir(config.haproxy_amphora.base_path, config.DEFAULT.state_dir),
    endpoint: { host: '127.0.0.1', port: agent.address.port },
    async restartAgent(meanwhile) {
      abort.abort()
      await h.agent.stopped
      await meanwhile?.()
      abort = new AbortController()
      h.agent = await boot()
      h.endpoint = { host: '127.0.0.1', port: h.agent.address.port }
    },
    async amphora(netns = null) {
      const id = randomUUID()
      amphorae.push(id)
      await client.registerAmphora(h.endpoint, id, { netns })
      return id
    },
    async close() {
      for (const id of amphorae) await client.deleteAmphora(h.endpoint, id).catch(() => undefined)
      await client.close()
      abort.abort()
      await h.agent.stopped
      await rm(stateDir, { recursive: true, force: true })
    },
  }
  return h
}

/** A free TCP port on `host` (bound then released). */
export async function freePort(host: string): Promise<number> {
  const srv = createNetServer()
  await new Promise<void>((resolve, reject) => srv.listen(0, host, resolve).once('error', reject))
  const port = (srv.address() as { port: number }).port
  await new Promise<void>((resolve) => srv.close(() => resolve()))
  return port
}

/** A loopback address of its own for a test (127.61.x.y). */
export function testAddress(): string {
  return `127.61.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`
}

export interface Backend {
  readonly address: string
  readonly port: number
  readonly hits: () => number
  close(): Promise<void>
}

/** An HTTP server answering `name` to every request. */
export async function startBackend(name: string, address = '127.0.0.1'): Promise<Backend> {
  let hits = 0
  const server: Server = createServer((_req, res) => {
    hits++
    res.writeHead(200, { 'content-type': 'text/plain' }).end(name)
  })
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve) => server.listen(0, address, resolve))
  return {
    address,
    port: (server.address() as { port: number }).port,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }),
  }
}

export interface TestListener {
  readonly listenerId: string
  readonly poolId: string
  readonly bind: string
  readonly servers: readonly { readonly id: string; readonly address: string; readonly port: number; readonly weight?: number }[]
}

/** A small HAProxy 2.6 config with the agent's socket paths, as the renderer lays it out. */
export function testConfig(base: string, amphoraId: string, lbId: string, listeners: readonly TestListener[]): string {
  const paths = haproxyRuntimePaths(base, amphoraId, lbId)
  const lines = [
    'global', '    nbthread 1',
    `    stats socket ${paths.statsSocketPath} mode 600 level admin expose-fd listeners`,
    `    server-state-file ${paths.serverStateFilePath}`, '    maxconn 200',
    'defaults', '    retries 3', '    option http-keep-alive',
    '    timeout connect 2s', '    timeout client 10s', '    timeout server 10s',
  ]
  for (const l of listeners) {
    const backend = `${l.poolId}:${l.listenerId}`
    lines.push(`frontend ${l.listenerId}`, '    mode http', `    bind ${l.bind}`, '    maxconn 100', `    default_backend ${backend}`)
    lines.push(`backend ${backend}`, '    mode http', '    balance roundrobin', '    load-server-state-from-file global')
    for (const s of l.servers) lines.push(`    server ${s.id} ${s.address}:${s.port} weight ${s.weight ?? 1}`)
  }
  return `${lines.join('\n')}\n`
}
