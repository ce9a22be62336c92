/**
 * Operating statuses of a load balancer's objects as the data plane shows
 * them. There is no health manager yet (DESIGN.md §6), so the amphora
 * provider sets them in two places:
 *
 * - `afterPush`: right after a configuration was applied (HAProxy runs it):
 *   the load balancer and every listener and pool HAProxy now serves go from
 *   OFFLINE to ONLINE, whatever it does not serve (disabled, being deleted,
 *   no listener) is OFFLINE, members of unmonitored pools are NO_MONITOR,
 *   disabled members OFFLINE; monitored members keep their status until the
 *   next statistics read.
 * - `fromStats`: from the agent's statistics (HAProxy's `show stat`), with
 *   Octavia's health-manager rules (controlplane.md §6): listener OPEN →
 *   ONLINE, FULL → DEGRADED, absent → ERROR (OFFLINE when disabled); pool
 *   UP → ONLINE (DEGRADED with a member DOWN), DOWN → ERROR, absent →
 *   OFFLINE; member UP → ONLINE, DOWN → ERROR, DRAIN → DRAINING, MAINT →
 *   OFFLINE, `no check` → NO_MONITOR, absent → OFFLINE (NO_MONITOR stays);
 *   load balancer ONLINE, DEGRADED (a listener DEGRADED or a member ERROR),
 *   ERROR (a pool ERROR), OFFLINE when disabled.
 *
 * Both are pure: they take the view, the statuses stored now, and return
 * the statuses to store.
 */
import { activeHealthMonitor, planListeners } from '../../../agent/haproxy/render/render-plan.js'
import type { LoadBalancerView } from '../../../model/load-balancer-view.js'
import { OperatingStatus as S } from '../../../model/statuses.js'
import type { AmphoraStats } from '../../amphora/agent-api.js'

/** Operating statuses of one load balancer's objects, by id. */
export interface OperatingStatuses {
  readonly loadBalancer: string
  readonly listeners: Readonly<Record<string, string>>
  readonly pools: Readonly<Record<string, string>>
  readonly members: Readonly<Record<string, string>>
}

/** What HAProxy serves: listener ids, pool ids (behind some listener), and which pools are monitored. */
interface Served {
  readonly listeners: Set<string>
  readonly pools: Set<string>
  readonly monitored: Set<string>
}

function served(view: LoadBalancerView): Served {
  const out: Served = { listeners: new Set(), pools: new Set(), monitored: new Set() }
  for (const plan of planListeners(view)) {
    out.listeners.add(plan.listener.id)
    for (const { pool } of plan.pools) {
      out.pools.add(pool.id)
      if (activeHealthMonitor(pool) !== null) out.monitored.add(pool.id)
    }
  }
  return out
}

const live = (o: { provisioningStatus: string }): boolean => o.provisioningStatus !== 'PENDING_DELETE'

/** Statuses right after a successful configuration push (see the module comment). */
export function afterPush(view: LoadBalancerView, current: OperatingStatuses): OperatingStatuses {
  const s = served(view)
  const up = (now: string | undefined): string => (now === undefined || now === S.OFFLINE ? S.ONLINE : now)
  const listeners: Record<string, string> = {}
  for (const l of view.listeners.filter(live)) {
    listeners[l.id] = s.listeners.has(l.id) ? up(current.listeners[l.id]) : S.OFFLINE
  }
  const pools: Record<string, string> = {}
  const members: Record<string, string> = {}
  for (const p of view.pools.filter(live)) {
    pools[p.id] = s.pools.has(p.id) ? up(current.pools[p.id]) : S.OFFLINE
    for (const m of p.members.filter(live)) {
      const now = current.members[m.id] ?? S.OFFLINE
      if (!s.pools.has(p.id) || !m.enabled) members[m.id] = S.OFFLINE
      else if (!s.monitored.has(p.id)) members[m.id] = S.NO_MONITOR
      else members[m.id] = now === S.NO_MONITOR ? S.OFFLINE : now
    }
  }
  const loadBalancer = view.enabled ? up(current.loadBalancer) : S.OFFLINE
  return { loadBalancer, listeners, pools, members }
}

const MEMBER_STATUS: Readonly<Record<string, string>> = {
  UP: S.ONLINE, DOWN: S.ERROR, DRAIN: S.DRAINING, MAINT: S.OFFLINE, 'no check': S.NO_MONITOR,
}

/** Statuses from the statistics of the load balancer's amphorae (see the module comment). */
export function fromStats(view: LoadBalancerView, current: OperatingStatuses, stats: readonly AmphoraStats[]): OperatingStatuses {
  const reportedListeners = new Map<string, string>()
  const reportedPools = new Map<string, { status: string; members: Record<string, string> }>()
  for (const amp of stats) {
    for (const [id, l] of Object.entries(amp.listeners)) reportedListeners.set(id, l.status)
    for (const [key, p] of Object.entries(amp.pools)) {
      const poolId = key.split(':')[0]
      const seen = reportedPools.get(poolId) ?? { status: p.status, members: {} }
      if (p.status === 'UP') seen.status = 'UP'
      Object.assign(seen.members, p.members)
      reportedPools.set(poolId, seen)
    }
  }
  const listeners: Record<string, string> = {}
  for (const l of view.listeners.filter(live)) {
    const r = reportedListeners.get(l.id)
    listeners[l.id] = r === 'OPEN' ? S.ONLINE : r === 'FULL' ? S.DEGRADED
      : r === undefined && (!l.enabled || !view.enabled) ? S.OFFLINE : S.ERROR
  }
  const pools: Record<string, string> = {}
  const members: Record<string, string> = {}
  for (const p of view.pools.filter(live)) {
    const r = reportedPools.get(p.id)
    for (const m of p.members.filter(live)) {
      const status = r?.members[m.id]
      const now = current.members[m.id]
      members[m.id] = status === undefined ? (now === S.NO_MONITOR ? S.NO_MONITOR : S.OFFLINE) : MEMBER_STATUS[status] ?? now ?? S.OFFLINE
    }
    const memberDown = p.members.some(m => members[m.id] === S.ERROR)
    pools[p.id] = r === undefined ? S.OFFLINE : r.status !== 'UP' ? S.ERROR : memberDown ? S.DEGRADED : S.ONLINE
  }
  let loadBalancer: string = S.ONLINE
  if (Object.values(listeners).includes(S.DEGRADED) || Object.values(members).includes(S.ERROR)) loadBalancer = S.DEGRADED
  if (Object.values(pools).includes(S.ERROR)) loadBalancer = S.ERROR
  if (!view.enabled) loadBalancer = S.OFFLINE
  return { loadBalancer, listeners, pools, members }
}
