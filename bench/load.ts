import { performance } from 'node:perf_hooks'
import { Pool } from 'undici'

/** One request of a load run. `expect` is the status that counts as success. */
export interface BenchRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  readonly path: string
  readonly body?: unknown
  readonly expect: number
}

/** The figures of one load run. */
export interface LoadResult {
  readonly name: string
  readonly requests: number
  readonly errors: number
  /** First unexpected answer, for the report. */
  readonly firstError: string | null
  readonly seconds: number
  readonly perSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
}

export interface LoadOptions {
  readonly name: string
  /** Requests in flight at once (one connection each). */
  readonly concurrency: number
  /** Stops starting requests after this long. */
  readonly durationMs: number
  /** Stops after this many requests in total, whatever the time. */
  readonly maxRequests: number
  /**
   * Builds request number `i` for worker `w`, or runs a whole operation itself
   * (returns the number of requests it made and whether it succeeded).
   */
  readonly next: (i: number, w: number) => BenchRequest | ((client: LoadClient) => Promise<boolean>)
}

/** What an operation callback may use: JSON requests on the run's connection pool. */
export interface LoadClient {
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>
}

/** A keep-alive client of one origin (loopback). Close it when done. */
export function loadClient(origin: string, connections: number): LoadClient & { close(): Promise<void> } {
  const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 30000 })
  return {
    async request(method, path, body) {
      const res = await pool.request({
        method: method as 'GET', path,
        headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await res.body.text()
      return { status: res.statusCode, body: text === '' ? null : JSON.parse(text) }
    },
    close: () => pool.close(),
  }
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]

/**
 * Runs `concurrency` workers against `client` until the duration or the
 * request cap is reached; each worker waits for its answer before the next
 * request (closed loop). Latencies are per operation.
 */
export async function runLoad(client: LoadClient, opts: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = []
  let started = 0
  let errors = 0
  let firstError: string | null = null
  const t0 = performance.now()
  const deadline = t0 + opts.durationMs
  const worker = async (w: number): Promise<void> => {
    while (started < opts.maxRequests && performance.now() < deadline) {
      const i = started++
      const op = opts.next(i, w)
      const t = performance.now()
      let ok: boolean
      try {
        if (typeof op === 'function') {
          ok = await op(client)
        } else {
          const r = await client.request(op.method, op.path, op.body)
          ok = r.status === op.expect
          if (!ok && firstError === null) firstError = `${op.method} ${op.path} → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`
        }
      } catch (err) {
        ok = false
        if (firstError === null) firstError = String(err)
      }
      latencies.push(performance.now() - t)
      if (!ok) errors++
    }
  }
  await Promise.all(Array.from({ length: opts.concurrency }, (_, w) => worker(w)))
  const seconds = (performance.now() - t0) / 1000
  latencies.sort((a, b) => a - b)
  return {
    name: opts.name, requests: latencies.length, errors, firstError, seconds,
    perSecond: (latencies.length - errors) / seconds,
    p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99),
  }
}
