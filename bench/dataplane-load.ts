// The load generator of bench/dataplane.ts: Debian's `wrk` when it is there
// (installed quietly with apt-get when missing and we are root), else a Node
// keep-alive client (undici). The same generator serves both sides of a
// comparison. Every run is bounded by its duration.
import { execFile, spawnSync } from 'node:child_process'
import { promisify } from 'node:util'
import { Pool } from 'undici'

const run = promisify(execFile)

/** One bounded load run against one URL. */
export interface HttpLoadResult {
  readonly requests: number
  readonly errors: number
  readonly seconds: number
  readonly perSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
}

export interface HttpLoadGenerator {
  /** 'wrk' or 'node (undici)'. */
  readonly name: string
  run(url: string, opts: LoadOptions): Promise<HttpLoadResult>
}

export interface LoadOptions {
  readonly connections: number
  readonly seconds: number
  /** One request per connection (`Connection: close`): measures new connections (TLS handshakes) per second. */
  readonly closeEachConnection?: boolean
}

const hasWrk = (): boolean => spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined

/** Installs wrk with apt-get when missing (root only, quiet); returns whether wrk is usable. */
export function ensureWrk(): boolean {
  if (hasWrk()) return true
  if (process.geteuid?.() !== 0) return false
  const r = spawnSync('apt-get', ['install', '-y', '-qq', 'wrk'], {
    stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 120000,
  })
  return r.status === 0 && hasWrk()
}

/** wrk's duration text (`812.00us`, `1.23ms`, `2.01s`) in milliseconds. */
const wrkMs = (v: string): number => {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(v)
  if (m === null) return NaN
  const n = Number(m[1])
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60000
}

/** Parses `wrk --latency` output. */
export function parseWrk(out: string, seconds: number): HttpLoadResult {
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN)
  const errLine = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0)
  const errors = non2xx + (errLine ? errLine.slice(1).reduce((a, b) => a + Number(b), 0) : 0)
  return {
    requests, errors, seconds,
    perSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
    p50Ms: wrkMs(/^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? ''),
    p99Ms: wrkMs(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? ''),
  }
}

const wrk: HttpLoadGenerator = {
  name: 'wrk',
  async run(url, { connections, seconds, closeEachConnection = false }) {
    const close = closeEachConnection ? ['-H', 'Connection: close'] : []
    const { stdout } = await run('wrk', ['-t', '2', '-c', String(connections), '-d', `${seconds}s`, '--latency', '--timeout', '5s', ...close, url], {
      timeout: (seconds + 30) * 1000,
    })
    return parseWrk(stdout, seconds)
  },
}

/** A closed-loop keep-alive client in this process (one connection per worker). */
const nodeClient: HttpLoadGenerator = {
  name: 'node (undici keep-alive)',
  async run(url, { connections, seconds, closeEachConnection = false }) {
    const u = new URL(url)
    const pool = new Pool(u.origin, {
      connections, pipelining: closeEachConnection ? 0 : 1, keepAliveTimeout: 30000, connect: { rejectUnauthorized: false },
    })
    const lat: number[] = []
    let errors = 0
    const t0 = performance.now()
    const deadline = t0 + seconds * 1000
    const worker = async (): Promise<void> => {
      while (performance.now() < deadline) {
        const t = performance.now()
        try {
          const r = await pool.request({ method: 'GET', path: u.pathname })
          await r.body.text()
          if (r.statusCode !== 200) errors++
        } catch { errors++ }
        lat.push(performance.now() - t)
      }
    }
    await Promise.all(Array.from({ length: connections }, worker))
    const secs = (performance.now() - t0) / 1000
    await pool.close()
    lat.sort((a, b) => a - b)
    const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? NaN
    return { requests: lat.length, errors, seconds: secs, perSecond: (lat.length - errors) / secs, p50Ms: pct(0.5), p99Ms: pct(0.99) }
  },
}

/** wrk when available (installing it if needed), else the Node client; `forceNode` picks the Node client. */
export function loadGenerator(forceNode = false): HttpLoadGenerator {
  return !forceNode && ensureWrk() ? wrk : nodeClient
}
