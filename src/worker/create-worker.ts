import type { Bus } from '../bus/bus.js'
import type { Config } from '../common/config/schema.js'
import type { Logger } from '../common/logging.js'
import type { Runnable } from '../common/runnable.js'
import type { Database } from '../db/database.js'
import type { AmphoraFlowDeps } from '../drivers/provider/amphora/amphora-flow-deps.js'
import { createProviderRegistry, defaultProviderDeps, type ProviderRegistry } from '../drivers/provider/registry.js'
import type { NetworkService } from '../network/network-service.js'
import { ControllerWorker } from './controller-worker.js'
import { defaultRetryPolicy, type RetryPolicy } from './engine/runner.js'
import { StatsCollector } from './stats-collector.js'
import { newWorkerId } from './worker-identity.js'

export interface WorkerDeps {
  readonly config: Config
  readonly database: Database
  readonly bus: Bus
  readonly network: NetworkService
  readonly log: Logger
  /** Provider drivers; default: the ones enabled in [api_settings] enabled_provider_drivers. */
  readonly providers?: ProviderRegistry
  /** The amphora provider's drivers; default: built from the configuration on first use. */
  readonly amphora?: () => AmphoraFlowDeps
  /** Task retry policy; default: 3 attempts, backoff 250 ms doubling up to 5 s. */
  readonly retry?: RetryPolicy
  /** Lease owner id; default: `<hostname>/<pid>/<random>`. */
  readonly workerId?: string
}

const AMPHORA_PROVIDERS = ['amphora', 'octavia']

/**
 * Builds the controller worker: runs the durable jobs the API records (see
 * ControllerWorker). When an amphora provider is enabled it also runs the
 * statistics collector (`[controller_worker] stats_poll_interval_ms`).
 */
export function createWorker(deps: WorkerDeps): Runnable {
  const log = deps.log.child({ component: 'worker' })
  const amphora = deps.amphora ?? defaultProviderDeps(deps.config, deps.log).amphora
  const providers = deps.providers ?? createProviderRegistry(deps.config,
    name => log.warn({ provider: name }, 'enabled provider driver is not implemented; its jobs fail'), { log: deps.log, amphora })
  const worker = new ControllerWorker({
    config: deps.config.controller_worker,
    database: deps.database,
    bus: deps.bus,
    network: deps.network,
    providers,
    log,
    id: deps.workerId ?? newWorkerId(),
    retry: deps.retry ?? defaultRetryPolicy,
  })
  const interval = deps.config.controller_worker.stats_poll_interval_ms
  const agentProviders = AMPHORA_PROVIDERS.filter(p => providers.has(p))
  if (interval <= 0 || agentProviders.length === 0) return worker
  const collector = new StatsCollector({
    db: deps.database.db, amphora, log: deps.log.child({ component: 'stats-collector' }), providers: agentProviders, intervalMs: interval,
  })
  return runTogether(worker, collector)
}

/** One Runnable (named after the first) that starts every part and is stopped when all are. */
function runTogether(first: Runnable, ...rest: Runnable[]): Runnable {
  const parts = [first, ...rest]
  return {
    name: first.name,
    start: async (signal: AbortSignal) => { for (const p of parts) await p.start(signal) },
    stopped: Promise.all(parts.map(p => p.stopped)).then(() => undefined),
  }
}
