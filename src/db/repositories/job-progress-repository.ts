import { nowIso } from '../../common/time.js'
import type { Executor } from '../database.js'
import type { JobRow } from '../schema.js'

/** The progress columns a worker records. */
export type JobProgressUpdate = Partial<Pick<JobRow, 'state' | 'step' | 'results' | 'attempts' | 'error' | 'lease_expires_at'>>

/**
 * Records progress of a job this worker holds: one UPDATE guarded by
 * `lease_owner = owner` on an unfinished (RUNNING/REVERTING) job. Returns
 * false, writing nothing, when another worker took the job over.
 */
export async function updateOwnedJob(db: Executor, jobId: string, owner: string, values: JobProgressUpdate): Promise<boolean> {
  const res = await db.updateTable('job')
    .set({ ...values, updated_at: nowIso() })
    .where('id', '=', jobId).where('lease_owner', '=', owner)
    .where('state', 'in', ['RUNNING', 'REVERTING'])
    .executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

/** One job row (tests, diagnostics). */
export async function findJob(db: Executor, jobId: string): Promise<JobRow | undefined> {
  return db.selectFrom('job').selectAll().where('id', '=', jobId).executeTakeFirst()
}
