/**
 * Operating-status derivation from one heartbeat (controlplane.md §6): pure
 * functions, no I/O. The caller loads the amphora's load balancer with its
 * listeners, pools and members, calls deriveOperatingStatuses, and writes
 * only the changes it returns.
 */
import type { Heartbeat, HeartbeatPool } from '../amphora-api/heartbeat-codec.js'
import { OperatingStatus, ProvisioningStatus } from '../model/statuses.js'

/** What the rules need of the stored model. */
export interface StatusModel {
  readonly lb: { readonly enabled: boolean; readonly provisioningStatus: string; readonly operatingStatus: string }
  readonly listeners: readonly { readonly id: string; readonly enabled: boolean; readonly operatingStatus: string }[]
  readonly pools: readonly {
    readonly id: string
    readonly operatingStatus: string
    readonly members: readonly { readonly id: string; readonly operatingStatus: string }[]
  }[]
}

/** New operating statuses, only for objects whose status changes. */
export interface StatusChanges {
  readonly loadBalancer: OperatingStatus | null
  readonly listeners: Readonly<Record<string, OperatingStatus>>
  readonly pools: Readonly<Record<string, OperatingStatus>>
  readonly members: Readonly<Record<string, OperatingStatus>>
}

/** Starting LB status before lowering: OFFLINE if disabled, else ONLINE. */
export const baseLbStatus = (enabled: boolean): OperatingStatus =>
  (enabled ? OperatingStatus.ONLINE : OperatingStatus.OFFLINE)

/** LB status lowered to DEGRADED: only an ONLINE LB is lowered (a DEGRADED/ERROR/OFFLINE one stays). */
export const degradeLb = (lb: OperatingStatus): OperatingStatus =>
  (lb === OperatingStatus.ONLINE ? OperatingStatus.DEGRADED : lb)

/**
 * A listener's status. `reported` is its heartbeat status, undefined if absent.
 * Absent: ERROR when enabled and the LB is ACTIVE, else OFFLINE. OPEN: ONLINE;
 * FULL: DEGRADED; anything else: null (unknown, keep the stored status).
 */
export function listenerStatus(reported: string | undefined, enabled: boolean, lbProvisioningStatus: string): OperatingStatus | null {
  if (reported === undefined) {
    return enabled && lbProvisioningStatus === ProvisioningStatus.ACTIVE ? OperatingStatus.ERROR : OperatingStatus.OFFLINE
  }
  if (reported === 'OPEN') return OperatingStatus.ONLINE
  if (reported === 'FULL') return OperatingStatus.DEGRADED
  return null
}

/** A pool's status from its reported HAProxy backend status: UP ONLINE, DOWN ERROR, else null (unknown). */
export function poolStatus(reported: string): OperatingStatus | null {
  if (reported === 'UP') return OperatingStatus.ONLINE
  if (reported === 'DOWN') return OperatingStatus.ERROR
  return null
}

/**
 * A member's status. `reported` undefined means absent: OFFLINE unless it is
 * NO_MONITOR now (then unchanged, null). `UP…` ONLINE, `DOWN…` ERROR, DRAIN
 * DRAINING, MAINT OFFLINE, `no check` NO_MONITOR; RESTARTING and unknown
 * values: null (keep the stored status).
 */
export function memberStatus(reported: string | undefined, current: string): OperatingStatus | null {
  if (reported === undefined) return current === OperatingStatus.NO_MONITOR ? null : OperatingStatus.OFFLINE
  if (reported.startsWith('UP')) return OperatingStatus.ONLINE
  if (reported.startsWith('DOWN')) return OperatingStatus.ERROR
  if (reported === 'DRAIN') return OperatingStatus.DRAINING
  if (reported === 'MAINT') return OperatingStatus.OFFLINE
  if (reported === 'no check') return OperatingStatus.NO_MONITOR
  return null
}

/** The pool id of a heartbeat pool key: `<pool>:<listener>` loses its last `:` suffix; a bare id is kept. */
export function poolIdOfKey(key: string): string {
  const i = key.lastIndexOf(':')
  return i < 0 ? key : key.slice(0, i)
}

/** Heartbeat pools by pool id (the last key wins when a pool is under several listeners). */
export function reportedPools(hb: Heartbeat): ReadonlyMap<string, HeartbeatPool> {
  return new Map(Object.entries(hb.pools).map(([k, v]) => [poolIdOfKey(k), v]))
}

/**
 * Derives every operating status of one load balancer from its amphora's
 * heartbeat. The LB starts OFFLINE (disabled) or ONLINE; a FULL listener or a
 * DOWN member of an ONLINE pool lowers an ONLINE LB to DEGRADED; a DOWN pool
 * sets it to ERROR. A DOWN member lowers its ONLINE pool to DEGRADED. Pools
 * absent from the heartbeat become OFFLINE and their members are left alone.
 * Returns only the statuses that differ from the model's.
 */
export function deriveOperatingStatuses(hb: Heartbeat, model: StatusModel): StatusChanges {
  let lb = baseLbStatus(model.lb.enabled)
  const listeners: Record<string, OperatingStatus> = {}
  for (const l of model.listeners) {
    const reported = hb.listeners[l.id]?.status
    const s = listenerStatus(reported, l.enabled, model.lb.provisioningStatus)
    if (reported === 'FULL') lb = degradeLb(lb)
    if (s !== null && s !== l.operatingStatus) listeners[l.id] = s
  }
  const reported = reportedPools(hb)
  const pools: Record<string, OperatingStatus> = {}
  const members: Record<string, OperatingStatus> = {}
  for (const p of model.pools) {
    const rp = reported.get(p.id)
    if (rp === undefined) {
      if (p.operatingStatus !== OperatingStatus.OFFLINE) pools[p.id] = OperatingStatus.OFFLINE
      continue
    }
    let ps = poolStatus(rp.status)
    if (ps === OperatingStatus.ERROR) lb = OperatingStatus.ERROR
    for (const m of p.members) {
      const ms = memberStatus(rp.members[m.id], m.operatingStatus)
      if (ms === OperatingStatus.ERROR && ps === OperatingStatus.ONLINE) {
        ps = OperatingStatus.DEGRADED
        lb = degradeLb(lb)
      }
      if (ms !== null && ms !== m.operatingStatus) members[m.id] = ms
    }
    if (ps !== null && ps !== p.operatingStatus) pools[p.id] = ps
  }
  return { loadBalancer: lb === model.lb.operatingStatus ? null : lb, listeners, pools, members }
}
