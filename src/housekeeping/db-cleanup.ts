import type { Config } from '../common/config/schema.js'
import type { Logger } from '../common/logging.js'
import type { Runnable } from '../common/runnable.js'
import type { Database } from '../db/database.js'
import { purgeExpired, type PurgeCounts } from '../db/repositories/housekeeping-repository.js'
import { PeriodicJob, type RoundCounts } from './periodic-job.js'

/**
 * Housekeeping's database cleanup (Octavia's `DatabaseCleanup`): every
 * `[house_keeping] cleanup_interval` seconds (jittered by PeriodicJob: first
 * round after a random fraction of the interval, later ones ± 10 %, so that
 * several processes spread out) it purges expired DELETED load balancers and
 * amphorae and finished jobs. A failed round is logged and retried next round.
 */
export class DatabaseCleanup implements Runnable {
  readonly name = 'housekeeping-db-cleanup'
  readonly #settings: Config['house_keeping']
  readonly #database: Database
  readonly #log: Logger
  readonly #job: PeriodicJob

  constructor(settings: Config['house_keeping'], deps: { database: Database; log: Logger }) {
    this.#settings = settings
    this.#database = deps.database
    this.#log = deps.log.child({ component: 'housekeeping' })
    this.#job = new PeriodicJob({
      name: this.name,
      intervalMs: settings.cleanup_interval * 1000,
      log: this.#log,
      run: async (): Promise<RoundCounts> => ({ ...await this.#purge(new Date()) }),
    })
  }

  get stopped(): Promise<void> { return this.#job.stopped }

  start(signal: AbortSignal): Promise<void> { return this.#job.start(signal) }

  /** One cleanup round; never throws (a failure is logged and answers null). */
  async runOnce(now = new Date()): Promise<PurgeCounts | null> {
    try {
      return await this.#purge(now)
    } catch (err) {
      this.#log.warn({ err }, 'database cleanup failed; retrying next round')
      return null
    }
  }

  #purge(now: Date): Promise<PurgeCounts> {
    return purgeExpired(this.#database.db, now, {
      loadBalancer: this.#settings.load_balancer_expiry_age,
      amphora: this.#settings.amphora_expiry_age,
      job: this.#settings.job_expiry_age,
    })
  }
}
