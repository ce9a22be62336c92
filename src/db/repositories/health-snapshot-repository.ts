import { ProvisioningStatus } from '../../model/statuses.js'
import type { Executor } from '../database.js'
import type { Bool } from '../schema.js'
import { groupBy } from '../../common/group-by.js'

/**
 * What the health manager reads to process one batch of heartbeats, in a
 * fixed handful of queries whatever the batch size (Octavia's
 * `get_lb_for_health_update`, for many amphorae at once).
 */

/** An amphora that sent a heartbeat; `loadBalancerId` null when it has no live (not DELETED) load balancer. */
export interface HealthAmphora {
  readonly id: string
  readonly status: string
  readonly loadBalancerId: string | null
}

/** A load balancer with what the liveness and operating-status rules need. */
export interface HealthLoadBalancer {
  readonly id: string
  readonly enabled: boolean
  readonly provisioningStatus: string
  readonly operatingStatus: string
  readonly listeners: readonly { readonly id: string; readonly enabled: boolean; readonly protocol: string; readonly operatingStatus: string }[]
  readonly pools: readonly {
    readonly id: string
    readonly operatingStatus: string
    readonly members: readonly { readonly id: string; readonly operatingStatus: string }[]
  }[]
}

/** The stored state a batch of heartbeats is compared with. */
export interface HealthSnapshot {
  /** Amphorae that exist (any status), by id; ids without a row are absent. */
  readonly amphorae: ReadonlyMap<string, HealthAmphora>
  readonly loadBalancers: ReadonlyMap<string, HealthLoadBalancer>
  /** Stored `active_connections` by `<listener_id>/<amphora_id>`, for the amphorae asked about. */
  readonly activeConnections: ReadonlyMap<string, number>
}

/** Key of a listener_statistics row in HealthSnapshot.activeConnections. */
export const statsKey = (listenerId: string, amphoraId: string): string => `${listenerId}/${amphoraId}`

const CHUNK = 500

async function chunked<T>(ids: readonly string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = []
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...await query(ids.slice(i, i + CHUNK)))
  return out
}

/**
 * Loads the amphorae `amphoraIds` (unknown ids are simply absent), the live
 * load balancers they belong to with every listener, pool and member (their
 * operating statuses as stored now), and the amphorae's stored active
 * connection counts. Five queries per 500 amphorae; read-only.
 */
export async function loadHealthSnapshot(db: Executor, amphoraIds: readonly string[]): Promise<HealthSnapshot> {
  const amps = await chunked(amphoraIds, ids => db.selectFrom('amphora as a')
    .leftJoin('load_balancer as lb', join => join.onRef('lb.id', '=', 'a.load_balancer_id')
      .on('lb.provisioning_status', '!=', ProvisioningStatus.DELETED))
    .select(['a.id', 'a.status', 'lb.id as lb_id', 'lb.enabled', 'lb.provisioning_status', 'lb.operating_status'])
    .where('a.id', 'in', ids).execute())
  const amphorae = new Map<string, HealthAmphora>()
  const lbRows = new Map<string, { enabled: boolean; provisioningStatus: string; operatingStatus: string }>()
  for (const a of amps) {
    amphorae.set(a.id, { id: a.id, status: a.status, loadBalancerId: a.lb_id ?? null })
    if (a.lb_id) lbRows.set(a.lb_id, { enabled: Number(a.enabled) === 1, provisioningStatus: a.provisioning_status!, operatingStatus: a.operating_status! })
  }
  const lbIds = [...lbRows.keys()]
  const listeners = await chunked(lbIds, ids => db.selectFrom('listener')
    .select(['id', 'load_balancer_id', 'enabled', 'protocol', 'operating_status']).where('load_balancer_id', 'in', ids).execute())
  const pools = await chunked(lbIds, ids => db.selectFrom('pool')
    .select(['id', 'load_balancer_id', 'operating_status']).where('load_balancer_id', 'in', ids).execute())
  const members = await chunked(lbIds, ids => db.selectFrom('member as m').innerJoin('pool as p', 'p.id', 'm.pool_id')
    .select(['m.id', 'm.pool_id', 'm.operating_status']).where('p.load_balancer_id', 'in', ids).execute())
  // NOTE: by listener id, the primary key's first column (amphora_id alone has no index); other amphorae's rows are ignored.
  const asked = new Set(amphoraIds)
  const stats = (await chunked(listeners.map(l => l.id), ids => db.selectFrom('listener_statistics')
    .select(['listener_id', 'amphora_id', 'active_connections']).where('listener_id', 'in', ids).execute()))
    .filter(s => asked.has(s.amphora_id))

  const loadBalancers = assembleLoadBalancers(lbRows, listeners, pools, members)
  const activeConnections = new Map(stats.map(s => [statsKey(s.listener_id, s.amphora_id), Number(s.active_connections)]))
  return { amphorae, loadBalancers, activeConnections }
}

type LoadBalancerState = Pick<HealthLoadBalancer, 'enabled' | 'provisioningStatus' | 'operatingStatus'>

/** The snapshot's load balancers: each with its listeners, and its pools with their members. */
function assembleLoadBalancers(
  lbRows: ReadonlyMap<string, LoadBalancerState>,
  listeners: readonly { id: string; load_balancer_id: string; enabled: Bool; protocol: string; operating_status: string }[],
  pools: readonly { id: string; load_balancer_id: string; operating_status: string }[],
  members: readonly { id: string; pool_id: string; operating_status: string }[],
): Map<string, HealthLoadBalancer> {
  const membersOf = groupBy(members, m => m.pool_id)
  const poolsOf = groupBy(pools, p => p.load_balancer_id)
  const listenersOf = groupBy(listeners, l => l.load_balancer_id)
  const loadBalancers = new Map<string, HealthLoadBalancer>()
  for (const [id, lb] of lbRows) {
    loadBalancers.set(id, {
      id, ...lb,
      listeners: (listenersOf.get(id) ?? []).map(l => ({
        id: l.id, enabled: Number(l.enabled) === 1, protocol: l.protocol, operatingStatus: l.operating_status,
      })),
      pools: (poolsOf.get(id) ?? []).map(p => ({
        id: p.id, operatingStatus: p.operating_status,
        members: (membersOf.get(p.id) ?? []).map(m => ({ id: m.id, operatingStatus: m.operating_status })),
      })),
    })
  }
  return loadBalancers
}
