import { clientGet } from './dataplane-backends.js'

/** What a traffic probe saw. */
export interface GapReport {
  /** Requests sent, answered with 200, failed (error, timeout or another status). */
  readonly sent: number
  readonly ok: number
  readonly failed: number
  /** Longest time between two consecutive 200 answers (ms); the outage a client saw. */
  readonly longestGapMs: number
  /** When the longest gap began (ms since the probe started). */
  readonly gapStartMs: number
}

/** A running probe: `stop()` ends it and reports. */
export interface TrafficProbe {
  /** Answers received so far (to wait for traffic to flow again). */
  readonly okCount: () => number
  /** Time since the last 200 answer (ms). */
  readonly sinceLastOkMs: () => number
  stop(): Promise<GapReport>
}

/**
 * A client loop on `GET http://host:port/`: one request at a time on a new
 * connection, each with `timeoutMs`, `intervalMs` apart, for at most `maxMs`
 * (the loop is bounded in time and therefore in count). It records the
 * longest gap between two successful answers: what a client of the VIP sees
 * of an outage.
 */
export function startTrafficProbe(host: string, port: number, o: { intervalMs?: number; timeoutMs?: number; maxMs?: number } = {}): TrafficProbe {
  const intervalMs = o.intervalMs ?? 20
  const timeoutMs = o.timeoutMs ?? 300
  const maxMs = o.maxMs ?? 120_000
  const started = Date.now()
  let sent = 0
  let ok = 0
  let lastOk = started
  let longest = 0
  let gapStart = 0
  let stopping = false
  const loop = (async () => {
    while (!stopping && Date.now() - started < maxMs) {
      sent++
      const t = Date.now()
      const good = await clientGet(host, port, '/', {}, timeoutMs).then(r => r.status === 200, () => false)
      if (good) {
        const now = Date.now()
        if (now - lastOk > longest) {
          longest = now - lastOk
          gapStart = lastOk - started
        }
        lastOk = now
        ok++
      }
      const wait = intervalMs - (Date.now() - t)
      if (wait > 0) await new Promise(r => setTimeout(r, wait))
    }
  })()
  return {
    okCount: () => ok,
    sinceLastOkMs: () => Date.now() - lastOk,
    async stop() {
      stopping = true
      await loop
      return { sent, ok, failed: sent - ok, longestGapMs: longest, gapStartMs: gapStart }
    },
  }
}
