/**
 * One amphora's v3 heartbeat (controlplane.md §5) from its merged HAProxy
 * statistics and what was sent last: listener counters become deltas since
 * the previous message (`conns` stays absolute), `seq` keeps increasing.
 * Pure: the caller keeps the returned state for the next message.
 */
import type { Heartbeat, HeartbeatListener } from '../../amphora-api/heartbeat-codec.js'
import type { AmphoraStatsReading } from '../amphora-stats.js'

/** Absolute counters of one listener as last sent. */
export interface ListenerCounters {
  readonly rx: number
  readonly tx: number
  readonly totconns: number
  readonly ereq: number
}

/** What the sender remembers of one amphora between two heartbeats (and, persisted, across agent restarts). */
export interface AmphoraHeartbeatState {
  /** seq of the last message built. */
  readonly seq: number
  readonly listeners: Readonly<Record<string, ListenerCounters>>
}

export interface HeartbeatInput {
  readonly amphoraId: string
  readonly reading: AmphoraStatsReading
  /** State after the previous message; undefined for the first one (counters count from zero). */
  readonly previous: AmphoraHeartbeatState | undefined
  /** Date.now() of this round. */
  readonly now: number
  /** The amphora's failure reason (heartbeat `failed`), or null. */
  readonly failed: string | null
}

/**
 * `current - last` per metric; a counter that went down (HAProxy restarted
 * or reloaded, which resets its counters) counts from zero: the delta is the
 * new value, as Octavia's amphora does.
 */
export function counterDeltas(current: ListenerCounters, last: ListenerCounters | undefined): ListenerCounters {
  const delta = (m: keyof ListenerCounters): number => {
    const before = last?.[m] ?? 0
    return current[m] >= before ? current[m] - before : current[m]
  }
  return { rx: delta('rx'), tx: delta('tx'), totconns: delta('totconns'), ereq: delta('ereq') }
}

/**
 * seq of the next message: `max(previous + 1, now)`. Strictly increasing
 * within a process, and across agent restarts without persisting anything
 * as long as the clock does not go back (the health manager drops
 * seq <= the last it saw as a replay); the persisted previous seq covers a
 * clock that went back.
 */
export function nextSeq(previous: number | undefined, now: number): number {
  return Math.max((previous ?? 0) + 1, Math.floor(now))
}

/**
 * The heartbeat and the state to keep. Pools and member statuses pass
 * through as HAProxy reported them (UP, DOWN, DRAIN, MAINT, `no check`).
 * Counters of a listener absent from this reading are kept only when some
 * HAProxy of the amphora did not answer (it is presumably still there and
 * its counters must not count twice later); otherwise the listener is gone
 * and forgotten.
 */
export function buildHeartbeat(input: HeartbeatInput): { readonly message: Heartbeat; readonly state: AmphoraHeartbeatState } {
  const { stats, failures } = input.reading
  const prev = input.previous?.listeners ?? {}
  const listeners: Record<string, HeartbeatListener> = {}
  const counters: Record<string, ListenerCounters> = failures.length > 0 ? { ...prev } : {}
  for (const [id, l] of Object.entries(stats.listeners)) {
    const current: ListenerCounters = { rx: l.stats.rx, tx: l.stats.tx, totconns: l.stats.totconns, ereq: l.stats.ereq }
    const d = counterDeltas(current, prev[id])
    listeners[id] = { status: l.status, stats: { tx: d.tx, rx: d.rx, conns: l.stats.conns, totconns: d.totconns, ereq: d.ereq } }
    counters[id] = current
  }
  const seq = nextSeq(input.previous?.seq, input.now)
  const message: Heartbeat = {
    id: input.amphoraId, seq, ver: 3, listeners, pools: stats.pools,
    ...(input.failed !== null ? { failed: input.failed } : {}),
  }
  return { message, state: { seq, listeners: counters } }
}
