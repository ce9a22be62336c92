import type { Kysely } from 'kysely'
import type { DB } from '../../../db/schema.js'
import {
  findListenerStatistics, saveListenerStatistics, type ListenerCounters,
} from '../../../db/repositories/listener-statistics-repository.js'
import type { AmphoraStats } from '../../amphora/agent-api.js'

/** The cumulative counters of one HAProxy frontend, as `show stat` gives them. */
interface Raw {
  readonly rx: number
  readonly tx: number
  readonly totconns: number
  readonly ereq: number
}

/**
 * Turns the counters an agent reports (those of the HAProxy process running
 * now: a hitless reload starts a new process whose counters begin at zero)
 * into ever-growing `listener_statistics` rows: each read adds what grew
 * since the previous read of the same amphora.
 *
 * - Reads (`collect`) and reloads (`reloading`) of one amphora are
 *   serialised, so a read sees either the old process or the new one, and
 *   the first read after a reload counts from zero.
 * - A counter that went down also means a new process (a restart we did not
 *   make).
 * - The first read of a listener without a row counts everything; the first
 *   read after this process started, when a row exists already, only sets the
 *   baseline.
 * - What the old process counted since the last read is lost at a reload
 *   (at most one statistics interval; Octavia's amphorae lose it too).
 * `active_connections` is written as reported.
 *
 * NOTE: the baseline lives in this process: run ONE collector per
 * deployment (two would both add the growth).
 */
export class ListenerStatsAccumulator {
  readonly #last = new Map<string, Raw>()
  readonly #reloaded = new Set<string>()
  readonly #chains = new Map<string, Promise<unknown>>()

  /**
   * Runs `fn`, which reloads, restarts or removes the HAProxy of (a load
   * balancer on) this amphora, serialised with reads; the next read counts
   * from zero (also when `fn` failed: the process may have changed anyway).
   */
  reloading<T>(amphoraId: string, fn: () => Promise<T>): Promise<T> {
    return this.#serial(amphoraId, async () => {
      try {
        return await fn()
      } finally {
        this.#reloaded.add(amphoraId)
      }
    })
  }

  /** Reads an amphora's statistics with `fetch` (serialised with reloads) and adds them to the database; returns them. */
  collect(db: Kysely<DB>, amphoraId: string, fetch: () => Promise<AmphoraStats>): Promise<AmphoraStats> {
    return this.#serial(amphoraId, async () => {
      const stats = await fetch()
      await this.#record(db, amphoraId, stats)
      return stats
    })
  }

  async #record(db: Kysely<DB>, amphoraId: string, stats: AmphoraStats): Promise<void> {
    const fresh = this.#reloaded.delete(amphoraId)
    for (const [listenerId, entry] of Object.entries(stats.listeners)) {
      const raw: Raw = { rx: entry.stats.rx, tx: entry.stats.tx, totconns: entry.stats.totconns, ereq: entry.stats.ereq }
      const key = `${amphoraId}/${listenerId}`
      const last = this.#last.get(key)
      this.#last.set(key, raw)
      const row = await findListenerStatistics(db, listenerId, amphoraId)
      const grown = growth(raw, last, fresh, row !== undefined)
      const base: ListenerCounters = row ?? { bytes_in: 0, bytes_out: 0, active_connections: 0, total_connections: 0, request_errors: 0 }
      await saveListenerStatistics(db, listenerId, amphoraId, {
        bytes_in: Number(base.bytes_in) + grown.rx,
        bytes_out: Number(base.bytes_out) + grown.tx,
        total_connections: Number(base.total_connections) + grown.totconns,
        request_errors: Number(base.request_errors) + grown.ereq,
        active_connections: entry.stats.conns,
      })
    }
  }

  /** Forgets an amphora (deleted). */
  forget(amphoraId: string): void {
    this.#reloaded.delete(amphoraId)
    for (const key of [...this.#last.keys()]) if (key.startsWith(`${amphoraId}/`)) this.#last.delete(key)
  }

  #serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#chains.get(key) ?? Promise.resolve()
    const next = prev.then(fn, fn)
    const settled = next.then(() => undefined, () => undefined)
    this.#chains.set(key, settled)
    void settled.then(() => { if (this.#chains.get(key) === settled) this.#chains.delete(key) })
    return next
  }
}

const ZERO: Raw = { rx: 0, tx: 0, totconns: 0, ereq: 0 }

/** What grew since `last` (see the class comment for the cases). */
export function growth(raw: Raw, last: Raw | undefined, fresh: boolean, hasRow: boolean): Raw {
  if (fresh) return raw
  if (last === undefined) return hasRow ? ZERO : raw
  if (raw.rx < last.rx || raw.tx < last.tx || raw.totconns < last.totconns || raw.ereq < last.ereq) return raw
  return { rx: raw.rx - last.rx, tx: raw.tx - last.tx, totconns: raw.totconns - last.totconns, ereq: raw.ereq - last.ereq }
}
