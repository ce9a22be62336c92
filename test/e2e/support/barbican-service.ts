import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { KeystoneAdmin } from '../../support/keystone-admin.js'
import { freeLoopbackPort } from '../../support/keystone.js'

// A real, throw-away Barbican 15 from Debian's `barbican-api` package, served
// by uWSGI on a free loopback port with its own configuration, SQLite
// database and simple_crypto key in a temporary directory, authenticating
// with keystonemiddleware against a test Keystone in whose catalog it is
// registered as `key-manager`. Started and stopped by PID: no systemd, no
// init script, nothing on the default port 9311.
//
// NOTE: Barbican reads its configuration from oslo.config's default places
// (its WSGI script takes no arguments); the first of them is
// ~/.barbican/barbican.conf, so HOME is the temporary directory. The paste
// pipeline is the package's /etc/barbican/barbican-api-paste.ini.

const UWSGI = '/usr/bin/uwsgi'
const WSGI_SCRIPT = '/usr/bin/barbican-wsgi-api'
const PASTE_INI = '/etc/barbican/barbican-api-paste.ini'
const PYTHON_PLUGIN = '/usr/lib/uwsgi/plugins/python3_plugin.so'

/** True when Debian's barbican-api package and uWSGI's Python plugin are installed. */
export const haveBarbican = (): boolean => [UWSGI, WSGI_SCRIPT, PASTE_INI, PYTHON_PLUGIN].every((p) => existsSync(p))

/** A running throw-away Barbican. */
export interface BarbicanServer {
  /** `http://127.0.0.1:<port>` (the API is under `/v1`; this URL is the catalog's). */
  readonly url: string
  /** The temporary directory: configuration, database, logs. */
  readonly dir: string
  /** Milliseconds from spawning uWSGI to the first answer. */
  readonly startMs: number
  /** PID of the uWSGI master, or null once stopped. */
  pid(): number | null
  /** uWSGI's and Barbican's logs so far. */
  logs(): string
  /** Stops it (SIGTERM, SIGKILL after 10 s) and removes the directory. */
  dispose(): Promise<void>
}

const barbicanConf = (dir: string, url: string, keystoneUrl: string, username: string, password: string): string => `[DEFAULT]
host_href = ${url}
sql_connection = sqlite:///${join(dir, 'barbican.db')}
db_auto_create = True
log_file = ${join(dir, 'barbican.log')}
use_stderr = false
[secretstore]
namespace = barbican.secretstore.plugin
enabled_secretstore_plugins = store_crypto
[crypto]
namespace = barbican.crypto.plugin
enabled_crypto_plugins = simple_crypto
[simple_crypto_plugin]
kek = ${randomBytes(32).toString('base64')}
[keystone_authtoken]
www_authenticate_uri = ${keystoneUrl}/v3
auth_url = ${keystoneUrl}/v3
auth_type = password
username = ${username}
password = ${password}
project_name = service
user_domain_name = Default
project_domain_name = Default
region_name = RegionOne
[keystone_notifications]
enable = False
[queue]
enable = False
`

/**
 * Creates Barbican's service user (project `service`, role `service`),
 * registers `key-manager` at a free loopback port, writes the configuration
 * and starts uWSGI; resolves once `GET /` answers (a few seconds).
 */
export async function startBarbican(keystoneUrl: string, admin: KeystoneAdmin): Promise<BarbicanServer> {
  const port = await freeLoopbackPort()
  const url = `http://127.0.0.1:${port}`
  const password = `bbc-${randomBytes(9).toString('base64url')}`
  const serviceProject = await admin.createProject('service')
  const username = `barbican-${port}`
  const userId = await admin.createUser(username, password, serviceProject)
  await admin.grant(serviceProject, userId, 'service')
  await admin.registerService('key-manager', 'barbican', url)

  const dir = mkdtempSync(join(tmpdir(), 'barbican-e2e-'))
  mkdirSync(join(dir, '.barbican'))
  writeFileSync(join(dir, '.barbican', 'barbican.conf'), barbicanConf(dir, url, keystoneUrl, username, password), { mode: 0o600 })
  const logs = (): string => ['uwsgi.log', 'barbican.log'].map((f) => {
    try { return readFileSync(join(dir, f), 'utf8') } catch { return '' }
  }).join('\n')

  const fd = openSync(join(dir, 'uwsgi.log'), 'a')
  const child: ChildProcess = spawn(UWSGI, [
    '--plugins', 'python3', '--http-socket', `127.0.0.1:${port}`, '--wsgi-file', WSGI_SCRIPT,
    '--master', '--processes', '1', '--threads', '4', '--lazy-apps', '--need-app', '--die-on-term', '--no-orphans',
    '--disable-logging', '--buffer-size', '65535', '--skip-atexit', '--skip-atexit-teardown',
    // NOTE: uWSGI's plain http-socket does not keep connections alive; saying so stops clients from reusing them.
    '--add-header', 'Connection: close',
  ], { cwd: dir, env: { ...process.env, HOME: dir }, stdio: ['ignore', fd, fd] })
  closeSync(fd)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  }
  const dispose = async (): Promise<void> => {
    await stop()
    rmSync(dir, { recursive: true, force: true })
  }
  const started = Date.now()
  try {
    await waitAnswering(url, child, logs)
  } catch (err) {
    await dispose()
    throw err
  }
  return { url, dir, startMs: Date.now() - started, logs, dispose, pid: () => (child.exitCode === null && child.signalCode === null ? child.pid ?? null : null) }
}

/** Polls `GET <url>/` until Barbican answers below 500; throws with the logs when uWSGI exits or 90 s pass. */
async function waitAnswering(url: string, child: ChildProcess, logs: () => string): Promise<void> {
  const deadline = Date.now() + 90_000
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`barbican (uwsgi) exited before answering:\n${logs().slice(-4000)}`)
    try {
      const res = await fetch(`${url}/`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(5000) })
      await res.arrayBuffer()
      if (res.status < 500) return
    } catch { /* not yet */ }
    if (Date.now() > deadline) throw new Error(`barbican did not answer on ${url} within 90 s:\n${logs().slice(-4000)}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}
