import type { Task } from './task.js'
import { sleep } from './sleep.js'

/**
 * Wraps a task so that its execute first waits `ms` (simulated data-plane
 * latency: [noop_provider] task_delay_ms). The wait ends early when the job's
 * signal aborts. Revert is not delayed.
 */
export function delayedTask<P, R>(task: Task<P, R>, ms: number): Task<P, R> {
  if (ms <= 0) return task
  return {
    name: task.name,
    execute: async (ctx, input) => {
      await sleep(ms, ctx.signal)
      return task.execute(ctx, input)
    },
    revert: (ctx, result, input) => task.revert(ctx, result, input),
  }
}
