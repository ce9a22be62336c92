import type { Operation, OperationPayloads } from '../../bus/operations.js'
import { TerminalError } from '../../common/errors.js'
import type { Flow } from '../engine/flow.js'
import type { ProviderDriver } from './provider-driver.js'

/** The flow `driver` runs for a recorded job. Throws TerminalError for an operation the table does not have. */
export function flowForOperation(driver: ProviderDriver, operation: string, payload: unknown): Flow {
  if (!Object.hasOwn(driver.operations, operation)) throw new TerminalError(`unknown operation '${operation}'`)
  const build = driver.operations[operation as Operation] as (p: OperationPayloads[Operation]) => Flow
  return build(payload as OperationPayloads[Operation])
}
