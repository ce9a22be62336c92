import type { Kysely } from 'kysely'
import type { Logger } from '../common/logging.js'
import { renewLease } from '../db/repositories/job-lease-repository.js'
import type { DB } from '../db/schema.js'

/**
 * Renews a job's lease every third of the lease time until stopped. When
 * another worker turns out to hold the job, `onLost` runs once (unless
 * stopped first). A failed renewal (database unreachable) is only logged:
 * the next one may succeed, and the step records renew the lease too.
 */
export function startLeaseRenewal(db: Kysely<DB>, jobId: string, owner: string, leaseMs: number, log: Logger,
  onLost: () => void): { stop(): void } {
  let stopped = false
  const timer = setInterval(() => {
    renewLease(db, jobId, owner, Date.now() + leaseMs).then(held => {
      if (held || stopped) return
      stopped = true
      clearInterval(timer)
      onLost()
    }, (err: unknown) => log.warn({ err }, 'could not renew the job lease'))
  }, Math.max(100, Math.floor(leaseMs / 3)))
  return { stop: () => { stopped = true; clearInterval(timer) } }
}
