import { performance } from 'node:perf_hooks'
import type { Logger } from '../common/logging.js'
import type { Runnable } from '../common/runnable.js'

/** What one round reports: counts by name (logged), or nothing. */
export type RoundCounts = Readonly<Record<string, number>>

export interface PeriodicJobOptions {
  /** Job name in logs (`job`) and the Runnable's name. */
  readonly name: string
  /** Nominal time between two rounds, ms. */
  readonly intervalMs: number
  /** Largest relative deviation of a later round's delay from `intervalMs`; default 0.1 (± 10 %). */
  readonly jitter?: number
  /** Source of randomness in [0, 1); default Math.random (tests pin it). */
  readonly random?: () => number
  /**
   * One round. Receives the job's stop signal (a round in progress should
   * give up when it aborts). A thrown error is logged and the next round
   * runs as usual.
   */
  readonly run: (signal: AbortSignal) => Promise<RoundCounts | void>
  readonly log: Logger
}

/** Default jitter of later rounds: ± 10 % of the interval. */
export const DEFAULT_JITTER = 0.1

/**
 * Delay before the first round: a random fraction of the interval, in
 * [0, intervalMs). Several housekeeping processes started together (or one
 * restarted in a crash loop) thereby neither run in lockstep nor all hit the
 * database and the agents right at start-up.
 */
export function firstDelayMs(intervalMs: number, random: () => number = Math.random): number {
  return Math.floor(intervalMs * clampUnit(random()))
}

/**
 * Delay between the end of one round and the start of the next:
 * `intervalMs × (1 + jitter × u)` with u uniform in [-1, 1), so within
 * [intervalMs × (1 − jitter), intervalMs × (1 + jitter)). Counting from the
 * end of a round means a slow round never overlaps the next one.
 */
export function nextDelayMs(intervalMs: number, jitter: number = DEFAULT_JITTER, random: () => number = Math.random): number {
  const j = Math.min(Math.max(jitter, 0), 1)
  return Math.max(0, Math.round(intervalMs * (1 + j * (2 * clampUnit(random()) - 1))))
}

const clampUnit = (u: number): number => (u >= 0 && u < 1 ? u : 0)

/**
 * A job that runs rounds periodically until stopped (housekeeping's database
 * cleanup and certificate rotation). Rounds of one job never run at once:
 * the next is scheduled only after the previous has finished. Each round is
 * logged with `job`, `durationMs` and the counts it returns (info when any
 * count is non-zero, debug otherwise; warn with `err` when it failed). When
 * the signal aborts, no further round starts; `stopped` resolves once a
 * round in progress has finished.
 */
export class PeriodicJob implements Runnable {
  readonly name: string
  readonly #opts: PeriodicJobOptions
  readonly #log: Logger
  #timer: NodeJS.Timeout | null = null
  #running: Promise<void> | null = null
  #resolveStopped!: () => void
  readonly stopped = new Promise<void>((r) => { this.#resolveStopped = r })

  constructor(opts: PeriodicJobOptions) {
    if (!(opts.intervalMs > 0)) throw new Error(`interval of job ${opts.name} must be positive`)
    this.name = opts.name
    this.#opts = Object.freeze({ ...opts })
    this.#log = opts.log.child({ job: opts.name })
  }

  /** Schedules the first round (after firstDelayMs) and returns at once. */
  async start(signal: AbortSignal): Promise<void> {
    const o = this.#opts
    const random = o.random ?? Math.random
    const schedule = (ms: number): void => {
      this.#timer = setTimeout(() => {
        this.#timer = null
        this.#running = this.#round(signal).finally(() => {
          this.#running = null
          if (!signal.aborted) schedule(nextDelayMs(o.intervalMs, o.jitter ?? DEFAULT_JITTER, random))
        })
      }, ms)
    }
    const stop = (): void => {
      if (this.#timer !== null) clearTimeout(this.#timer)
      this.#timer = null
      void (this.#running ?? Promise.resolve()).then(() => this.#resolveStopped())
    }
    if (signal.aborted) { stop(); return }
    schedule(firstDelayMs(o.intervalMs, random))
    signal.addEventListener('abort', stop, { once: true })
    this.#log.info({ intervalS: o.intervalMs / 1000, jitter: o.jitter ?? DEFAULT_JITTER }, 'periodic job scheduled')
  }

  /** One round with its log line; never throws. */
  async #round(signal: AbortSignal): Promise<void> {
    const started = performance.now()
    try {
      const counts = (await this.#opts.run(signal)) ?? {}
      const durationMs = Math.round(performance.now() - started)
      const busy = Object.values(counts).some((n) => n !== 0)
      this.#log[busy ? 'info' : 'debug']({ durationMs, ...counts }, 'periodic job round done')
    } catch (err) {
      this.#log.warn({ err, durationMs: Math.round(performance.now() - started) }, 'periodic job round failed; retrying next round')
    }
  }
}
