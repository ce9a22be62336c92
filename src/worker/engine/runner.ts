import { TerminalError } from '../../common/errors.js'
import { flattenFlow, type Flow } from './flow.js'
import type { JobProgress, JobStore } from './job-store.js'
import { sleep } from './sleep.js'
import type { Task, TaskContext, TaskInput } from './task.js'

/** Retry policy for thrown (non-terminal) task errors. */
export interface RetryPolicy {
  /** Attempts per task, the first included (1 = no retry). */
  readonly maxAttempts: number
  /** Wait before retry n is `min(baseBackoffMs * 2^(n-1), maxBackoffMs)`. */
  readonly baseBackoffMs: number
  readonly maxBackoffMs: number
}

export const defaultRetryPolicy: RetryPolicy = Object.freeze({ maxAttempts: 3, baseBackoffMs: 250, maxBackoffMs: 5000 })

/** DONE: the flow completed. FAILED: it was reverted. PAUSED: the signal aborted; the job resumes elsewhere. */
export type RunOutcome = 'DONE' | 'FAILED' | 'PAUSED'

/**
 * Runs (or resumes) a flow from recorded progress.
 *
 * Forward: executes tasks from `progress.step`, recording each result before
 * the next task starts, so a restarted run never re-executes a recorded task.
 * A thrown error is retried with backoff up to `maxAttempts`; a TerminalError
 * or the last failed attempt starts the revert.
 *
 * Revert: the failed task (with result `undefined`) and then every finished
 * task, in reverse order, each recorded as it completes. Revert errors are
 * logged and skipped (a revert must not throw). Then the job is FAILED.
 *
 * When `ctx.signal` aborts the run stops between tasks (or during a backoff)
 * and returns PAUSED without recording a failure. Errors of `store`
 * (LeaseLostError, database failures) propagate: the run stops as it is.
 */
export async function runFlow<P>(
  flow: Flow<P>, payload: P, progress: JobProgress, store: JobStore, ctx: TaskContext,
  policy: RetryPolicy = defaultRetryPolicy,
): Promise<RunOutcome> {
  const tasks = flattenFlow(flow)
  const results: Record<string, unknown> = { ...progress.results }
  const input: TaskInput<P> = { payload, results }
  let revertFrom = progress.step
  if (progress.state === 'RUNNING') {
    const forward = await runForward(tasks, input, results, progress, store, ctx, policy)
    if (forward === 'PAUSED') return 'PAUSED'
    if (forward === 'DONE') {
      await store.finish('DONE')
      return 'DONE'
    }
    revertFrom = forward.revertFrom
  }
  return runRevert(tasks, input, results, Math.min(revertFrom, tasks.length), store, ctx)
}

async function runForward<P>(
  tasks: readonly Task<P, unknown>[], input: TaskInput<P>, results: Record<string, unknown>,
  progress: JobProgress, store: JobStore, ctx: TaskContext, policy: RetryPolicy,
): Promise<'DONE' | 'PAUSED' | { revertFrom: number }> {
  let attempts = progress.attempts
  for (let i = progress.step; i < tasks.length; i++) {
    const task = tasks[i]
    const taskCtx: TaskContext = { ...ctx, log: ctx.log.child({ task: task.name }) }
    for (;;) {
      if (ctx.signal.aborted) return 'PAUSED'
      let result: unknown
      try {
        result = await task.execute(taskCtx, input)
      } catch (err) {
        if (ctx.signal.aborted) return 'PAUSED'
        attempts += 1
        const message = describe(err)
        const terminal = err instanceof TerminalError || attempts >= policy.maxAttempts
        taskCtx.log.warn({ err, attempts, terminal }, 'task failed')
        if (terminal) {
          await store.startRevert(i + 1, `${task.name}: ${message}`)
          return { revertFrom: i + 1 }
        }
        await store.taskFailed(attempts, `${task.name}: ${message}`)
        const wait = Math.min(policy.baseBackoffMs * 2 ** (attempts - 1), policy.maxBackoffMs)
        try { await sleep(wait, ctx.signal) } catch { return 'PAUSED' }
        continue
      }
      results[task.name] = result === undefined ? null : result
      await store.taskDone(i, results)
      attempts = 0
      break
    }
  }
  return 'DONE'
}

async function runRevert<P>(
  tasks: readonly Task<P, unknown>[], input: TaskInput<P>, results: Record<string, unknown>,
  from: number, store: JobStore, ctx: TaskContext,
): Promise<RunOutcome> {
  for (let i = from - 1; i >= 0; i--) {
    if (ctx.signal.aborted) return 'PAUSED'
    const task = tasks[i]
    const result = Object.hasOwn(results, task.name) ? results[task.name] : undefined
    const taskCtx: TaskContext = { ...ctx, log: ctx.log.child({ task: task.name }) }
    try {
      await task.revert(taskCtx, result as never, input)
    } catch (err) {
      taskCtx.log.error({ err }, 'revert threw; continuing')
    }
    await store.revertDone(i)
  }
  await store.finish('FAILED')
  return 'FAILED'
}

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err))
