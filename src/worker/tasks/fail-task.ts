import { TerminalError } from '../../common/errors.js'
import { nothingToRevert, type Task } from '../engine/task.js'

/** A task that always fails terminally with `message` (an operation that cannot be carried out). */
export function failTask(message: string): Task<unknown, never> {
  return {
    name: 'fail',
    execute: async () => { throw new TerminalError(message) },
    revert: nothingToRevert,
  }
}
