import type { Executor } from '../db/database.js'
import type { Bus } from '../bus/bus.js'
import type { Config } from '../common/config/schema.js'
import type { Logger } from '../common/logging.js'
import type { Runnable } from '../common/runnable.js'
import type { Database } from '../db/database.js'
import type { ProviderRegistry } from './providers/registry.js'
import type { NetworkService } from '../model/network-service.js'
import { ControllerWorker } from './controller-worker.js'
import { defaultRetryPolicy, type RetryPolicy } from './engine/runner.js'
import { newWorkerId } from './worker-identity.js'

export interface WorkerDeps {
  readonly config: Pick<Config, 'controller_worker'>
  readonly database: Database
  readonly bus: Bus
  readonly network: NetworkService<Executor>
  readonly log: Logger
  /** The enabled provider drivers (src/cmd/compose.ts builds them). */
  readonly providers: ProviderRegistry
  /** Task retry policy; default: 3 attempts, backoff 250 ms doubling up to 5 s. */
  readonly retry?: RetryPolicy
  /** Lease owner id; default: `<hostname>/<pid>/<random>`. */
  readonly workerId?: string
  /** Milliseconds between two unprompted job scans; default `[controller_worker] job_poll_interval_ms`. */
  readonly pollIntervalMs?: number
}

/**
 * Builds the controller worker: runs the durable jobs the API records (see
 * ControllerWorker). Listener statistics and operating statuses come from
 * the amphorae's heartbeats (the health manager), not from the worker.
 */
export function createWorker(deps: WorkerDeps): Runnable {
  const log = deps.log.child({ component: 'worker' })
  return new ControllerWorker({
    config: deps.config.controller_worker,
    database: deps.database,
    bus: deps.bus,
    network: deps.network,
    providers: deps.providers,
    log,
    id: deps.workerId ?? newWorkerId(),
    retry: deps.retry ?? defaultRetryPolicy,
    pollIntervalMs: deps.pollIntervalMs,
  })
}
