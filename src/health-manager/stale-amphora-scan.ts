import type { Logger } from '../common/logging.js'
import type { Runnable } from '../common/runnable.js'
import type { Database } from '../db/database.js'
import { resumeStoppedAmphorae, staleAmphorae, stopFailovers } from '../db/repositories/amphora-health-repository.js'
import type { FailoverSubmitter } from './failover-submitter.js'

export interface StaleScanSettings {
  /** An amphora whose newest heartbeat is older than this is stale (`heartbeat_timeout`, ms). */
  readonly heartbeatTimeoutMs: number
  /** Time between two scans (`health_check_interval`, ms). */
  readonly healthCheckIntervalMs: number
  /** This many stale amphorae at once stop all failovers (`failover_threshold`); 0: no limit. */
  readonly failoverThreshold: number
  /** Most failovers submitted per scan (`failover_threads`). */
  readonly failoverThreads: number
}

/** What one scan found and did. */
export interface ScanResult {
  readonly stale: number
  readonly submitted: number
  /** Amphorae newly set FAILOVER_STOPPED by the threshold. */
  readonly stopped: number
  /** FAILOVER_STOPPED amphorae whose heartbeats resumed, back to ALLOCATED. */
  readonly resumed: number
}

/** Sums of every scan since start. */
export interface ScanCounters {
  readonly scans: number
  readonly staleFound: number
  readonly failoversSubmitted: number
  readonly failoverStopped: number
  readonly resumed: number
  readonly errors: number
}

/**
 * The health manager's stale-amphora detection (Octavia's `health_check`).
 * Every `healthCheckIntervalMs`: FAILOVER_STOPPED amphorae heard again go
 * back to ALLOCATED; ALLOCATED or FAILOVER_STOPPED amphorae silent for more
 * than `heartbeatTimeoutMs` and not busy are stale. When a threshold is set
 * and at least that many are stale, they all become FAILOVER_STOPPED and
 * none is failed over (an error is logged: a storm means the network or the
 * controller is broken, not the amphorae). Otherwise up to
 * `failoverThreads` of them, in random order (several health managers
 * spread out), are submitted to the FailoverSubmitter.
 *
 * Grace: the first scan runs `heartbeatTimeoutMs` after start, so amphorae
 * that kept sending while no health manager listened refresh their rows
 * first. `postpone` extends it after the database failed (heartbeats could
 * not be recorded meanwhile). A failed scan is logged and postpones too.
 */
export class StaleAmphoraScan implements Runnable {
  readonly name = 'stale-amphora-scan'
  readonly #s: StaleScanSettings
  readonly #database: Database
  readonly #submitter: FailoverSubmitter
  readonly #log: Logger
  readonly #counts = { scans: 0, staleFound: 0, failoversSubmitted: 0, failoverStopped: 0, resumed: 0, errors: 0 }
  #notBefore = Infinity
  #timer: NodeJS.Timeout | null = null
  #running: Promise<unknown> = Promise.resolve()
  #resolveStopped!: () => void
  readonly stopped = new Promise<void>(r => { this.#resolveStopped = r })

  constructor(settings: StaleScanSettings, deps: { database: Database; submitter: FailoverSubmitter; log: Logger }) {
    this.#s = Object.freeze({ ...settings })
    this.#database = deps.database
    this.#submitter = deps.submitter
    this.#log = deps.log
  }

  get counters(): ScanCounters {
    return { ...this.#counts }
  }

  /** Earliest time (epoch ms) of the next scan; Infinity before start. */
  get notBefore(): number {
    return this.#notBefore
  }

  /** Starts the loop; the first scan waits the grace (heartbeat timeout). Resolves at once. */
  async start(signal: AbortSignal): Promise<void> {
    this.#notBefore = Date.now() + this.#s.heartbeatTimeoutMs
    const tick = (): void => {
      this.#timer = null
      if (signal.aborted) return
      const wait = this.#notBefore - Date.now()
      if (wait > 0) { this.#timer = setTimeout(tick, wait); return }
      this.#running = this.runOnce().finally(() => {
        if (!signal.aborted) this.#timer = setTimeout(tick, this.#s.healthCheckIntervalMs)
      })
    }
    this.#timer = setTimeout(tick, this.#s.heartbeatTimeoutMs)
    const stop = (): void => {
      if (this.#timer) clearTimeout(this.#timer)
      void this.#running.finally(() => this.#resolveStopped())
    }
    if (signal.aborted) stop()
    else signal.addEventListener('abort', stop, { once: true })
  }

  /** No scan before `heartbeatTimeoutMs` from now (the database failed: rows may be stale through no fault of the amphorae). */
  postpone(now = Date.now()): void {
    this.#notBefore = Math.max(this.#notBefore, now + this.#s.heartbeatTimeoutMs)
  }

  /** One scan at `now` (tests call it directly, without the grace). Never throws: a failure is logged, counted and postpones. */
  async runOnce(now = Date.now()): Promise<ScanResult | null> {
    this.#counts.scans++
    try {
      return await this.#scan(now)
    } catch (err) {
      this.#counts.errors++
      this.postpone()
      this.#log.error({ err }, 'stale amphora scan failed; next scan after the heartbeat timeout')
      return null
    }
  }

  async #scan(now: number): Promise<ScanResult> {
    const db = this.#database.db
    const cutoff = now - this.#s.heartbeatTimeoutMs
    const resumed = await resumeStoppedAmphorae(db, cutoff)
    for (const amphoraId of resumed) this.#log.info({ amphoraId }, 'heartbeats resumed; amphora FAILOVER_STOPPED -> ALLOCATED')
    this.#counts.resumed += resumed.length
    const stale = await staleAmphorae(db, cutoff)
    this.#counts.staleFound += stale.length
    const threshold = this.#s.failoverThreshold
    if (threshold > 0 && stale.length >= threshold) {
      const stopped = await stopFailovers(db, stale.map(s => s.amphoraId))
      this.#counts.failoverStopped += stopped
      this.#log.error({ threshold, stale: stale.length, newlyStopped: stopped, amphoraIds: stale.slice(0, 50).map(s => s.amphoraId) },
        'stale amphora count reached failover_threshold: amphorae set FAILOVER_STOPPED, no failover attempted')
      return { stale: stale.length, submitted: 0, stopped, resumed: resumed.length }
    }
    let submitted = 0
    for (const s of shuffle(stale)) {
      if (submitted >= this.#s.failoverThreads) break
      this.#log.debug({ amphoraId: s.amphoraId, lbId: s.loadBalancerId }, 'stale amphora found')
      const r = await this.#submitter.submit(s.amphoraId, { kind: 'stale', cutoff }, 'stale')
      if (r?.outcome === 'submitted') submitted++
    }
    this.#counts.failoversSubmitted += submitted
    return { stale: stale.length, submitted, stopped: 0, resumed: resumed.length }
  }
}

/** A copy of `items` in random order (Fisher-Yates). */
function shuffle<T>(items: readonly T[]): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}
