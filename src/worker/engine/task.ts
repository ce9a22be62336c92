import type { Executor } from '../../db/database.js'
import type { Kysely } from 'kysely'
import type { Logger } from '../../common/logging.js'
import type { DB } from '../../db/schema.js'
import type { NetworkService } from '../../model/network-service.js'

/** What every task of one job sees. */
export interface TaskContext {
  readonly jobId: string
  readonly loadBalancerId: string | null
  /** Child logger carrying jobId, lbId, operation and the task name. */
  readonly log: Logger
  /** Aborts when the worker stops or loses the job's lease: stop soon, the job resumes elsewhere. */
  readonly signal: AbortSignal
  /** The root handle: a task that needs atomicity opens its own transaction. */
  readonly db: Kysely<DB>
  readonly network: NetworkService<Executor>
}

/** A task's view of its job: the operation payload and the results of the tasks already run. */
export interface TaskInput<P> {
  readonly payload: P
  /** Results of the finished tasks of this job, by task name (JSON values). */
  readonly results: Readonly<Record<string, unknown>>
}

/**
 * One step of a flow (STYLE.md R4).
 *
 * `execute` may run more than once for one job (a worker died before the step
 * was recorded; a retry after a thrown error), so it must be idempotent. Its
 * result must be JSON-serialisable: it is recorded in the job row and handed
 * to later tasks and to `revert`, possibly in another process.
 *
 * `revert` undoes `execute`. It gets the recorded result, or `undefined` when
 * its own execute failed or never finished; it is idempotent and never throws
 * (the runner logs and swallows anything it throws anyway).
 *
 * Throw TerminalError from `execute` for failures that retrying cannot fix;
 * anything else is retried with backoff.
 */
export interface Task<P = any, R = unknown> {
  readonly name: string
  execute(ctx: TaskContext, input: TaskInput<P>): Promise<R>
  revert(ctx: TaskContext, result: R | undefined, input: TaskInput<P>): Promise<void>
}

/** A revert that has nothing to undo. */
export const nothingToRevert = async (): Promise<void> => {}
