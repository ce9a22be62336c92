/**
 * Operating statuses of a load balancer's objects right after a
 * configuration push (`afterPush`): the load balancer and every listener and
 * pool HAProxy now serves go from OFFLINE to ONLINE, whatever it does not
 * serve (disabled, being deleted, no listener) is OFFLINE, members of
 * unmonitored pools are NO_MONITOR, disabled members OFFLINE; monitored
 * members keep their status until the next heartbeat. From then on the
 * health manager derives every status from the amphorae's heartbeats
 * (src/health-manager/operating-status-rules.ts, Octavia's rules).
 *
 * Pure: takes the view and the statuses stored now, returns the statuses to store.
 */
import { activeHealthMonitor, planListeners } from './haproxy/render-plan.js'
import type { LoadBalancerView } from '../../model/load-balancer-view.js'
import { OperatingStatus as S } from '../../model/statuses.js'

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
