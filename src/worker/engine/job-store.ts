/** Where a run is in its flow, as recorded in the job row. */
export interface JobProgress {
  /** RUNNING: `step` is the index of the next task to execute. REVERTING: `step` tasks remain to revert (next: step-1). */
  readonly state: 'RUNNING' | 'REVERTING'
  readonly step: number
  /** Results of finished tasks by task name. */
  readonly results: Readonly<Record<string, unknown>>
  /** Failed attempts of the task at `step` so far (forward only). */
  readonly attempts: number
}

/**
 * Persistence of one job's progress. Every method is a single guarded write
 * that succeeds only while this worker holds the job's lease; otherwise it
 * throws LeaseLostError and the run stops at once (another worker owns the job).
 */
export interface JobStore {
  /** Task `step` finished with `results` (all results so far): next is step+1, attempts reset. */
  taskDone(step: number, results: Readonly<Record<string, unknown>>): Promise<void>
  /** Task at the current step failed for the `attempts`-th time and will be retried. */
  taskFailed(attempts: number, error: string): Promise<void>
  /** The flow failed: REVERTING with `step` tasks to revert. */
  startRevert(step: number, error: string): Promise<void>
  /** Task `step` was reverted: `step` tasks remain. */
  revertDone(step: number): Promise<void>
  /** The run is over: DONE (flow completed) or FAILED (flow reverted). */
  finish(state: 'DONE' | 'FAILED'): Promise<void>
}

/** The job was taken over by another worker (our lease expired). */
export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`lease of job ${jobId} lost`)
    this.name = 'LeaseLostError'
  }
}
