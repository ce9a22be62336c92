import type { Executor } from '../database.js'

/** Rows removed by one cleanup, by kind. */
export interface PurgeCounts {
  readonly loadBalancers: number
  readonly amphorae: number
  readonly jobs: number
}

/** ISO timestamp `ageSeconds` before `now`, in the stored format (see src/common/time.ts). */
const cutoff = (now: Date, ageSeconds: number): string => new Date(now.getTime() - ageSeconds * 1000).toISOString().slice(0, 23)

/**
 * Purges what Octavia's housekeeping purges: DELETED amphorae and load
 * balancers last changed before their expiry age (a load balancer only when
 * none of its amphorae is still kept), finished jobs, and the health rows
 * of amphorae no longer in the table. Idempotent; safe
 * with several housekeeping processes (plain conditional DELETEs).
 */
export async function purgeExpired(
  db: Executor, now: Date, ages: { loadBalancer: number; amphora: number; job: number },
): Promise<PurgeCounts> {
  const amphorae = await db.deleteFrom('amphora')
    .where('status', '=', 'DELETED')
    .where(eb => eb(eb.fn.coalesce('updated_at', 'created_at'), '<', cutoff(now, ages.amphora)))
    .executeTakeFirst()
  // Health rows of amphorae that are gone (the flows normally delete them with the amphora; this is the safety net).
  await db.deleteFrom('amphora_health')
    .where(eb => eb.not(eb.exists(eb.selectFrom('amphora').select('amphora.id').whereRef('amphora.id', '=', 'amphora_health.amphora_id'))))
    .execute()
  const loadBalancers = await db.deleteFrom('load_balancer')
    .where('provisioning_status', '=', 'DELETED')
    .where(eb => eb(eb.fn.coalesce('updated_at', 'created_at'), '<', cutoff(now, ages.loadBalancer)))
    .where(eb => eb.not(eb.exists(eb.selectFrom('amphora').select('amphora.id').whereRef('amphora.load_balancer_id', '=', 'load_balancer.id'))))
    .executeTakeFirst()
  const jobs = await db.deleteFrom('job')
    .where('state', 'in', ['DONE', 'FAILED'])
    .where(eb => eb(eb.fn.coalesce('updated_at', 'created_at'), '<', cutoff(now, ages.job)))
    .executeTakeFirst()
  return {
    loadBalancers: Number(loadBalancers.numDeletedRows),
    amphorae: Number(amphorae.numDeletedRows),
    jobs: Number(jobs.numDeletedRows),
  }
}
