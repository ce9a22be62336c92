import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// A real, throw-away Keystone from Debian's `keystone` package: keystone-manage
// prepares a temporary config dir with its own SQLite database and fernet keys,
// and uWSGI (uwsgi-plugin-python3, a dependency of the package) serves
// keystone-wsgi-public on 127.0.0.1. Started and stopped by PID: no systemd,
// no init script, nothing on the default port 5000.

const KEYSTONE_MANAGE = '/usr/bin/keystone-manage'
const UWSGI = '/usr/bin/uwsgi'
const WSGI_SCRIPT = '/usr/bin/keystone-wsgi-public'
const PYTHON_PLUGIN = '/usr/lib/uwsgi/plugins/python3_plugin.so'

/** True when Debian's keystone package (and the uWSGI Python plugin it pulls in) is installed. */
export const haveKeystone = (): boolean => [KEYSTONE_MANAGE, UWSGI, WSGI_SCRIPT, PYTHON_PLUGIN].every(p => existsSync(p))

/** A running throw-away Keystone. */
export interface KeystoneServer {
  /** `http://127.0.0.1:<port>` (the v3 API is under `/v3`). */
  readonly url: string
  readonly port: number
  /** The temporary directory: keystone.conf, keystone.db, keys, logs. */
  readonly dir: string
  /** Password of the bootstrap user `admin` (project `admin`, domain Default, role admin). */
  readonly adminPassword: string
  /** PID of the uWSGI master, or null while stopped. */
  pid(): number | null
  /** The uWSGI and Keystone logs so far. */
  logs(): string
  /** SIGTERM to the uWSGI master (SIGKILL after `ms`), and waits for it to exit. */
  stop(ms?: number): Promise<void>
  /** Starts uWSGI again on the same directory and port (after stop). */
  start(): Promise<void>
  /** Stops it and removes the directory. */
  dispose(): Promise<void>
}

export interface KeystoneOptions {
  /** `[token] expiration` in seconds (default 3600). */
  readonly tokenExpiration?: number
}

/** A free TCP port on 127.0.0.1 (tiny race until the server binds it). */
export async function freeLoopbackPort(): Promise<number> {
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

const keystoneConf = (dir: string, opts: KeystoneOptions): string => `[DEFAULT]
log_file = ${join(dir, 'keystone.log')}
use_stderr = false
[database]
connection = sqlite:///${join(dir, 'keystone.db')}
[fernet_tokens]
key_repository = ${join(dir, 'fernet-keys')}
[fernet_receipts]
key_repository = ${join(dir, 'fernet-keys')}
[credential]
key_repository = ${join(dir, 'credential-keys')}
[token]
expiration = ${opts.tokenExpiration ?? 3600}
[identity]
# NOTE: bcrypt's minimum cost: every password authentication is ~100x cheaper.
password_hash_rounds = 4
[cache]
# NOTE: one uWSGI process: its in-memory cache sees every change (grants, revocations).
enabled = true
backend = dogpile.cache.memory
`

/** Runs `keystone-manage --config-file <conf> <args>`; rejects with its output on failure. */
function keystoneManage(conf: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(KEYSTONE_MANAGE, ['--config-file', conf, ...args], { env, timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`keystone-manage ${args[0]} failed: ${err.message}\n${stderr.slice(-3000)}\n${stdout.slice(-1000)}`))
      else resolve()
    })
  })
}

/**
 * Prepares and starts a Keystone on a free loopback port: db_sync + bootstrap
 * (user `admin` with a random password, project `admin`, region `RegionOne`,
 * the identity endpoints), fernet and credential keys; resolves once
 * `GET /v3` answers 200 (about 5–10 s on this machine).
 */
export async function startKeystone(opts: KeystoneOptions = {}): Promise<KeystoneServer> {
  const dir = mkdtempSync(join(tmpdir(), 'keystone-e2e-'))
  const port = await freeLoopbackPort()
  const url = `http://127.0.0.1:${port}`
  const adminPassword = `adm-${Math.random().toString(36).slice(2)}`
  const conf = join(dir, 'keystone.conf')
  writeFileSync(conf, keystoneConf(dir, opts))
  const asRoot = ['--keystone-user', 'root', '--keystone-group', 'root']
  try {
    await Promise.all([
      keystoneManage(conf, ['db_sync']).then(() => keystoneManage(conf, [
        'bootstrap', '--bootstrap-password', adminPassword, '--bootstrap-region-id', 'RegionOne',
        '--bootstrap-admin-url', `${url}/v3`, '--bootstrap-internal-url', `${url}/v3`, '--bootstrap-public-url', `${url}/v3`,
      ])),
      keystoneManage(conf, ['fernet_setup', ...asRoot]),
      keystoneManage(conf, ['credential_setup', ...asRoot]),
    ])
  } catch (err) {
    rmSync(dir, { recursive: true, force: true })
    throw err
  }

  let child: ChildProcess | null = null
  let exited: Promise<void> = Promise.resolve()
  const uwsgiLog = join(dir, 'uwsgi.log')
  const logs = () => ['uwsgi.log', 'keystone.log'].map(f => {
    try { return readFileSync(join(dir, f), 'utf8') } catch { return '' }
  }).join('\n')

  const start = async (): Promise<void> => {
    const fd = openSync(uwsgiLog, 'a')
    child = spawn(UWSGI, [
      '--plugins', 'python3', '--http-socket', `127.0.0.1:${port}`, '--wsgi-file', WSGI_SCRIPT,
      '--master', '--processes', '1', '--threads', '8', '--lazy-apps', '--need-app', '--die-on-term', '--no-orphans',
      '--disable-logging', '--buffer-size', '65535', '--skip-atexit', '--skip-atexit-teardown',
      // NOTE: uWSGI's plain http-socket does not keep connections alive; saying so stops clients from reusing them.
      '--add-header', 'Connection: close',
    ], { cwd: dir, env: { ...process.env, OS_KEYSTONE_CONFIG_FILES: conf }, stdio: ['ignore', fd, fd] })
    closeSync(fd)
    const proc = child
    exited = new Promise<void>(resolve => proc.once('exit', () => resolve()))
    const deadline = Date.now() + 60_000
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`keystone (uwsgi) exited before answering:\n${logs().slice(-4000)}`)
      try {
        const res = await fetch(`${url}/v3`, { signal: AbortSignal.timeout(5000) })
        await res.arrayBuffer()
        if (res.status === 200) return
      } catch { /* not yet */ }
      if (Date.now() > deadline) {
        await stop()
        throw new Error(`keystone did not answer on ${url}/v3 within 60 s:\n${logs().slice(-4000)}`)
      }
      await new Promise(r => setTimeout(r, 100))
    }
  }
  const stop = async (ms = 10_000): Promise<void> => {
    const proc = child
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) { child = null; return }
    proc.kill('SIGTERM')
    const timer = setTimeout(() => proc.kill('SIGKILL'), ms)
    await exited
    clearTimeout(timer)
    child = null
  }
  try {
    await start()
  } catch (err) {
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
  return {
    url, port, dir, adminPassword, logs, stop, start,
    pid: () => child?.pid ?? null,
    dispose: async () => {
      await stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
