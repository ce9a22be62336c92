import type { Executor } from '../db/database.js'
import type { Bus } from '../bus/bus.js'
import type { Config } from '../common/config/schema.js'
import type { Logger } from '../common/logging.js'
import type { Runnable } from '../common/runnable.js'
import type { Database } from '../db/database.js'
import { claimJob, unfinishedJobs, type JobCandidate, type Takeover } from '../db/repositories/job-lease-repository.js'
import type { JobRow } from '../db/schema.js'
import type { ProviderRegistry } from './providers/registry.js'
import type { NetworkService } from '../model/network-service.js'
import type { RetryPolicy } from './engine/runner.js'
import { executeJob, type JobEnvironment } from './job-execution.js'
import { isDeadLocalOwner } from './worker-identity.js'

/** Everything the controller worker uses (its config slice, drivers, database). */
export interface ControllerWorkerOptions {
  readonly config: Config['controller_worker']
  readonly database: Database
  readonly bus: Bus
  readonly network: NetworkService<Executor>
  readonly providers: ProviderRegistry
  readonly log: Logger
  readonly id: string
  readonly retry: RetryPolicy
  /** Milliseconds between two scans nobody asked for (default `job_poll_interval_ms`; longer when a broker wakes workers). */
  readonly pollIntervalMs?: number
}

/**
 * The one job of each load balancer that may run next: the one in flight
 * (RUNNING/REVERTING) if any, else the oldest. Jobs without a load balancer
 * stand alone. Keeps the given (oldest-first) order.
 */
export function nextJobPerLoadBalancer<J extends JobCandidate>(jobs: readonly J[]): J[] {
  const chosen = new Map<string, J>()
  for (const j of jobs) {
    const key = j.load_balancer_id ?? `job:${j.id}`
    const current = chosen.get(key)
    if (!current || (current.state === 'PENDING' && j.state !== 'PENDING')) chosen.set(key, j)
  }
  return [...chosen.values()]
}

/** How long after a lease's expiry a worker looks again (its holder's last renewal may be in flight). */
const LEASE_EXPIRY_MARGIN_MS = 250

/** How many unfinished jobs one scan looks at. */
const SCAN_LIMIT = 1000

/**
 * The controller worker (DESIGN.md §4): runs durable jobs.
 *
 * - A scan reads the unfinished jobs oldest first and picks one per load
 *   balancer (the one in flight, else the oldest); it claims those that are
 *   PENDING, whose lease has expired, or whose owner is a dead process of
 *   this host, while fewer than `[controller_worker] workers` jobs run here.
 *   Claims are atomic and enforce the same rule (claimJob), so the jobs of
 *   one load balancer run one at a time, in creation order.
 * - Scans run on every bus announcement, when a local job ends, and every
 *   `pollIntervalMs` (lost announcements, other workers' dead jobs), and
 *   when a lease seen held by another worker would expire.
 * - A bus message counts as handled (acknowledged) once a scan that began
 *   after it, with a free slot, is done and the announced job no longer runs
 *   here: at once when another worker holds it or it is finished, at the end
 *   of the run when this worker claimed it. So a worker holds at most about
 *   `workers` messages, and when it dies the broker hands the messages of
 *   its jobs to another worker, whose scan takes them over (dead local
 *   owner, else after the lease). A message still held when the worker stops
 *   is rejected: the broker requeues it for a worker that resumes the job.
 * - `start` resolves at once; on abort the worker stops claiming, running jobs
 *   pause after their current task and release their leases, then `stopped`
 *   resolves.
 */
export class ControllerWorker implements Runnable {
  readonly name = 'worker'
  readonly #o: ControllerWorkerOptions
  readonly #running = new Map<string, Promise<unknown>>()
  #poked = false
  #wake: (() => void) | null = null
  /** Bus messages waiting for the next scan with a free slot. */
  #scanWaiters: Array<{ jobId: string; resolve: () => void; reject: (err: Error) => void }> = []
  /** The earliest lease expiry of a job another live worker held at the last scan (Infinity: none). */
  #nextLeaseExpiry = Infinity
  #resolveStopped!: () => void
  readonly stopped = new Promise<void>(r => { this.#resolveStopped = r })

  constructor(options: ControllerWorkerOptions) {
    this.#o = Object.freeze({ ...options })
  }

  /** This worker's lease owner id. */
  get id(): string { return this.#o.id }

  async start(signal: AbortSignal): Promise<void> {
    const unsubscribe = this.#o.bus.subscribe(jobId => this.#onAnnouncement(jobId, signal))
    signal.addEventListener('abort', () => {
      unsubscribe()
      for (const w of this.#scanWaiters.splice(0)) w.reject(new Error('worker stopping'))
      this.#poke()
    }, { once: true })
    const env: JobEnvironment = {
      db: this.#o.database.db, network: this.#o.network, providers: this.#o.providers,
      log: this.#o.log, owner: this.#o.id, leaseMs: this.#o.config.job_lease_seconds * 1000,
      retry: this.#o.retry, stopSignal: signal,
    }
    this.#o.log.info({ workerId: this.#o.id, workers: this.#o.config.workers }, 'worker started')
    void this.#loop(env, signal)
      .then(() => Promise.allSettled([...this.#running.values()]))
      .then(() => {
        this.#o.log.info({ workerId: this.#o.id }, 'worker stopped')
        this.#resolveStopped()
      })
  }

  async #loop(env: JobEnvironment, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const full = this.#running.size >= this.#o.config.workers
      const waiters = full ? [] : this.#scanWaiters.splice(0)
      try {
        await this.#scan(env, signal, new Set(waiters.map(w => w.jobId)))
      } catch (err) {
        if (!signal.aborted) this.#o.log.error({ err }, 'job scan failed')
      }
      // NOTE: also after a failed scan: the job is in the database, the poll finds it.
      for (const w of waiters) w.resolve()
      // A slow poll (a broker wakes workers) still looks again when a lease seen held elsewhere would
      // expire: a worker that died on another host leaves no message to wake anyone.
      const untilExpiry = Math.max(0, this.#nextLeaseExpiry - Date.now()) + LEASE_EXPIRY_MARGIN_MS
      await this.#idle(Math.min(this.#o.pollIntervalMs ?? this.#o.config.job_poll_interval_ms, untilExpiry))
    }
  }

  /** A bus message (see the class comment): resolves when it may be acknowledged, rejects to have it requeued. */
  async #onAnnouncement(jobId: string, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw new Error('worker stopping')
    await new Promise<void>((resolve, reject) => {
      this.#scanWaiters.push({ jobId, resolve, reject })
      this.#poke()
    })
    await this.#running.get(jobId)
    if (signal.aborted) throw new Error('worker stopping')
  }

  /** Claims what may run next; the `announced` jobs (this scan's bus messages) are tried first, so a message and its job stay together. */
  async #scan(env: JobEnvironment, signal: AbortSignal, announced: ReadonlySet<string>): Promise<void> {
    this.#nextLeaseExpiry = Infinity
    if (this.#running.size >= this.#o.config.workers) return
    const db = this.#o.database.db
    const now = Date.now()
    const candidates = nextJobPerLoadBalancer(await unfinishedJobs(db, SCAN_LIMIT))
      .sort((a, b) => Number(announced.has(b.id)) - Number(announced.has(a.id)))
    for (const row of candidates) {
      if (this.#running.has(row.id) || signal.aborted) continue
      const leased = row.state !== 'PENDING' && row.lease_expires_at !== null && row.lease_expires_at >= now
      let takeover: Takeover = { kind: 'expired' }
      if (leased) {
        if (!isDeadLocalOwner(row.lease_owner)) {
          this.#nextLeaseExpiry = Math.min(this.#nextLeaseExpiry, row.lease_expires_at!)
          continue
        }
        takeover = { kind: 'dead-owner', owner: row.lease_owner! }
      }
      const job = await claimJob(db, row.id, this.#o.id, now, env.leaseMs, takeover)
      if (!job) continue
      this.#launch(job, env)
      if (this.#running.size >= this.#o.config.workers) return
    }
  }

  #launch(job: JobRow, env: JobEnvironment): void {
    const run = executeJob(job, env).finally(() => {
      this.#running.delete(job.id)
      this.#poke()
    })
    this.#running.set(job.id, run)
  }

  #poke(): void {
    this.#poked = true
    this.#wake?.()
  }

  #idle(ms: number): Promise<void> {
    if (this.#poked) {
      this.#poked = false
      return Promise.resolve()
    }
    return new Promise(resolve => {
      const done = (): void => {
        clearTimeout(timer)
        this.#wake = null
        this.#poked = false
        resolve()
      }
      const timer = setTimeout(done, ms)
      this.#wake = done
    })
  }
}
