/**
 * Loopback HTTP traffic for the agent e2e tests: single requests and
 * bounded request loops that record every failure.
 */
import { Agent, request } from 'node:http'

/** A transport error, marked when it happened on a reused keep-alive connection. */
export type RequestError = NodeJS.ErrnoException & { reusedSocket?: boolean }

/** One GET; resolves with the status and body, rejects on a transport error (a RequestError). */
export function get(url: string, agent?: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: agent ?? false, timeout: 5000 }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => { body += c })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', (err: RequestError) => {
      err.reusedSocket = req.reusedSocket
      reject(err)
    })
    req.end()
  })
}

export interface LoopResult {
  readonly ok: number
  /** Requests re-sent after their reused connection was closed before answering. */
  readonly retried: number
  readonly errors: readonly string[]
  readonly bodies: ReadonlyMap<string, number>
}

/**
 * Sends requests one after the other until `stop()` (at most `maxRequests`).
 * `keepAlive` reuses one connection; a request that fails with ECONNRESET on
 * a reused connection (the server closed it while idle, as an old HAProxy
 * worker does on soft stop) is re-sent once, as HTTP clients do for
 * idempotent requests (RFC 9112 §9.3.1) and Node documents for
 * `reusedSocket`. Everything else counts as an error.
 */
export function requestLoop(url: string, opts: { keepAlive: boolean; maxRequests?: number }): { stop: () => Promise<LoopResult> } {
  const agent = new Agent({ keepAlive: opts.keepAlive, maxSockets: 1 })
  let running = true
  let ok = 0
  let retried = 0
  const errors: string[] = []
  const bodies = new Map<string, number>()
  const max = opts.maxRequests ?? 20_000
  const done = (async () => {
    for (let i = 0; running && i < max; i++) {
      try {
        const r = await get(url, agent).catch((err: RequestError) => {
          if (err.reusedSocket === true && err.code === 'ECONNRESET') { retried++; return get(url, agent) }
          throw err
        })
        if (r.status !== 200) errors.push(`status ${r.status}`)
        else { ok++; bodies.set(r.body, (bodies.get(r.body) ?? 0) + 1) }
      } catch (err) {
        errors.push((err as Error).message)
      }
    }
  })()
  return {
    stop: async () => {
      running = false
      await done
      agent.destroy()
      return { ok, retried, errors, bodies }
    },
  }
}

/** Waits until `predicate` holds (polling), at most `ms`. */
export async function eventually(predicate: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 50))
  }
}
