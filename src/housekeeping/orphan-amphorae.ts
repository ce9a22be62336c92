import { performance } from 'node:perf_hooks'
import type { AmphoraInventory } from '../amphora-api/agent-api.js'
import type { Config } from '../common/config/schema.js'
import type { Logger } from '../common/logging.js'
import type { Runnable } from '../common/runnable.js'
import type { Database } from '../db/database.js'
import { liveAmphoraIds } from '../db/repositories/amphora-repository.js'
import type { AgentEndpoint, CallOptions } from '../drivers/amphora/amphora-driver.js'
import type { ComputeDriver } from '../drivers/compute/compute-driver.js'
import { hostAmphorae, type HostAmphora } from './orphan-candidates.js'
import { PeriodicJob } from './periodic-job.js'

/** What the sweep asks of this host's agent (the REST AgentClient). */
export interface HostAgent {
  listAmphorae(ep: AgentEndpoint, o?: CallOptions): Promise<AmphoraInventory>
  deleteAmphora(ep: AgentEndpoint, amphoraId: string, o?: CallOptions): Promise<void>
  /** Closes its connections (when the sweep stops). */
  close?(): Promise<void>
}

/** The sweep's counters since it started, for the future `/metrics` (Prometheus style). */
export interface OrphanCounters {
  /** Gauge: orphans the last round found and left in place (removal off, or failed). */
  readonly present: number
  /** Counter: orphans found, each once for as long as it stays. */
  readonly found: number
  /** Counter: orphans removed. */
  readonly removed: number
  /** Counter: removals that failed (retried next round). */
  readonly failed: number
  /** Counter: rounds run (the one at start included). */
  readonly rounds: number
}

/** What one round found and did (logged with the round). */
export interface SweepCounts {
  readonly orphans: number
  readonly removed: number
  readonly failed: number
}

/** One orphan: a HostAmphora proven ours (with its evidence) that no live amphora row owns. */
type Orphan = HostAmphora

/** Agent calls of a sweep retry briefly: the next round tries again anyway. */
const AGENT_RETRIES = 3
/** Orphans removed at once. */
const REMOVALS_AT_ONCE = 4

/**
 * Orphan amphorae of this host (Octavia's housekeeping and health manager
 * deal with "zombie" amphorae: alive, but DELETED in the database): the
 * amphorae this deployment's agent and compute driver find on this host
 * (orphan-candidates.ts says what proves one ours) that no amphora row owns,
 * because the row is missing (the database was reset, the state directory
 * deleted) or DELETED (a clean-up failed). Each is logged with its evidence
 * and counted (`counters`), and removed when `[house_keeping]
 * remove_orphan_amphorae` is true: the agent ends its processes and files
 * (`DELETE /amphorae/{id}`), the compute driver deletes its instance (netns:
 * the namespace with its veths). Otherwise it stays, and so does the address
 * it holds.
 *
 * One round at start — awaited, so that it is done before the worker hands
 * out VIPs an orphan may still hold — then one every `orphan_interval`
 * seconds. The host is read before the database: a row is written before its
 * amphora's namespace, registration or processes exist, so an amphora being
 * built is never taken for an orphan. A periodic round removes only what the
 * previous round found too, so one look at an amphora mid-change never
 * removes it.
 */
export class OrphanAmphorae implements Runnable {
  readonly name = 'housekeeping-orphan-amphorae'
  readonly #settings: Config['house_keeping']
  readonly #deps: OrphanAmphoraeDeps
  readonly #log: Logger
  readonly #job: PeriodicJob
  readonly #agent: () => Promise<HostAgent>
  #agentMade: Promise<HostAgent> | null = null
  readonly stopped: Promise<void>
  /** Orphans of the last round, by id. */
  #present = new Set<string>()
  #counters = { found: 0, removed: 0, failed: 0, rounds: 0 }

  constructor(settings: Config['house_keeping'], deps: OrphanAmphoraeDeps) {
    this.#settings = settings
    this.#deps = deps
    this.#log = deps.log.child({ component: 'housekeeping', job: this.name })
    this.#job = new PeriodicJob({
      name: this.name, intervalMs: settings.orphan_interval * 1000, log: deps.log.child({ component: 'housekeeping' }),
      run: async (signal) => ({ ...await this.runOnce(signal, { confirmed: true }) }),
    })
    this.#agent = () => (this.#agentMade ??= deps.agent().catch((err: unknown) => { this.#agentMade = null; throw err }))
    this.stopped = this.#job.stopped.then(async () => { await (await this.#agentMade?.catch(() => null))?.close?.() })
  }

  /** The counters since start. */
  get counters(): OrphanCounters {
    return { present: this.#present.size, ...this.#counters }
  }

  /** Runs the round at start (a failure is logged, never thrown), then schedules the periodic ones. */
  async start(signal: AbortSignal): Promise<void> {
    const started = performance.now()
    try {
      const counts = await this.runOnce(signal)
      this.#log.info({ ...counts, durationMs: Math.round(performance.now() - started) }, 'orphan amphorae looked for at start')
    } catch (err) {
      this.#log.warn({ err }, 'could not look for orphan amphorae at start; retrying next round')
    }
    await this.#job.start(signal)
  }

  /**
   * One round; throws when the agent or the database cannot be read.
   * `confirmed`: remove only orphans the previous round found too.
   */
  async runOnce(signal: AbortSignal = new AbortController().signal, o: { confirmed?: boolean } = {}): Promise<SweepCounts> {
    const orphans = await this.#find(signal)
    const previous = this.#present
    this.#counters.rounds++
    this.#counters.found += orphans.filter((x) => !previous.has(x.amphoraId)).length
    for (const x of orphans) {
      // warn once per orphan; later rounds that find it again only at debug level
      this.#log[previous.has(x.amphoraId) ? 'debug' : 'warn']({
        amphoraId: x.amphoraId, computeId: x.computeId, evidence: x.evidence, pids: x.pids,
        remove: this.#settings.remove_orphan_amphorae,
      }, 'orphan amphora: no amphora row owns it')
    }
    const due = !this.#settings.remove_orphan_amphorae ? []
      : o.confirmed === true ? orphans.filter((x) => previous.has(x.amphoraId)) : orphans
    const outcomes = await this.#removeAll(due, signal)
    const removed = new Set(due.filter((_, i) => outcomes[i]).map((x) => x.amphoraId))
    const failed = due.length - removed.size
    this.#counters.removed += removed.size
    this.#counters.failed += failed
    this.#present = new Set(orphans.map((x) => x.amphoraId).filter((id) => !removed.has(id)))
    return { orphans: orphans.length, removed: removed.size, failed }
  }

  /** The host first, then the database (see the class doc); an instance without agent evidence needs our owner mark. */
  async #find(signal: AbortSignal): Promise<Orphan[]> {
    const d = this.#deps
    const agent = await this.#agent()
    const [inventory, instances] = await Promise.all([
      agent.listAmphorae(d.endpoint, { signal, maxRetries: AGENT_RETRIES }),
      d.compute.hostInstances(),
    ])
    const found = hostAmphorae(inventory, instances)
    const live = await liveAmphoraIds(d.database.db, found.map((x) => x.amphoraId))
    const orphans: Orphan[] = []
    for (const x of found) {
      if (live.has(x.amphoraId)) continue
      if (x.evidence.length > 0) orphans.push(x)
      else if (x.computeId !== null && await d.compute.ownedHere(x.computeId)) orphans.push({ ...x, evidence: ['owner-mark'] })
    }
    return orphans
  }

  /** Removes `orphans`, REMOVALS_AT_ONCE at a time; true for each one removed. */
  async #removeAll(orphans: readonly Orphan[], signal: AbortSignal): Promise<boolean[]> {
    const outcomes: boolean[] = []
    let next = 0
    const worker = async (): Promise<void> => {
      for (let i = next++; i < orphans.length; i = next++) outcomes[i] = await this.#remove(orphans[i] as Orphan, signal)
    }
    await Promise.all(Array.from({ length: Math.min(REMOVALS_AT_ONCE, orphans.length) }, worker))
    return outcomes
  }

  /** The agent ends its processes and files, then the compute driver deletes its instance. Never throws. */
  async #remove(x: Orphan, signal: AbortSignal): Promise<boolean> {
    const d = this.#deps
    const log = this.#log.child({ amphoraId: x.amphoraId, computeId: x.computeId })
    let ok = true
    try {
      await (await this.#agent()).deleteAmphora(d.endpoint, x.amphoraId, { signal, maxRetries: AGENT_RETRIES })
    } catch (err) {
      // the instance delete below still ends what runs in the namespace
      log.error({ err }, 'the agent could not remove the orphan amphora')
      ok = false
    }
    try {
      if (x.computeId !== null) await d.compute.delete(x.computeId, signal)
    } catch (err) {
      log.error({ err }, 'could not delete the orphan amphora\'s instance')
      ok = false
    }
    if (ok) log.warn({ evidence: x.evidence }, 'orphan amphora removed')
    return ok
  }
}

/** What the sweep works with. */
export interface OrphanAmphoraeDeps {
  readonly database: Database
  /** This host's compute driver (netns, loopback). */
  readonly compute: ComputeDriver
  /** Creates this host's agent client, on first use (a failure fails that round; the next one tries again). */
  readonly agent: () => Promise<HostAgent>
  /** Where this host's agent listens. */
  readonly endpoint: AgentEndpoint
  readonly log: Logger
}
