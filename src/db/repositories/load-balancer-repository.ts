import { nowIso } from '../../common/time.js'
import type { Executor } from '../database.js'
import { applyListSpec, type ListColumn, type ListSpec } from '../list-query.js'
import type {
  AdditionalVipRow, HealthMonitorRow, L7PolicyRow, ListenerRow, LoadBalancerRow, MemberRow, PoolRow, VipRow,
} from '../schema.js'
import { sumTraffic, type TrafficStats } from './listener-statistics-repository.js'
import { setProvisioningStatus } from './status-guard.js'
import { loadBalancerTree } from './worker-tree-repository.js'
import { groupBy } from '../../common/group-by.js'

/**
 * All SQL of the load balancer resource. A row with provisioning_status
 * DELETED (kept by the worker after a delete) is invisible to every read here.
 */

/** A load balancer row with what the API renders besides it (api/v2/load-balancers/render.ts). */
export interface LoadBalancerRecord {
  readonly row: LoadBalancerRow
  readonly vip: VipRow | null
  readonly additionalVips: readonly AdditionalVipRow[]
  readonly listenerIds: readonly string[]
  readonly poolIds: readonly string[]
  readonly tags: readonly string[]
}

/** API attribute → column, for filters and sorting (vip_* live in the joined `vip` table). */
export const LOAD_BALANCER_COLUMNS: Readonly<Record<string, ListColumn>> = {
  id: { column: 'id', type: 'string' },
  name: { column: 'name', type: 'string' },
  description: { column: 'description', type: 'string' },
  project_id: { column: 'project_id', type: 'string' },
  provisioning_status: { column: 'provisioning_status', type: 'string' },
  operating_status: { column: 'operating_status', type: 'string' },
  admin_state_up: { column: 'enabled', type: 'bool' },
  enabled: { column: 'enabled', type: 'bool' },
  topology: { column: 'topology', type: 'string' },
  provider: { column: 'provider', type: 'string' },
  flavor_id: { column: 'flavor_id', type: 'string' },
  availability_zone: { column: 'availability_zone', type: 'string' },
  created_at: { column: 'created_at', type: 'string' },
  updated_at: { column: 'updated_at', type: 'string' },
  vip_address: { column: 'vip.ip_address', type: 'string' },
  vip_port_id: { column: 'vip.port_id', type: 'string' },
  vip_subnet_id: { column: 'vip.subnet_id', type: 'string' },
  vip_network_id: { column: 'vip.network_id', type: 'string' },
  vip_qos_policy_id: { column: 'vip.qos_policy_id', type: 'string' },
  vip_vnic_type: { column: 'vip.vnic_type', type: 'string' },
}

const visible = 'DELETED'

/** One load balancer, or undefined when absent or DELETED. */
export async function findLoadBalancer(db: Executor, id: string): Promise<LoadBalancerRow | undefined> {
  return db.selectFrom('load_balancer').selectAll().where('id', '=', id)
    .where('provisioning_status', '!=', visible).executeTakeFirst()
}

/** The values of the sort columns of a marker row (keys as in LOAD_BALANCER_COLUMNS), or undefined. */
export async function loadBalancerMarker(db: Executor, id: string): Promise<Record<string, unknown> | undefined> {
  const row = await db.selectFrom('load_balancer').leftJoin('vip', 'vip.load_balancer_id', 'load_balancer.id')
    .selectAll('load_balancer')
    .select(['vip.ip_address as vip_ip_address', 'vip.port_id as vip_port_id', 'vip.subnet_id as vip_subnet_id',
      'vip.network_id as vip_network_id', 'vip.qos_policy_id as vip_qos_policy_id', 'vip.vnic_type as vip_vnic_type'])
    .where('load_balancer.id', '=', id).where('load_balancer.provisioning_status', '!=', visible).executeTakeFirst()
  if (!row) return undefined
  const { vip_ip_address, vip_port_id, vip_subnet_id, vip_network_id, vip_qos_policy_id, vip_vnic_type, ...lb } = row
  return {
    ...lb, 'vip.ip_address': vip_ip_address, 'vip.port_id': vip_port_id, 'vip.subnet_id': vip_subnet_id,
    'vip.network_id': vip_network_id, 'vip.qos_policy_id': vip_qos_policy_id, 'vip.vnic_type': vip_vnic_type,
  }
}

/** A page of load balancers (limit + 1 rows when limited), DELETED excluded. */
export async function listLoadBalancerRows(db: Executor, spec: ListSpec): Promise<LoadBalancerRow[]> {
  const qb = db.selectFrom('load_balancer').leftJoin('vip', 'vip.load_balancer_id', 'load_balancer.id')
    .selectAll('load_balancer').where('load_balancer.provisioning_status', '!=', visible)
  return applyListSpec(qb, 'load_balancer', spec).execute()
}

/** Loads VIPs, child ids and tags of many load balancers at once. */
export async function loadBalancerRecords(db: Executor, rows: readonly LoadBalancerRow[]): Promise<LoadBalancerRecord[]> {
  if (rows.length === 0) return []
  const ids = rows.map(r => r.id)
  const [vips, extra, listeners, pools, tags] = await Promise.all([
    db.selectFrom('vip').selectAll().where('load_balancer_id', 'in', ids).execute(),
    db.selectFrom('additional_vip').selectAll().where('load_balancer_id', 'in', ids).execute(),
    db.selectFrom('listener').select(['id', 'load_balancer_id']).where('load_balancer_id', 'in', ids)
      .orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('pool').select(['id', 'load_balancer_id']).where('load_balancer_id', 'in', ids)
      .orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('tag').select(['resource_id', 'tag']).where('resource_id', 'in', ids).orderBy('tag').execute(),
  ])
  const vipBy = new Map(vips.map(v => [v.load_balancer_id, v]))
  const extraBy = groupBy(extra, v => v.load_balancer_id)
  const listenersBy = groupBy(listeners, l => l.load_balancer_id)
  const poolsBy = groupBy(pools, p => p.load_balancer_id)
  const tagsBy = groupBy(tags, t => t.resource_id)
  return rows.map(row => ({
    row,
    vip: vipBy.get(row.id) ?? null,
    additionalVips: extraBy.get(row.id) ?? [],
    listenerIds: (listenersBy.get(row.id) ?? []).map(l => l.id),
    poolIds: (poolsBy.get(row.id) ?? []).map(p => p.id),
    tags: (tagsBy.get(row.id) ?? []).map(t => t.tag),
  }))
}

/** The record of one load balancer, or undefined when absent or DELETED. */
export async function loadBalancerRecord(db: Executor, id: string): Promise<LoadBalancerRecord | undefined> {
  const row = await findLoadBalancer(db, id)
  return row ? (await loadBalancerRecords(db, [row]))[0] : undefined
}

/** Inserts a load balancer with its VIP and additional VIPs. */
export async function insertLoadBalancer(
  tx: Executor, row: LoadBalancerRow, vip: VipRow, additionalVips: readonly AdditionalVipRow[],
): Promise<void> {
  await tx.insertInto('load_balancer').values(row).execute()
  await tx.insertInto('vip').values(vip).execute()
  if (additionalVips.length) await tx.insertInto('additional_vip').values([...additionalVips]).execute()
}

/** Updates columns of a load balancer (and its updated_at). */
export async function updateLoadBalancerRow(
  tx: Executor, id: string, patch: Partial<Pick<LoadBalancerRow, 'name' | 'description' | 'enabled'>>,
): Promise<void> {
  await tx.updateTable('load_balancer').set({ ...patch, updated_at: nowIso() }).where('id', '=', id).execute()
}

/** Updates columns of a load balancer's VIP. */
export async function updateVipRow(tx: Executor, id: string, patch: Partial<Pick<VipRow, 'qos_policy_id' | 'sg_ids'>>): Promise<void> {
  if (Object.keys(patch).length === 0) return
  await tx.updateTable('vip').set(patch).where('load_balancer_id', '=', id).execute()
}

/**
 * Reads the topology of a load balancer, whatever its status (DELETED
 * included); undefined when the row is absent.
 */
export function loadBalancerTopology(db: Executor, id: string): Promise<Pick<LoadBalancerRow, 'topology'> | undefined> {
  return db.selectFrom('load_balancer').select('topology').where('id', '=', id).executeTakeFirst()
}

/** Reads the project of a load balancer, whatever its status; null when the row is absent or has no project. */
export async function loadBalancerProjectId(db: Executor, id: string): Promise<string | null> {
  const lb = await db.selectFrom('load_balancer').select('project_id').where('id', '=', id).executeTakeFirst()
  return lb?.project_id ?? null
}

/** Whether a load balancer still has listeners or pools. */
export async function hasChildren(db: Executor, id: string): Promise<boolean> {
  const l = await db.selectFrom('listener').select('id').where('load_balancer_id', '=', id).limit(1).executeTakeFirst()
  if (l) return true
  const p = await db.selectFrom('pool').select('id').where('load_balancer_id', '=', id).limit(1).executeTakeFirst()
  return p !== undefined
}

/** Marks every object below a load balancer PENDING_DELETE (a cascade delete). */
export async function markChildrenPendingDelete(tx: Executor, id: string): Promise<void> {
  const tree = await loadBalancerTree(tx, id)
  await setProvisioningStatus(tx, 'l7rule', tree.l7ruleIds, 'PENDING_DELETE')
  await setProvisioningStatus(tx, 'l7policy', tree.l7policyIds, 'PENDING_DELETE')
  await setProvisioningStatus(tx, 'member', tree.memberIds, 'PENDING_DELETE')
  await setProvisioningStatus(tx, 'health_monitor', tree.healthMonitorIds, 'PENDING_DELETE')
  await setProvisioningStatus(tx, 'pool', tree.poolIds, 'PENDING_DELETE')
  await setProvisioningStatus(tx, 'listener', tree.listenerIds, 'PENDING_DELETE')
}

/**
 * Reads the statistics of a load balancer: listener_statistics summed over
 * its listeners (sumTraffic: Octavia's rules). Zeros when nothing was reported.
 */
export async function loadBalancerStats(db: Executor, id: string): Promise<TrafficStats> {
  const rows = await db.selectFrom('listener_statistics as s')
    .innerJoin('listener as l', 'l.id', 's.listener_id')
    .leftJoin('amphora as a', 'a.id', 's.amphora_id')
    .select(['s.listener_id', 's.amphora_id', 's.bytes_in', 's.bytes_out', 's.active_connections',
      's.total_connections', 's.request_errors', 'a.status as amphora_status'])
    .where('l.load_balancer_id', '=', id).execute()
  return sumTraffic(rows)
}

/** Rows the status tree of a load balancer is built from. */
export interface StatusTreeRows {
  readonly listeners: readonly Pick<ListenerRow, 'id' | 'name' | 'operating_status' | 'provisioning_status' | 'default_pool_id'>[]
  /** Enabled L7 policies with at least one rule that redirect to a pool, by listener then position. */
  readonly redirects: readonly { readonly listener_id: string; readonly redirect_pool_id: string }[]
  readonly pools: readonly Pick<PoolRow, 'id' | 'name' | 'operating_status' | 'provisioning_status'>[]
  readonly healthMonitors: readonly Pick<HealthMonitorRow, 'id' | 'name' | 'type' | 'operating_status' | 'provisioning_status' | 'pool_id'>[]
  readonly members: readonly Pick<MemberRow, 'id' | 'name' | 'operating_status' | 'provisioning_status' | 'ip_address' | 'protocol_port' | 'pool_id'>[]
}

/** Everything the status tree of one load balancer shows, each list in a stable order. */
export async function statusTreeRows(db: Executor, id: string): Promise<StatusTreeRows> {
  const listeners = await db.selectFrom('listener')
    .select(['id', 'name', 'operating_status', 'provisioning_status', 'default_pool_id'])
    .where('load_balancer_id', '=', id).orderBy('created_at').orderBy('id').execute()
  const redirects = listeners.length === 0 ? [] : await db.selectFrom('l7policy as p')
    .select(['p.listener_id', 'p.redirect_pool_id'])
    .where('p.listener_id', 'in', listeners.map(l => l.id))
    .where('p.enabled', '=', 1).where('p.redirect_pool_id', 'is not', null)
    .where(eb => eb.exists(eb.selectFrom('l7rule as r').select('r.id').whereRef('r.l7policy_id', '=', 'p.id')))
    .orderBy('p.listener_id').orderBy('p.position').orderBy('p.created_at').execute()
  const pools = await db.selectFrom('pool').select(['id', 'name', 'operating_status', 'provisioning_status'])
    .where('load_balancer_id', '=', id).orderBy('created_at').orderBy('id').execute()
  const poolIds = pools.map(p => p.id)
  const healthMonitors = poolIds.length === 0 ? [] : await db.selectFrom('health_monitor')
    .select(['id', 'name', 'type', 'operating_status', 'provisioning_status', 'pool_id'])
    .where('pool_id', 'in', poolIds).execute()
  const members = poolIds.length === 0 ? [] : await db.selectFrom('member')
    .select(['id', 'name', 'operating_status', 'provisioning_status', 'ip_address', 'protocol_port', 'pool_id'])
    .where('pool_id', 'in', poolIds).orderBy('created_at').orderBy('id').execute()
  return {
    listeners,
    redirects: redirects.map(r => ({ listener_id: r.listener_id, redirect_pool_id: r.redirect_pool_id as string })),
    pools, healthMonitors, members,
  }
}

/** The rows of a single-call create's children, for its full response. */
export interface GraphRows {
  readonly listeners: readonly ListenerRow[]
  readonly pools: readonly PoolRow[]
  /** By listener, in position order. */
  readonly l7policies: ReadonlyMap<string, L7PolicyRow[]>
  /** By pool, oldest first. */
  readonly members: ReadonlyMap<string, MemberRow[]>
  readonly healthMonitors: ReadonlyMap<string, HealthMonitorRow>
}

/** Loads listeners and pools by id (in the given order) with their policies, members and monitors. */
export async function graphRows(db: Executor, listenerIds: readonly string[], poolIds: readonly string[]): Promise<GraphRows> {
  const byId = <T extends { id: string }>(rows: readonly T[], ids: readonly string[]) =>
    ids.map(id => rows.find(r => r.id === id)).filter((r): r is T => r !== undefined)
  const listeners = listenerIds.length
    ? byId(await db.selectFrom('listener').selectAll().where('id', 'in', [...listenerIds]).execute(), listenerIds) : []
  const pools = poolIds.length
    ? byId(await db.selectFrom('pool').selectAll().where('id', 'in', [...poolIds]).execute(), poolIds) : []
  const policies = listenerIds.length
    ? await db.selectFrom('l7policy').selectAll().where('listener_id', 'in', [...listenerIds])
      .orderBy('position').orderBy('created_at').execute() : []
  const members = poolIds.length
    ? await db.selectFrom('member').selectAll().where('pool_id', 'in', [...poolIds])
      .orderBy('created_at').orderBy('id').execute() : []
  const monitors = poolIds.length
    ? await db.selectFrom('health_monitor').selectAll().where('pool_id', 'in', [...poolIds]).execute() : []
  return {
    listeners, pools,
    l7policies: groupBy(policies, p => p.listener_id),
    members: groupBy(members, m => m.pool_id),
    healthMonitors: new Map(monitors.map(h => [h.pool_id, h])),
  }
}
