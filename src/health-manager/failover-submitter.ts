import type { Bus } from '../bus/bus.js'
import type { Logger } from '../common/logging.js'
import type { Database } from '../db/database.js'
import {
  submitAmphoraFailover, type FailoverClaim, type FailoverSubmission,
} from '../db/repositories/failover-submission-repository.js'
import { LogThrottle } from '../common/log-throttle.js'

/** Why the health manager fails an amphora over. */
export type FailoverCause = 'stale' | 'failed'

/** Outcomes of every submission since start. */
export interface FailoverCounters {
  readonly submitted: number
  readonly notClaimed: number
  readonly notFailoverable: number
  readonly loadBalancerImmutable: number
  readonly errors: number
}

export interface FailoverSubmitterDeps {
  readonly database: Database
  /** Announces the job to in-process workers; without it workers find the job by polling. */
  readonly bus?: Bus
  readonly log: Logger
  /** Minimum time between two repeated skip warnings for one amphora; default 10 s. */
  readonly logIntervalMs?: number
}

/**
 * Submits amphora failovers for the health manager (stale scan and `failed`
 * reports): claims, locks the load balancer and records the
 * `failover_amphora` job in one transaction (submitAmphoraFailover), then
 * publishes the job id. A second submission for an amphora whose first is
 * still being written is ignored. Never throws: errors are logged and
 * counted, the next round or heartbeat tries again.
 */
export class FailoverSubmitter {
  readonly #deps: FailoverSubmitterDeps
  readonly #inFlight = new Set<string>()
  readonly #throttle: LogThrottle
  readonly #counts = { submitted: 0, notClaimed: 0, notFailoverable: 0, loadBalancerImmutable: 0, errors: 0 }

  constructor(deps: FailoverSubmitterDeps) {
    this.#deps = Object.freeze({ ...deps })
    this.#throttle = new LogThrottle(deps.logIntervalMs ?? 10_000)
  }

  get counters(): FailoverCounters {
    return { ...this.#counts }
  }

  /** Submits the failover of `amphoraId`; resolves to what happened (null on error or when already in flight). */
  async submit(amphoraId: string, claim: FailoverClaim, cause: FailoverCause, reason?: string): Promise<FailoverSubmission | null> {
    if (this.#inFlight.has(amphoraId)) return null
    this.#inFlight.add(amphoraId)
    const log = this.#deps.log
    try {
      const r = await submitAmphoraFailover(this.#deps.database.db, amphoraId, claim)
      switch (r.outcome) {
        case 'submitted':
          this.#counts.submitted++
          this.#deps.bus?.publish(r.jobId)
          log.warn({ amphoraId, lbId: r.loadBalancerId, jobId: r.jobId, cause, reason }, 'amphora failover submitted')
          break
        case 'not_claimed':
          this.#counts.notClaimed++
          log.debug({ amphoraId, cause }, 'amphora not claimed: busy, claimed elsewhere or heard again')
          break
        case 'not_failoverable':
          this.#counts.notFailoverable++
          this.#warn(amphoraId, { amphoraId, cause, status: r.status }, 'amphora is not in a status to fail over from; skipped')
          break
        case 'lb_immutable':
          this.#counts.loadBalancerImmutable++
          this.#warn(amphoraId, { amphoraId, lbId: r.loadBalancerId, cause, provisioningStatus: r.provisioningStatus },
            'load balancer is immutable; amphora failover skipped this round')
          break
      }
      return r
    } catch (err) {
      this.#counts.errors++
      log.error({ err, amphoraId, cause }, 'amphora failover submission failed; retried later')
      return null
    } finally {
      this.#inFlight.delete(amphoraId)
    }
  }

  #warn(amphoraId: string, fields: Record<string, unknown>, msg: string): void {
    const suppressed = this.#throttle.take(amphoraId)
    if (suppressed !== null) this.#deps.log.warn({ ...fields, suppressed }, msg)
  }
}
