/**
 * The agent's heartbeat sender (Octavia's amphora health daemon, for every
 * amphora of the host at once): every interval, one round that sends ONE v3
 * heartbeat per registered amphora to EVERY controller address, built from
 * the `show stat` of the amphora's running HAProxies. An amphora without a
 * running HAProxy still sends (empty listeners and pools), as Octavia's does.
 *
 * Cheap for many amphorae: one loop and one pair of sockets for the agent (no
 * per-amphora timer), at most `concurrency` amphorae read at once, rounds
 * strictly one after the other (a slow round delays the next, never overlaps
 * it), the counters written to one file per round.
 *
 * NOTE: Octavia's amphora sends each heartbeat to ONE controller address,
 * round-robin; this sender sends it to all of them, so that every health
 * manager sees every amphora. Health managers that share a database must
 * therefore add a message's stats deltas only once.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from '../../common/logging.js'
import type { Runnable } from '../../common/runnable.js'
import { encodeHeartbeat } from '../../amphora-api/heartbeat-codec.js'
import { LogThrottle } from '../../common/log-throttle.js'
import { readAmphoraStats, type AmphoraStatsReading, type StatsSource } from '../amphora-stats.js'
import { parseControllerAddress } from './controller-address.js'
import { forEachBounded } from './for-each-bounded.js'
import { buildHeartbeat, type AmphoraHeartbeatState } from './heartbeat-message.js'
import { loadHeartbeatState, saveHeartbeatState } from './heartbeat-state-file.js'
import { HeartbeatTransport, type ThrottledWarn } from './heartbeat-transport.js'

/** One amphora as the sender sees it at the start of a round. */
export interface HeartbeatTarget {
  readonly id: string
  /** The failure reason to report (heartbeat `failed`), or null. */
  readonly failed: string | null
  /** Stats sockets of its running HAProxies. */
  readonly sources: readonly StatsSource[]
}

/** Where the sender finds the amphorae to report (the AmphoraHost). */
export interface HeartbeatTargets {
  /** Every registered amphora: a synchronous snapshot without I/O or locks, taken once per round. */
  heartbeatTargets(): readonly HeartbeatTarget[]
}

export interface HeartbeatSenderOptions {
  /** `[health_manager] heartbeat_interval`, in ms. */
  readonly intervalMs: number
  /** HMAC key (`resolveHeartbeatKey`). */
  readonly key: string
  /** `[health_manager] controller_ip_port_list`; throws at construction on a bad entry. */
  readonly destinations: readonly string[]
  /** Seq and counters kept across restarts (agent-paths.ts heartbeatStateFile). */
  readonly stateFile: string
  readonly log: Logger
  /** Most amphorae whose statistics are read at once; default 16. */
  readonly concurrency?: number
  /** Longest wait for one HAProxy's `show stat`; default the interval, at most 5 s. */
  readonly statsTimeoutMs?: number
  /** Least time between two warnings of the same kind; default 60 s. */
  readonly warnIntervalMs?: number
}

const EMPTY_READING: AmphoraStatsReading = Object.freeze({ stats: { listeners: {}, pools: {} }, failures: [] })

export class HeartbeatSender implements Runnable {
  readonly name = 'heartbeat-sender'
  readonly #targets: HeartbeatTargets
  readonly #opts: HeartbeatSenderOptions
  readonly #warn: ThrottledWarn
  readonly #transport: HeartbeatTransport
  #states = new Map<string, AmphoraHeartbeatState>()
  #rounds = 0
  #resolveStopped!: () => void
  readonly stopped = new Promise<void>((r) => { this.#resolveStopped = r })

  constructor(targets: HeartbeatTargets, opts: HeartbeatSenderOptions) {
    this.#targets = targets
    this.#opts = Object.freeze({ ...opts })
    const throttle = new LogThrottle(opts.warnIntervalMs ?? 60_000)
    this.#warn = (key, fields, msg) => {
      const suppressed = throttle.take(key)
      if (suppressed !== null) opts.log.warn({ ...fields, ...(suppressed > 0 ? { suppressed } : {}) }, msg)
    }
    this.#transport = new HeartbeatTransport(opts.destinations.map(parseControllerAddress), this.#warn)
  }

  /** Rounds completed since start. */
  get rounds(): number { return this.#rounds }

  /**
   * Loads the saved state (an unreadable file is logged and ignored), sends
   * the first round at once and then one per interval until `signal` aborts;
   * `stopped` resolves after the round under way has finished and been saved.
   */
  async start(signal: AbortSignal): Promise<void> {
    const o = this.#opts
    this.#states = await loadHeartbeatState(o.stateFile).catch((err: unknown) => {
      o.log.warn({ err, file: o.stateFile }, 'heartbeat state unreadable; counters start from zero')
      return new Map<string, AmphoraHeartbeatState>()
    })
    o.log.info({ destinations: o.destinations, intervalMs: o.intervalMs }, 'heartbeat sender started')
    void this.#loop(signal).finally(() => {
      this.#transport.close()
      this.#resolveStopped()
    })
  }

  async #loop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const started = Date.now()
      // NOTE: #round handles its own failures; this guard only keeps an unexpected bug from ending the heartbeats.
      await this.#round(started).catch((err: unknown) => this.#warn('round', { err }, 'heartbeat round failed'))
      this.#rounds++
      const wait = this.#opts.intervalMs - (Date.now() - started)
      if (wait > 0) await sleep(wait, undefined, { signal }).catch(() => undefined)
    }
  }

  /**
   * One heartbeat per amphora, then the state saved. Never throws.
   * NOTE: each heartbeat leaves as soon as it is built (a slow HAProxy must
   * not delay the others) and the state is saved once at the end: an agent
   * killed in between sends that round's deltas once more after its restart
   * (at most one interval of traffic counted twice), never loses them.
   */
  async #round(now: number): Promise<void> {
    const o = this.#opts
    const targets = this.#targets.heartbeatTargets()
    await this.#transport.refresh()
    await forEachBounded(targets, o.concurrency ?? 16, (t) => this.#beat(t, now),
      (t, err) => this.#warn('beat', { err, amphoraId: t.id }, 'cannot build heartbeat'))
    const ids = new Set(targets.map((t) => t.id))
    for (const id of this.#states.keys()) if (!ids.has(id)) this.#states.delete(id)
    await saveHeartbeatState(o.stateFile, this.#states)
      .catch((err: unknown) => this.#warn('state', { err, file: o.stateFile }, 'cannot save heartbeat state'))
  }

  async #beat(t: HeartbeatTarget, now: number): Promise<void> {
    const o = this.#opts
    const reading = t.sources.length === 0 ? EMPTY_READING
      : await readAmphoraStats(t.sources, o.statsTimeoutMs ?? Math.min(Math.max(o.intervalMs, 100), 5000))
    for (const f of reading.failures) {
      this.#warn('stats', { err: f.error, amphoraId: t.id, lbId: f.lbId }, 'no statistics from haproxy for the heartbeat')
    }
    const { message, state } = buildHeartbeat({ amphoraId: t.id, reading, previous: this.#states.get(t.id), now, failed: t.failed })
    this.#states.set(t.id, state)
    await this.#transport.send(encodeHeartbeat(message, o.key), t.id)
  }
}
