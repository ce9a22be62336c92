import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createSocket } from 'node:dgram'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (this file is test/e2e/support/service-process.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const BIN = join(REPO_ROOT, 'bin', 'octavia-ts')
const BUNDLE = join(REPO_ROOT, 'dist', 'main.js')

/** INI sections as `{ section: { option: value } }`. */
export type IniSections = Readonly<Record<string, Readonly<Record<string, string>>>>

/** A real `octavia-ts serve` child process on a temporary configuration. */
export interface ServiceProcess {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly port: number
  /** The Neutron-compatible listener (`[neutron_api]`, on a free port), `http://127.0.0.1:<port>`; null when disabled. */
  readonly neutronUrl: string | null
  /** The temporary directory: config file, state_dir, service log. */
  readonly dir: string
  readonly configFile: string
  /** The SQLite URL or the `[database] connection` given. */
  readonly databaseUrl: string
  readonly pid: number
  /** The service's stderr/stdout so far (JSON log lines). */
  logs(): string
  /** Sends `signal` and waits for the process to exit (SIGKILL after `ms`). */
  stop(signal?: NodeJS.Signals, ms?: number): Promise<void>
  /** Starts the service again on the same config, port and state (after a stop). */
  restart(): Promise<ServiceProcess>
  /** Stops the service if running and removes the temporary directory. */
  dispose(): Promise<void>
}

export interface ServiceOptions {
  /** Extra or overriding INI sections (the defaults: loopback, free port, temp state_dir, file SQLite). */
  readonly sections?: IniSections
  /** Milliseconds to wait for the API to answer `GET /` (default 40000: a loaded 2-core CI machine starts several services at once). */
  readonly readyMs?: number
}

/** A free TCP port on 127.0.0.1 (the kernel picks it; tiny race until the service binds it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

/** A free UDP port on 127.0.0.1 (the kernel picks it; tiny race until the service binds it). */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4')
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    socket.bind(0, '127.0.0.1', () => resolve())
  })
  const port = socket.address().port
  await new Promise<void>(resolve => socket.close(() => resolve()))
  return port
}

/** Renders sections as an INI file (DEFAULT first). */
export function renderIni(sections: IniSections): string {
  const names = Object.keys(sections).sort((a, b) => (a === 'DEFAULT' ? -1 : b === 'DEFAULT' ? 1 : 0))
  return names.map(s => `[${s}]\n${Object.entries(sections[s]).map(([k, v]) => `${k} = ${v}`).join('\n')}\n`).join('\n')
}

/**
 * Throws when dist/main.js is missing; warns on stderr when a source file is
 * newer than it (the service under test would be stale: run `node build.mjs`).
 */
export function checkBuilt(): void {
  if (!existsSync(BUNDLE)) throw new Error('dist/main.js is missing: run `node build.mjs` (or `make build`) first')
  const built = statSync(BUNDLE).mtimeMs
  const newer = (dir: string): string | undefined => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name)
      if (e.isDirectory()) { const n = newer(p); if (n) return n } else if (!e.name.endsWith('.test.ts') && statSync(p).mtimeMs > built) return p
    }
    return undefined
  }
  const stale = newer(join(REPO_ROOT, 'src'))
  if (stale) process.stderr.write(`# warning: ${stale} is newer than dist/main.js; run \`node build.mjs\`\n`)
}

/** Merges option maps section by section (later wins). */
const mergeSections = (...all: IniSections[]): Record<string, Record<string, string>> => {
  const out: Record<string, Record<string, string>> = {}
  for (const s of all) for (const [name, opts] of Object.entries(s)) out[name] = { ...(out[name] ?? {}), ...opts }
  return out
}

/**
 * Starts `bin/octavia-ts serve --config <tmp>/octavia.ini` (the built bundle)
 * on 127.0.0.1 with a free port, a temporary state_dir and a file-backed SQLite
 * database (unless `sections` set `[database] connection`), and resolves once
 * `GET /` answers. Rejects with the service's log when it exits or is not ready.
 */
export async function startService(opts: ServiceOptions = {}): Promise<ServiceProcess> {
  checkBuilt()
  const dir = mkdtempSync(join(tmpdir(), 'octavia-e2e-'))
  const port = await freePort()
  const neutronPort = await freePort()
  const heartbeatPort = await freeUdpPort()
  const agentPort = String(await freePort())
  const stateDir = join(dir, 'state')
  const sections = mergeSections({
    DEFAULT: { state_dir: stateDir },
    // the health manager (run with the amphora provider) on a port of its own, so services never share one
    health_manager: { bind_port: String(heartbeatPort), controller_ip_port_list: `127.0.0.1:${heartbeatPort}` },
    // the noop provider unless a test asks for another (the default, amphora, runs real HAProxies)
    api_settings: {
      bind_host: '127.0.0.1', bind_port: String(port),
      enabled_provider_drivers: 'noop_driver:The no-op driver.', default_provider_driver: 'noop_driver',
    },
    database: { connection: `sqlite:///${join(stateDir, 'octavia.sqlite')}` },
    // never Neutron's default port 9696: services of parallel tests (or a real Neutron) would share it
    neutron_api: { bind_host: '127.0.0.1', bind_port: String(neutronPort) },
    // nor the agent's 9443: two services with the amphora provider would collide (EADDRINUSE)
    amphora_agent: { bind_port: agentPort },
    haproxy_amphora: { bind_port: agentPort },
  }, opts.sections ?? {})
  const configFile = join(dir, 'octavia.ini')
  writeFileSync(configFile, renderIni(sections))
  const neutronUrl = sections.neutron_api.enabled === 'false' ? null : `http://127.0.0.1:${sections.neutron_api.bind_port}`
  return launch({ dir, port, neutronUrl, configFile, databaseUrl: sections.database.connection, readyMs: opts.readyMs ?? 40000 })
}

interface LaunchSpec {
  readonly dir: string
  readonly port: number
  readonly neutronUrl: string | null
  readonly configFile: string
  readonly databaseUrl: string
  readonly readyMs: number
}

/**
 * The services this test process started and has not stopped. A test file
 * that times out is ended by the test runner (SIGTERM) without its `after`
 * hooks: its services are stopped here instead of outliving it.
 */
const running = new Set<ChildProcess>()
const stopRunning = (): void => { for (const c of running) c.kill('SIGTERM') }
process.once('exit', stopRunning)
for (const [sig, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
  process.once(sig, () => { stopRunning(); process.exit(code) })
}

async function launch(spec: LaunchSpec): Promise<ServiceProcess> {
  const logFile = join(spec.dir, 'service.log')
  const log = createWriteStream(logFile, { flags: 'a' })
  const env = { ...process.env }
  for (const k of Object.keys(env)) if (k.startsWith('OCTAVIA_TS')) delete env[k]
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--config', spec.configFile], {
    cwd: spec.dir, env, stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.pipe(log, { end: false })
  child.stderr?.pipe(log, { end: false })
  running.add(child)
  const exited = new Promise<void>(resolve => child.once('exit', () => { running.delete(child); resolve() }))
  const url = `http://127.0.0.1:${spec.port}`
  const logs = () => { try { return readFileSync(logFile, 'utf8') } catch { return '' } }

  const stop = async (signal: NodeJS.Signals = 'SIGTERM', ms = 10000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill(signal)
    const timer = setTimeout(() => child.kill('SIGKILL'), ms)
    await exited
    clearTimeout(timer)
  }
  const service: ServiceProcess = {
    url, port: spec.port, neutronUrl: spec.neutronUrl, dir: spec.dir, configFile: spec.configFile, databaseUrl: spec.databaseUrl,
    pid: child.pid ?? -1, logs, stop,
    restart: async () => { await stop(); return launch(spec) },
    dispose: async () => { await stop(); log.end(); rmSync(spec.dir, { recursive: true, force: true }) },
  }

  // A service that never answered is nobody's to dispose of: its directory goes with the error.
  const failed = async (what: string): Promise<never> => {
    const message = `${what}:\n${logs().slice(-4000)}`
    await service.dispose()
    throw new Error(message)
  }
  const deadline = Date.now() + spec.readyMs
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) return failed(`octavia-ts exited (${child.exitCode ?? child.signalCode}) before answering`)
    if (await answers(url) && (spec.neutronUrl === null || await answers(spec.neutronUrl))) return service
    if (Date.now() > deadline) {
      await stop('SIGKILL')
      return failed(`octavia-ts did not answer on ${url} within ${spec.readyMs} ms`)
    }
    await new Promise(r => setTimeout(r, 50))
  }
}

/** Whether `GET <url>/` answers 2xx within a second (a listener is up). */
async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/`, { signal: AbortSignal.timeout(1000) })
    await res.arrayBuffer()
    return res.ok
  } catch {
    return false // not listening yet
  }
}

/** The log lines at error level or above (pino level ≥ 50) of a service log. */
export const errorLogLines = (logs: string): string[] =>
  logs.split('\n').filter(l => /"level":(5\d|6\d)/.test(l))
