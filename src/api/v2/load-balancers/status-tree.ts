import type { TrafficStats } from '../../../db/repositories/listener-statistics-repository.js'
import { loadBalancerStats, statusTreeRows, type StatusTreeRows } from '../../../db/repositories/load-balancer-repository.js'
import type { Caller } from '../../auth/caller.js'
import type { ApiDeps } from '../../deps.js'
import { requireLoadBalancer } from './list.js'

interface PoolStatus {
  id: string
  name: string
  provisioning_status: string
  operating_status: string
  health_monitor?: { id: string; name: string; type: string; provisioning_status: string; operating_status: string }
  members: { id: string; name: string; operating_status: string; provisioning_status: string; address: string; protocol_port: number }[]
}

/** The pools a listener actually uses: its default pool, then redirect pools of its enabled policies with rules; each once. */
function poolsOfListener(rows: StatusTreeRows, listener: StatusTreeRows['listeners'][number]): string[] {
  const ids: string[] = []
  if (listener.default_pool_id) ids.push(listener.default_pool_id)
  for (const r of rows.redirects) {
    if (r.listener_id === listener.id && !ids.includes(r.redirect_pool_id)) ids.push(r.redirect_pool_id)
  }
  return ids
}

function poolStatus(rows: StatusTreeRows, poolId: string): PoolStatus | null {
  const pool = rows.pools.find(p => p.id === poolId)
  if (!pool) return null
  const hm = rows.healthMonitors.find(h => h.pool_id === poolId)
  return {
    id: pool.id,
    name: pool.name ?? '',
    provisioning_status: pool.provisioning_status,
    operating_status: pool.operating_status,
    // NOTE: the key is `health_monitor` (the api-ref's `healthmonitor` is wrong); absent without a monitor.
    ...(hm ? {
      health_monitor: {
        id: hm.id, name: hm.name ?? '', type: hm.type,
        provisioning_status: hm.provisioning_status, operating_status: hm.operating_status,
      },
    } : {}),
    members: rows.members.filter(m => m.pool_id === poolId).map(m => ({
      id: m.id, name: m.name ?? '', operating_status: m.operating_status, provisioning_status: m.provisioning_status,
      address: m.ip_address, protocol_port: m.protocol_port,
    })),
  }
}

/**
 * `GET /v2/lbaas/loadbalancers/{id}/status` (alias `/statuses`): the
 * load balancer, its listeners, under each listener the pools it uses (pools
 * used by no listener do not appear), their health monitor and members.
 */
export async function loadBalancerStatusTree(deps: ApiDeps, caller: Caller, id: string): Promise<{ statuses: unknown }> {
  const view = await requireLoadBalancer(deps, caller, id, 'loadbalancer:get_status')
  const rows = await statusTreeRows(deps.database.db, id)
  return {
    statuses: {
      loadbalancer: {
        id: view.row.id,
        name: view.row.name ?? '',
        operating_status: view.row.operating_status,
        provisioning_status: view.row.provisioning_status,
        listeners: rows.listeners.map(l => ({
          id: l.id,
          name: l.name ?? '',
          operating_status: l.operating_status,
          provisioning_status: l.provisioning_status,
          pools: poolsOfListener(rows, l).map(p => poolStatus(rows, p)).filter((p): p is PoolStatus => p !== null),
        })),
      },
    },
  }
}

/** `GET /v2/lbaas/loadbalancers/{id}/stats`: the listeners' counters summed. */
export async function loadBalancerStatistics(deps: ApiDeps, caller: Caller, id: string): Promise<{ stats: TrafficStats }> {
  await requireLoadBalancer(deps, caller, id, 'loadbalancer:get_stats')
  return { stats: await loadBalancerStats(deps.database.db, id) }
}
