import { sql, type Kysely } from 'kysely'
import { nowIso } from '../../common/time.js'
import type { Executor } from '../database.js'
import type { DB, JobRow } from '../schema.js'
import { speaksMysql } from '../executor-dialect.js'

/** Job states that still need a worker. */
export const UNFINISHED_JOB_STATES = ['PENDING', 'RUNNING', 'REVERTING'] as const

/** Job states of a job some worker is (or was, until its lease expires) running. */
const IN_FLIGHT = ['RUNNING', 'REVERTING']

/** A job a worker might claim: its identity, order and lease. */
export type JobCandidate = Pick<JobRow, 'id' | 'load_balancer_id' | 'state' | 'lease_owner' | 'lease_expires_at'>

/**
 * Unfinished jobs, oldest first (created_at, then id), at most `limit`.
 * Per load balancer only one can be claimed: the in-flight one if any, else
 * the oldest PENDING one (see claimJob).
 */
export async function unfinishedJobs(db: Executor, limit: number): Promise<JobCandidate[]> {
  return db.selectFrom('job')
    .select(['id', 'load_balancer_id', 'state', 'lease_owner', 'lease_expires_at'])
    .where('state', 'in', [...UNFINISHED_JOB_STATES])
    .orderBy('created_at').orderBy('id')
    .limit(limit)
    .execute()
}

/** How a claim may take a job that another worker holds. */
export type Takeover =
  /** Only PENDING jobs, or RUNNING/REVERTING jobs whose lease expired before `now`. */
  | { readonly kind: 'expired' }
  /** Also a RUNNING/REVERTING job still leased by `owner`, a worker known to be dead. */
  | { readonly kind: 'dead-owner'; readonly owner: string }

/**
 * Claims a job atomically: one conditional UPDATE, so of several workers at
 * most one succeeds. PENDING becomes RUNNING; a taken-over RUNNING or
 * REVERTING job keeps its state and step. Jobs of one load balancer run
 * strictly one at a time, oldest first: the claim is refused while another
 * job of the same load balancer is RUNNING or REVERTING (whatever its lease:
 * that one must be finished or taken over first), and a PENDING job is
 * refused while an older PENDING job of its load balancer exists (order:
 * created_at, then id). Returns the claimed row, or null.
 */
export async function claimJob(
  db: Executor, jobId: string, owner: string, now: number, leaseMs: number, takeover: Takeover,
): Promise<JobRow | null> {
  if (!speaksMysql(db)) return claimUpdate(db, jobId, owner, now, leaseMs, takeover)
  // NOTE: MariaDB runs an UPDATE whose subquery reads its own table in two passes (find the rows, then
  // write them) without re-checking the WHERE once a concurrent claimer's lock is released: two workers
  // could both claim one job. Locking the row first makes the UPDATE read what the other committed.
  const claim = async (tx: Executor) => {
    await tx.selectFrom('job').select('id').where('id', '=', jobId).forUpdate().execute()
    return claimUpdate(tx, jobId, owner, now, leaseMs, takeover)
  }
  return db.isTransaction ? claim(db) : (db as Kysely<DB>).transaction().execute(claim)
}

/** claimJob's conditional UPDATE, then the claimed row. */
async function claimUpdate(
  db: Executor, jobId: string, owner: string, now: number, leaseMs: number, takeover: Takeover,
): Promise<JobRow | null> {
  const res = await db.updateTable('job')
    .set({
      state: sql<string>`CASE WHEN state = 'PENDING' THEN 'RUNNING' ELSE state END`,
      lease_owner: owner,
      lease_expires_at: now + leaseMs,
      updated_at: nowIso(),
    })
    .where('id', '=', jobId)
    .where(eb => {
      const leased = eb.and([
        eb('state', 'in', IN_FLIGHT),
        eb.or([
          eb('lease_expires_at', 'is', null),
          eb('lease_expires_at', '<', now),
          ...(takeover.kind === 'dead-owner' ? [eb('lease_owner', '=', takeover.owner)] : []),
        ]),
      ])
      return eb.or([eb('state', '=', 'PENDING'), leased])
    })
    .where(eb => eb.not(eb.exists(
      eb.selectFrom('job as other').select(sql<number>`1`.as('one'))
        .whereRef('other.load_balancer_id', '=', 'job.load_balancer_id')
        .whereRef('other.id', '<>', 'job.id')
        .where(o => o.or([
          o('other.state', 'in', IN_FLIGHT),
          o.and([
            o('job.state', '=', 'PENDING'),
            o('other.state', '=', 'PENDING'),
            o.or([
              o('other.created_at', '<', o.ref('job.created_at')),
              o.and([o('other.created_at', '=', o.ref('job.created_at')), o('other.id', '<', o.ref('job.id'))]),
            ]),
          ]),
        ])),
    )))
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) !== 1) return null
  return (await db.selectFrom('job').selectAll().where('id', '=', jobId).executeTakeFirst()) ?? null
}

/** Extends the lease; false when `owner` no longer holds the job. */
export async function renewLease(db: Executor, jobId: string, owner: string, expiresAt: number): Promise<boolean> {
  const res = await db.updateTable('job').set({ lease_expires_at: expiresAt })
    .where('id', '=', jobId).where('lease_owner', '=', owner)
    .where('state', 'in', ['RUNNING', 'REVERTING'])
    .executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

/** Gives an unfinished job back at once (graceful stop): any worker may take it over now. */
export async function releaseLease(db: Executor, jobId: string, owner: string): Promise<void> {
  await db.updateTable('job').set({ lease_expires_at: 0, updated_at: nowIso() })
    .where('id', '=', jobId).where('lease_owner', '=', owner)
    .where('state', 'in', ['RUNNING', 'REVERTING'])
    .execute()
}
