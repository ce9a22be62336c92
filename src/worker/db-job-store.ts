import type { Executor } from '../db/database.js'
import { updateOwnedJob, type JobProgressUpdate } from '../db/repositories/job-progress-repository.js'
import { LeaseLostError, type JobStore } from './engine/job-store.js'

/**
 * The JobStore of one claimed job row. Each write also extends the lease by
 * `leaseMs`, and throws LeaseLostError when another worker holds the job.
 */
export function dbJobStore(db: Executor, jobId: string, owner: string, leaseMs: number): JobStore {
  const write = async (values: JobProgressUpdate): Promise<void> => {
    if (!(await updateOwnedJob(db, jobId, owner, values))) throw new LeaseLostError(jobId)
  }
  const lease = (): number => Date.now() + leaseMs
  return {
    taskDone: (step, results) =>
      write({ step: step + 1, results: JSON.stringify(results), attempts: 0, lease_expires_at: lease() }),
    taskFailed: (attempts, error) => write({ attempts, error, lease_expires_at: lease() }),
    startRevert: (step, error) => write({ state: 'REVERTING', step, attempts: 0, error, lease_expires_at: lease() }),
    revertDone: step => write({ step, lease_expires_at: lease() }),
    finish: state => write(state === 'DONE' ? { state, error: null, lease_expires_at: null } : { state, lease_expires_at: null }),
  }
}
