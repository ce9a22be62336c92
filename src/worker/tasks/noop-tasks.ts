import { nothingToRevert, type Task } from '../engine/task.js'

/**
 * A data-plane step of the noop provider: stands where a real provider
 * configures amphorae (with [noop_provider] task_delay_ms it takes time, like
 * one). Does nothing else.
 */
export function noopDataPlaneTask(name: string): Task<unknown, null> {
  return {
    name,
    execute: async ctx => {
      ctx.log.debug('noop data-plane step')
      return null
    },
    revert: nothingToRevert,
  }
}
