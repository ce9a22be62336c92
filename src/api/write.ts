import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import { runInTransaction } from '../db/ambient-transaction.js'
import { insertJob, type JobRequest } from '../db/repositories/job-repository.js'
import type { Operation, OperationPayloads } from '../bus/operations.js'
import type { ApiDeps } from './deps.js'

/** Collects the jobs of one API write; they are recorded in its transaction. */
export interface JobSink {
  add<O extends Operation>(operation: O, provider: string, loadBalancerId: string | null, payload: OperationPayloads[O]): Promise<void>
}

/**
 * Runs one API write: `fn` validates, guards statuses and writes rows in one
 * transaction, recording the jobs that will finish the PENDING_* states. The
 * jobs are announced on the bus only after commit; if anything throws, nothing
 * was written and no job exists. The transaction is ambient (see
 * ambient-transaction.ts): the local certificate manager reads inside it.
 */
export async function writeAndDispatch<T>(deps: ApiDeps, fn: (tx: Transaction<DB>, jobs: JobSink) => Promise<T>): Promise<T> {
  const ids: string[] = []
  const result = await runInTransaction(deps.database, async tx => {
    const sink: JobSink = {
      add: async (operation, provider, loadBalancerId, payload) => {
        const req: JobRequest = { operation, provider, loadBalancerId, payload }
        ids.push(await insertJob(tx, req))
      },
    }
    return fn(tx, sink)
  })
  for (const id of ids) deps.bus.publish(id)
  return result
}
