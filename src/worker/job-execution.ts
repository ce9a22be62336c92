import type { Executor } from '../db/database.js'
import type { Kysely } from 'kysely'
import { TerminalError } from '../common/errors.js'
import type { Logger } from '../common/logging.js'
import { releaseLease } from '../db/repositories/job-lease-repository.js'
import { updateOwnedJob } from '../db/repositories/job-progress-repository.js'
import type { DB, JobRow } from '../db/schema.js'
import { isOperation } from '../bus/operations.js'
import { flowForOperation } from './providers/flow-for-operation.js'
import type { ProviderRegistry } from './providers/registry.js'
import type { NetworkService } from '../model/network-service.js'
import { dbJobStore } from './db-job-store.js'
import { flattenFlow, type Flow } from './engine/flow.js'
import { LeaseLostError, type JobProgress } from './engine/job-store.js'
import { runFlow, type RetryPolicy, type RunOutcome } from './engine/runner.js'
import type { TaskContext } from './engine/task.js'
import { failedOperationFlow } from './flows/failed-operation-flow.js'
import { startLeaseRenewal } from './lease-renewal.js'

/** What running one claimed job needs. */
export interface JobEnvironment {
  readonly db: Kysely<DB>
  readonly network: NetworkService<Executor>
  readonly providers: ProviderRegistry
  readonly log: Logger
  readonly owner: string
  readonly leaseMs: number
  readonly retry: RetryPolicy
  /** Aborts when the worker stops. */
  readonly stopSignal: AbortSignal
}

/** How a job run ended here: a RunOutcome, LOST (another worker holds it now), BROKEN (could not start; FAILED). */
export type JobOutcome = RunOutcome | 'LOST' | 'BROKEN'

/**
 * The flow of a job: the provider's flow for the operation, or, when the
 * provider is not enabled, a flow that fails terminally and reverts (object
 * ERROR, parents ACTIVE). Throws for an unknown operation.
 */
function flowOfJob(job: JobRow, payload: unknown, providers: ProviderRegistry): Flow {
  if (!isOperation(job.operation)) throw new TerminalError(`unknown operation '${job.operation}'`)
  if (!providers.has(job.provider)) return failedOperationFlow(job.operation, `provider '${job.provider}' is not enabled`)
  const flow = flowForOperation(providers.get(job.provider), job.operation, payload)
  flattenFlow(flow)
  return flow
}

const progressOf = (job: JobRow): JobProgress => ({
  state: job.state === 'REVERTING' ? 'REVERTING' : 'RUNNING',
  step: job.step,
  results: JSON.parse(job.results) as Record<string, unknown>,
  attempts: job.attempts,
})

/**
 * Runs (or resumes) one job this worker has claimed, renewing its lease while
 * it runs. A job that cannot even start (unknown operation, unreadable
 * payload or progress) is marked FAILED. On stop the job pauses after its
 * current task and its lease is released, so any worker resumes it at once.
 * Any other error (e.g. the database is unreachable) leaves the job as
 * recorded: it resumes when its lease expires. Never throws.
 */
export async function executeJob(job: JobRow, env: JobEnvironment): Promise<JobOutcome> {
  const log = env.log.child({ jobId: job.id, lbId: job.load_balancer_id, operation: job.operation })
  const abort = new AbortController()
  const onStop = (): void => abort.abort(env.stopSignal.reason)
  env.stopSignal.addEventListener('abort', onStop, { once: true })
  const renewal = startLeaseRenewal(env.db, job.id, env.owner, env.leaseMs, log, () => {
    log.warn('job lease lost to another worker; stopping')
    abort.abort(new LeaseLostError(job.id))
  })
  try {
    let flow: Flow, payload: unknown, progress: JobProgress
    try {
      payload = JSON.parse(job.payload)
      flow = flowOfJob(job, payload, env.providers)
      progress = progressOf(job)
    } catch (err) {
      log.error({ err }, 'job cannot run; marking it FAILED')
      await updateOwnedJob(env.db, job.id, env.owner, { state: 'FAILED', error: (err as Error).message, lease_expires_at: null })
      return 'BROKEN'
    }
    const resumed = progress.step > 0 || progress.state === 'REVERTING'
    log.info({ state: progress.state, step: progress.step, flow: flow.name }, resumed ? 'job resumed' : 'job started')
    const ctx: TaskContext = { jobId: job.id, loadBalancerId: job.load_balancer_id, log, signal: abort.signal, db: env.db, network: env.network }
    const outcome = await runFlow(flow, payload, progress, dbJobStore(env.db, job.id, env.owner, env.leaseMs), ctx, env.retry)
    renewal.stop()
    if (outcome !== 'PAUSED') {
      log.info({ outcome }, 'job finished')
      return outcome
    }
    if (abort.signal.reason instanceof LeaseLostError) return 'LOST'
    await releaseLease(env.db, job.id, env.owner)
    log.info('job paused; lease released')
    return 'PAUSED'
  } catch (err) {
    if (err instanceof LeaseLostError) log.warn('job taken over by another worker')
    else log.error({ err }, 'job stopped on an error; it resumes when its lease expires')
    return 'LOST'
  } finally {
    renewal.stop()
    env.stopSignal.removeEventListener('abort', onStop)
  }
}
