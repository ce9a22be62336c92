import type { Logger } from '../common/logging.js'
import type { Runnable } from '../common/runnable.js'
import type { Database } from '../db/database.js'
import { upsertAmphoraHealth } from '../db/repositories/amphora-health-repository.js'
import { loadHealthSnapshot } from '../db/repositories/health-snapshot-repository.js'
import { addListenerStatistics } from '../db/repositories/listener-statistics-repository.js'
import { writeOperatingStatusChanges } from '../db/repositories/operating-status-batch-repository.js'
import type { Heartbeat } from '../amphora-api/heartbeat-codec.js'
import type { HeartbeatMeta } from './heartbeat-receiver.js'
import { planHealthUpdates, type HealthPlan, type QueuedHeartbeat } from './health-update-plan.js'
import { LogThrottle } from '../common/log-throttle.js'

export interface HeartbeatProcessorOptions {
  readonly database: Database
  readonly log: Logger
  /** `[health_manager] heartbeat_interval` in ms (a heartbeat processed that late proves nothing). */
  readonly heartbeatIntervalMs: number
  /** How long the first queued heartbeat waits for others before its batch is written; default 100 ms. */
  readonly batchWindowMs?: number
  /** Most heartbeats per batch; default 1000 (a fuller queue is written at once, in several batches). */
  readonly maxBatch?: number
  /** Most heartbeats queued; past it new ones are dropped and counted as `overflow`. Default 50000. */
  readonly maxQueue?: number
  /** Minimum time between two warnings of one kind; default 10 s. */
  readonly logIntervalMs?: number
  /** An amphora reported itself broken (`failed`); called after its batch was written. Not awaited. */
  readonly onFailed: (amphoraId: string, loadBalancerId: string, reason: string) => void
  /** A batch could not be written (the stale scan postpones: liveness was not recorded). */
  readonly onWriteFailed?: () => void
}

/** Counts since start. */
export interface ProcessorCounters {
  /** Heartbeats whose batch was written. */
  readonly processed: number
  readonly batches: number
  readonly unknown: number
  readonly orphans: number
  readonly listenerMismatches: number
  readonly late: number
  readonly failedReports: number
  readonly overflow: number
  readonly writeErrors: number
  /** Operating-status values written; listener statistics rows written. */
  readonly statusWrites: number
  readonly statsRows: number
}

/**
 * Turns valid heartbeats into database updates, in batches: heartbeats wait
 * in a queue for at most `batchWindowMs`, then one batch (up to `maxBatch`)
 * is read in five queries (HealthSnapshot), planned without I/O
 * (planHealthUpdates) and written in one transaction: liveness upserts,
 * changed operating statuses, statistics deltas. A failed batch is retried
 * once (nothing of it was committed, so deltas are not added twice), then
 * dropped and reported. One batch at a time (they never overlap). On abort
 * the queue is written one last time, then `stopped` resolves.
 */
export class HeartbeatProcessor implements Runnable {
  readonly name = 'heartbeat-processor'
  readonly #o: HeartbeatProcessorOptions
  readonly #queue: QueuedHeartbeat[] = []
  readonly #throttle: LogThrottle
  readonly #counts = {
    processed: 0, batches: 0, unknown: 0, orphans: 0, listenerMismatches: 0, late: 0, failedReports: 0,
    overflow: 0, writeErrors: 0, statusWrites: 0, statsRows: 0,
  }
  #timer: NodeJS.Timeout | null = null
  #chain: Promise<void> = Promise.resolve()
  #aborted = false
  #resolveStopped!: () => void
  readonly stopped = new Promise<void>(r => { this.#resolveStopped = r })

  constructor(options: HeartbeatProcessorOptions) {
    this.#o = Object.freeze({ ...options })
    this.#throttle = new LogThrottle(options.logIntervalMs ?? 10_000)
  }

  get counters(): ProcessorCounters {
    return { ...this.#counts }
  }

  /** Heartbeats waiting to be written. */
  get queued(): number {
    return this.#queue.length
  }

  async start(signal: AbortSignal): Promise<void> {
    const stop = (): void => {
      this.#aborted = true
      if (this.#timer) clearTimeout(this.#timer)
      this.#timer = null
      void this.flush().finally(() => this.#resolveStopped())
    }
    if (signal.aborted) stop()
    else signal.addEventListener('abort', stop, { once: true })
  }

  /** Queues one heartbeat (the receiver's onHeartbeat). */
  submit(msg: Heartbeat, meta: Pick<HeartbeatMeta, 'recvTime'>): void {
    if (this.#queue.length >= (this.#o.maxQueue ?? 50_000)) {
      this.#counts.overflow++
      this.#warn('overflow', { amphoraId: msg.id, total: this.#counts.overflow }, 'heartbeat queue full; heartbeat dropped')
      return
    }
    this.#queue.push({ msg, recvTime: meta.recvTime })
    this.#schedule()
  }

  /** Writes everything queued now (after a batch in progress). Never throws. */
  async flush(): Promise<void> {
    if (this.#timer) { clearTimeout(this.#timer); this.#timer = null }
    await this.#chain
    while (this.#queue.length > 0) await this.#runBatch()
  }

  #schedule(): void {
    if (this.#timer || this.#aborted) return
    const full = this.#queue.length >= (this.#o.maxBatch ?? 1000)
    this.#timer = setTimeout(() => {
      this.#timer = null
      void this.#runBatch().then(() => { if (this.#queue.length > 0) this.#schedule() })
    }, full ? 0 : this.#o.batchWindowMs ?? 100)
  }

  /** Runs one batch after the previous one: batches never overlap; each takes the queue's head when it starts. */
  #runBatch(): Promise<void> {
    const run = this.#chain.then(() => this.#process(this.#queue.splice(0, this.#o.maxBatch ?? 1000)))
    this.#chain = run
    return run
  }

  async #process(batch: readonly QueuedHeartbeat[]): Promise<void> {
    if (batch.length === 0) return
    let plan: HealthPlan | null = null
    for (let attempt = 1; plan === null; attempt++) {
      try {
        plan = await this.#write(batch)
      } catch (err) {
        if (attempt < 2) { await new Promise(r => setTimeout(r, 50)); continue }
        this.#counts.writeErrors++
        this.#o.log.error({ err, heartbeats: batch.length }, 'heartbeat batch could not be written; dropped')
        this.#o.onWriteFailed?.()
        return
      }
    }
    this.#counts.batches++
    this.#counts.processed += batch.length
    this.#report(plan)
  }

  /** Reads, plans and writes one batch; returns the plan written. */
  async #write(batch: readonly QueuedHeartbeat[]): Promise<HealthPlan> {
    const db = this.#o.database.db
    const snap = await loadHealthSnapshot(db, [...new Set(batch.map(b => b.msg.id))])
    const plan = planHealthUpdates(batch, snap, { now: Date.now(), heartbeatIntervalMs: this.#o.heartbeatIntervalMs })
    const s = plan.statuses
    const statusCount = s.loadBalancers.size + s.listeners.size + s.pools.size + s.members.size
    if (plan.liveness.length + statusCount + plan.stats.length > 0) {
      // NOTE: writes only, no read inside: on SQLite the transaction takes the write lock at its first statement.
      await db.transaction().execute(async tx => {
        await upsertAmphoraHealth(tx, plan.liveness)
        if (statusCount > 0) await writeOperatingStatusChanges(tx, s)
        await addListenerStatistics(tx, plan.stats)
      })
    }
    this.#counts.statusWrites += statusCount
    this.#counts.statsRows += plan.stats.length
    return plan
  }

  #report(plan: HealthPlan): void {
    const c = this.#counts
    c.unknown += plan.unknown.length
    c.orphans += plan.orphans.length
    c.listenerMismatches += plan.listenerMismatches.length
    c.late += plan.late.length
    c.failedReports += plan.failed.length
    for (const id of new Set(plan.unknown)) {
      this.#warn(`unknown:${id}`, { amphoraId: id, total: c.unknown }, 'heartbeat from an unknown amphora dropped')
    }
    for (const id of new Set(plan.orphans)) {
      this.#warn(`orphan:${id}`, { amphoraId: id, total: c.orphans },
        'heartbeat from an amphora without a live load balancer dropped (being deleted, or left behind: delete its instance)')
    }
    for (const m of plan.listenerMismatches) {
      this.#warn(`mismatch:${m.amphoraId}`, { amphoraId: m.amphoraId, lbId: m.loadBalancerId, reported: m.reported, expected: m.expected },
        'amphora reports a different number of listeners than enabled; liveness not updated')
    }
    if (plan.late.length > 0) {
      this.#warn('late', { amphoraIds: plan.late.slice(0, 20), count: plan.late.length, total: c.late },
        'heartbeats processed later than heartbeat_interval after arrival; liveness not updated (overloaded?)')
    }
    for (const f of plan.failed) this.#o.onFailed(f.amphoraId, f.loadBalancerId, f.reason)
  }

  #warn(key: string, fields: Record<string, unknown>, msg: string): void {
    const suppressed = this.#throttle.take(key)
    if (suppressed !== null) this.#o.log.warn({ ...fields, suppressed }, msg)
  }
}
