import type { Bus } from '../bus/bus.js'
import type { Config } from '../common/config/schema.js'
import type { Logger } from '../common/logging.js'
import type { Runnable } from '../common/runnable.js'
import type { Database } from '../db/database.js'
import type { NetworkService } from '../network/network-service.js'

export interface WorkerDeps {
  readonly config: Config
  readonly database: Database
  readonly bus: Bus
  readonly network: NetworkService
  readonly log: Logger
}

/** Builds the controller worker (not yet implemented: a Runnable that does nothing). */
export function createWorker(_deps: WorkerDeps): Runnable {
  let stop!: () => void
  const stopped = new Promise<void>(r => { stop = r })
  return { name: 'worker', stopped, start: async signal => { signal.addEventListener('abort', () => stop(), { once: true }) } }
}
