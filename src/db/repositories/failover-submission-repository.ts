import type { Kysely } from 'kysely'
import { nowIso } from '../../common/time.js'
import { ProvisioningStatus } from '../../model/statuses.js'
import type { DB } from '../schema.js'
import { claimFailedAmphora, claimStaleAmphora, FAILOVERABLE_AMPHORA_STATUSES } from './amphora-health-repository.js'
import { insertJob } from './job-repository.js'

/** How the health manager claims the amphora it fails over. */
export type FailoverClaim =
  /** Heartbeats stopped: claim only if still not busy and `last_update` still < `cutoff` (epoch ms). */
  | { readonly kind: 'stale'; readonly cutoff: number }
  /** The agent reported the amphora broken: claim unless busy; `now` seeds a missing health row. */
  | { readonly kind: 'failed'; readonly now: number }

/** What submitAmphoraFailover did. Nothing is written unless `submitted`. */
export type FailoverSubmission =
  | { readonly outcome: 'submitted'; readonly jobId: string; readonly loadBalancerId: string | null; readonly provider: string }
  /** Another health manager claimed it, a failover is under way, or (stale) heartbeats resumed. */
  | { readonly outcome: 'not_claimed' }
  /** The amphora is gone or in a status no failover starts from (building, deleting, ERROR...). */
  | { readonly outcome: 'not_failoverable'; readonly status: string | null }
  /** Its load balancer is neither ACTIVE nor ERROR (a flow is running): try again next round. */
  | { readonly outcome: 'lb_immutable'; readonly loadBalancerId: string; readonly provisioningStatus: string | null }

/** Thrown inside the transaction to roll the claim back; never escapes. */
class Abandon extends Error {
  constructor(readonly result: Exclude<FailoverSubmission, { outcome: 'submitted' }>) {
    super('failover abandoned')
  }
}

/**
 * The health manager's failover of one amphora, in one transaction (Octavia's
 * `health_check` step): claim the health row (busy), check the amphora is
 * ALLOCATED or FAILOVER_STOPPED, set its load balancer from ACTIVE or ERROR
 * to PENDING_UPDATE (Octavia's `set_status_for_failover`), and record a
 * `failover_amphora` job for the load balancer's provider. Any other case
 * rolls everything back (the claim too) and says why. The caller publishes
 * the job id on the bus after this returns; workers also find it by polling.
 *
 * NOTE: the claim is the transaction's first statement, a write: on SQLite
 * that takes the write lock before anything is read (a read first could not
 * be upgraded if another process wrote in between).
 */
export async function submitAmphoraFailover(db: Kysely<DB>, amphoraId: string, claim: FailoverClaim): Promise<FailoverSubmission> {
  try {
    return await db.transaction().execute(async tx => {
      const claimed = claim.kind === 'stale'
        ? await claimStaleAmphora(tx, amphoraId, claim.cutoff)
        : await claimFailedAmphora(tx, amphoraId, claim.now)
      if (!claimed) throw new Abandon({ outcome: 'not_claimed' })
      const amp = await tx.selectFrom('amphora as a').leftJoin('load_balancer as lb', 'lb.id', 'a.load_balancer_id')
        .select(['a.status', 'a.load_balancer_id', 'lb.id as lb_id', 'lb.provider', 'lb.provisioning_status'])
        .where('a.id', '=', amphoraId).executeTakeFirst()
      if (!amp || !FAILOVERABLE_AMPHORA_STATUSES.includes(amp.status)) {
        throw new Abandon({ outcome: 'not_failoverable', status: amp?.status ?? null })
      }
      const lbId = amp.lb_id ?? null
      if (lbId !== null) {
        const res = await tx.updateTable('load_balancer').set({ provisioning_status: ProvisioningStatus.PENDING_UPDATE, updated_at: nowIso() })
          .where('id', '=', lbId).where('provisioning_status', 'in', [ProvisioningStatus.ACTIVE, ProvisioningStatus.ERROR])
          .executeTakeFirst()
        if (Number(res.numUpdatedRows) !== 1) {
          throw new Abandon({ outcome: 'lb_immutable', loadBalancerId: lbId, provisioningStatus: amp.provisioning_status ?? null })
        }
      }
      // An amphora without a load balancer (a spare) goes to the amphora provider, as the admin API sends it.
      const provider = amp.provider ?? 'amphora'
      const jobId = await insertJob(tx, { operation: 'failover_amphora', provider, loadBalancerId: lbId, payload: { amphoraId } })
      return { outcome: 'submitted', jobId, loadBalancerId: lbId, provider } as const
    })
  } catch (err) {
    if (err instanceof Abandon) return err.result
    throw err
  }
}
