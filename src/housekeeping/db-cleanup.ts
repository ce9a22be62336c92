import type { Config } from '../common/config/schema.js'
import type { Logger } from '../common/logging.js'
import type { Runnable } from '../common/runnable.js'
import type { Database } from '../db/database.js'
import { purgeExpired, type PurgeCounts } from '../db/repositories/housekeeping-repository.js'

/**
 * Housekeeping's database cleanup (Octavia's `DatabaseCleanup`): every
 * `[house_keeping] cleanup_interval` seconds (with up to 10 % jitter, so that
 * several processes spread out) it purges expired DELETED load balancers and
 * amphorae and finished jobs. A failed round is logged and retried next round.
 */
export class DatabaseCleanup implements Runnable {
  readonly name = 'housekeeping-db-cleanup'
  readonly #settings: Config['house_keeping']
  readonly #database: Database
  readonly #log: Logger
  #timer: NodeJS.Timeout | null = null
  #resolveStopped!: () => void
  readonly stopped = new Promise<void>(r => { this.#resolveStopped = r })

  constructor(settings: Config['house_keeping'], deps: { database: Database; log: Logger }) {
    this.#settings = settings
    this.#database = deps.database
    this.#log = deps.log.child({ component: 'housekeeping' })
  }

  async start(signal: AbortSignal): Promise<void> {
    const schedule = () => {
      const ms = this.#settings.cleanup_interval * 1000 * (1 + Math.random() * 0.1)
      this.#timer = setTimeout(() => void this.runOnce().finally(() => { if (!signal.aborted) schedule() }), ms)
    }
    schedule()
    signal.addEventListener('abort', () => {
      if (this.#timer) clearTimeout(this.#timer)
      this.#resolveStopped()
    }, { once: true })
  }

  /** One cleanup round; never throws. */
  async runOnce(now = new Date()): Promise<PurgeCounts | null> {
    try {
      const counts = await purgeExpired(this.#database.db, now, {
        loadBalancer: this.#settings.load_balancer_expiry_age,
        amphora: this.#settings.amphora_expiry_age,
        job: this.#settings.job_expiry_age,
      })
      if (counts.loadBalancers + counts.amphorae + counts.jobs > 0) this.#log.info({ ...counts }, 'purged expired rows')
      return counts
    } catch (err) {
      this.#log.warn({ err }, 'database cleanup failed; retrying next round')
      return null
    }
  }
}
