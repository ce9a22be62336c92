/**
 * What one batch of heartbeats changes (controlplane.md §6), decided without
 * I/O from the heartbeats and the stored state (HealthSnapshot): liveness
 * rows to upsert, operating statuses that differ from the stored ones,
 * listener statistics deltas, amphorae reported broken, and what was
 * dropped and why. The heartbeat processor loads the snapshot, calls
 * planHealthUpdates, and writes the plan in one transaction.
 */
import type { HealthBeat } from '../db/repositories/amphora-health-repository.js'
import { statsKey, type HealthLoadBalancer, type HealthSnapshot } from '../db/repositories/health-snapshot-repository.js'
import type { ListenerStatsDelta } from '../db/repositories/listener-statistics-repository.js'
import type { OperatingStatusChanges } from '../db/repositories/operating-status-batch-repository.js'
import { AmphoraStatus, isPending } from '../model/statuses.js'
import type { Heartbeat } from '../amphora-api/heartbeat-codec.js'
import { deriveOperatingStatuses, type StatusModel } from './operating-status-rules.js'

/** A heartbeat waiting to be processed, with its receive time (epoch ms). */
export interface QueuedHeartbeat {
  readonly msg: Heartbeat
  readonly recvTime: number
}

/** Everything one batch changes and drops. */
export interface HealthPlan {
  readonly liveness: readonly HealthBeat[]
  /** Operating statuses that differ from the stored ones. */
  readonly statuses: OperatingStatusChanges
  readonly stats: readonly ListenerStatsDelta[]
  /** Amphorae whose agent reported them broken (`failed`), with the reason. */
  readonly failed: readonly { readonly amphoraId: string; readonly loadBalancerId: string; readonly reason: string }[]
  /** Heartbeats of amphora ids without a row (dropped). */
  readonly unknown: readonly string[]
  /** Heartbeats of amphorae that are DELETED or have no live load balancer (dropped). */
  readonly orphans: readonly string[]
  /** Amphorae whose reported listener count differs from the enabled listeners: no liveness update. */
  readonly listenerMismatches: readonly { readonly amphoraId: string; readonly loadBalancerId: string; readonly reported: number; readonly expected: number }[]
  /** Amphorae whose newest heartbeat waited `heartbeatIntervalMs` or more: no liveness or status update (stats still added). */
  readonly late: readonly string[]
}

export interface PlanOptions {
  /** Processing time (epoch ms). */
  readonly now: number
  /** `[health_manager] heartbeat_interval` in ms: a heartbeat processed that late is too old to prove liveness. */
  readonly heartbeatIntervalMs: number
}

/** The heartbeats of one amphora in a batch: the newest (highest seq) and all of them. */
interface AmphoraBeats {
  readonly newest: QueuedHeartbeat
  readonly all: readonly QueuedHeartbeat[]
}

function byAmphora(batch: readonly QueuedHeartbeat[]): Map<string, AmphoraBeats> {
  const out = new Map<string, { newest: QueuedHeartbeat; all: QueuedHeartbeat[] }>()
  for (const hb of batch) {
    const seen = out.get(hb.msg.id)
    if (!seen) out.set(hb.msg.id, { newest: hb, all: [hb] })
    else {
      seen.all.push(hb)
      if (hb.msg.seq > seen.newest.msg.seq) seen.newest = hb
    }
  }
  return out
}

/** Stored statuses of one load balancer, updated as the batch's heartbeats are applied in turn. */
class WorkingStatuses {
  readonly lb = new Map<string, string>()
  readonly listeners = new Map<string, string>()
  readonly pools = new Map<string, string>()
  readonly members = new Map<string, string>()

  model(lb: HealthLoadBalancer): StatusModel {
    const cur = (m: Map<string, string>, id: string, stored: string): string => m.get(id) ?? stored
    return {
      lb: { enabled: lb.enabled, provisioningStatus: lb.provisioningStatus, operatingStatus: cur(this.lb, lb.id, lb.operatingStatus) },
      listeners: lb.listeners.map(l => ({ id: l.id, enabled: l.enabled, operatingStatus: cur(this.listeners, l.id, l.operatingStatus) })),
      pools: lb.pools.map(p => ({
        id: p.id, operatingStatus: cur(this.pools, p.id, p.operatingStatus),
        members: p.members.map(m => ({ id: m.id, operatingStatus: cur(this.members, m.id, m.operatingStatus) })),
      })),
    }
  }
}

/** What must be written: working statuses that differ from the stored ones. */
function statusWrites(lbs: ReadonlyMap<string, HealthLoadBalancer>, work: WorkingStatuses): OperatingStatusChanges {
  const out = { loadBalancers: new Map<string, string>(), listeners: new Map<string, string>(), pools: new Map<string, string>(), members: new Map<string, string>() }
  for (const lb of lbs.values()) {
    const s = work.lb.get(lb.id)
    if (s !== undefined && s !== lb.operatingStatus) out.loadBalancers.set(lb.id, s)
    for (const l of lb.listeners) {
      const ls = work.listeners.get(l.id)
      if (ls !== undefined && ls !== l.operatingStatus) out.listeners.set(l.id, ls)
    }
    for (const p of lb.pools) {
      const ps = work.pools.get(p.id)
      if (ps !== undefined && ps !== p.operatingStatus) out.pools.set(p.id, ps)
      for (const m of p.members) {
        const ms = work.members.get(m.id)
        if (ms !== undefined && ms !== m.operatingStatus) out.members.set(m.id, ms)
      }
    }
  }
  return out
}

/** A reported counter as a non-negative integer (anything else counts as 0). */
const counter = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.trunc(v) : 0)

/**
 * The statistics rows of one amphora: one per heartbeat and listener of its
 * load balancer, in seq order (each heartbeat's deltas are added on their
 * own, so that health managers that batch differently agree on what was
 * added: addListenerStatistics). A row whose deltas are all zero and whose
 * active connections equal the value before it is skipped (nothing would
 * change).
 */
function statsOf(amphoraId: string, beats: AmphoraBeats, lb: HealthLoadBalancer, stored: ReadonlyMap<string, number>): ListenerStatsDelta[] {
  const known = new Set(lb.listeners.map(l => l.id))
  const conns = new Map<string, number | undefined>()
  const out: ListenerStatsDelta[] = []
  for (const { msg } of [...beats.all].sort((a, b) => a.msg.seq - b.msg.seq)) {
    for (const [listenerId, l] of Object.entries(msg.listeners)) {
      if (!known.has(listenerId) || l.stats === undefined) continue
      const row: ListenerStatsDelta = {
        listenerId, amphoraId, seq: msg.seq, bytesIn: counter(l.stats.rx), bytesOut: counter(l.stats.tx),
        totalConnections: counter(l.stats.totconns), requestErrors: counter(l.stats.ereq), activeConnections: counter(l.stats.conns),
      }
      const before = conns.has(listenerId) ? conns.get(listenerId) : stored.get(statsKey(listenerId, amphoraId))
      conns.set(listenerId, row.activeConnections)
      const unchanged = row.bytesIn + row.bytesOut + row.totalConnections + row.requestErrors === 0 && before === row.activeConnections
      if (!unchanged) out.push(row)
    }
  }
  return out
}

/** Listener protocols HAProxy does not serve (the datagram balancer's); see listenerCounts. */
const DATAGRAM_PROTOCOLS = new Set(['UDP', 'SCTP'])

/**
 * Octavia's liveness rule: the number of listeners a heartbeat reports must
 * equal the enabled listeners of the load balancer, unless it is PENDING_*
 * or disabled (then `expected` is null: not checked). UDP and SCTP listeners
 * count on neither side: the amphorae's HAProxies do not serve them, and
 * counting them would fail every amphora of such a load balancer over
 * forever (Octavia discounts them too for amphorae that do not report them).
 */
export function listenerCounts(lb: Pick<HealthLoadBalancer, 'enabled' | 'provisioningStatus' | 'listeners'>, msg: Pick<Heartbeat, 'listeners'>): {
  readonly expected: number | null; readonly reported: number
} {
  const datagram = new Set(lb.listeners.filter(l => DATAGRAM_PROTOCOLS.has(l.protocol)).map(l => l.id))
  const reported = Object.keys(msg.listeners).filter(id => !datagram.has(id)).length
  if (isPending(lb.provisioningStatus) || !lb.enabled) return { expected: null, reported }
  return { expected: lb.listeners.filter(l => l.enabled && !datagram.has(l.id)).length, reported }
}

/**
 * Plans one batch (see the module comment). Per amphora, in the order of
 * first arrival: unknown ids and amphorae without a live load balancer (or
 * DELETED) are dropped; otherwise stats deltas are added; a `failed` report
 * asks for a failover and skips liveness and statuses; a heartbeat
 * processed `heartbeatIntervalMs` or more after it arrived skips them too
 * (Octavia's "processed too slowly"); otherwise liveness is recorded unless
 * the listener count mismatches, and the operating statuses are derived
 * from the newest heartbeat. Several amphorae of one load balancer
 * (ACTIVE_STANDBY) are applied in turn, the later winning.
 */
export function planHealthUpdates(batch: readonly QueuedHeartbeat[], snap: HealthSnapshot, opts: PlanOptions): HealthPlan {
  const liveness: HealthBeat[] = []
  const stats: ListenerStatsDelta[] = []
  const failed: { amphoraId: string; loadBalancerId: string; reason: string }[] = []
  const unknown: string[] = []
  const orphans: string[] = []
  const listenerMismatches: { amphoraId: string; loadBalancerId: string; reported: number; expected: number }[] = []
  const late: string[] = []
  const work = new WorkingStatuses()
  for (const [amphoraId, beats] of byAmphora(batch)) {
    const amp = snap.amphorae.get(amphoraId)
    if (!amp) { unknown.push(...beats.all.map(() => amphoraId)); continue }
    const lb = amp.loadBalancerId === null ? undefined : snap.loadBalancers.get(amp.loadBalancerId)
    if (!lb || amp.status === AmphoraStatus.DELETED) { orphans.push(...beats.all.map(() => amphoraId)); continue }
    stats.push(...statsOf(amphoraId, beats, lb, snap.activeConnections))
    const { msg, recvTime } = beats.newest
    if (msg.failed !== undefined) { failed.push({ amphoraId, loadBalancerId: lb.id, reason: msg.failed }); continue }
    if (opts.now - recvTime >= opts.heartbeatIntervalMs) { late.push(amphoraId); continue }
    const { expected, reported } = listenerCounts(lb, msg)
    if (expected === null || expected === reported) liveness.push({ amphoraId, lastUpdate: recvTime })
    else listenerMismatches.push({ amphoraId, loadBalancerId: lb.id, reported, expected })
    const changes = deriveOperatingStatuses(msg, work.model(lb))
    if (changes.loadBalancer !== null) work.lb.set(lb.id, changes.loadBalancer)
    for (const [id, s] of Object.entries(changes.listeners)) work.listeners.set(id, s)
    for (const [id, s] of Object.entries(changes.pools)) work.pools.set(id, s)
    for (const [id, s] of Object.entries(changes.members)) work.members.set(id, s)
  }
  return { liveness, statuses: statusWrites(snap.loadBalancers, work), stats, failed, unknown, orphans, listenerMismatches, late }
}
