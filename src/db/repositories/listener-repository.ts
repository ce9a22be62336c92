import type { Executor } from '../database.js'
import { applyListSpec, type ListSpec } from '../list-query.js'
import type { ListenerRow } from '../schema.js'
import { sumTraffic, type TrafficStats } from './listener-statistics-repository.js'
import { tagsOf } from './tag-repository.js'

/** A listener's related ids, as its API representation needs them. */
export interface ListenerRelations {
  /** L7 policies of the listener, by position. */
  readonly l7policyIds: readonly string[]
  readonly tags: readonly string[]
}

/** The load balancer facts a listener or pool write needs. */
export interface VipFacts {
  /** Primary VIP address first, then the additional VIPs' addresses. */
  readonly addresses: readonly string[]
  /** The VIP's custom security groups (`vip_sg_ids`). */
  readonly sgIds: readonly string[]
}

/** VIP addresses and security groups of a load balancer (empty when it has no VIP row yet). */
export async function vipFacts(db: Executor, loadBalancerId: string): Promise<VipFacts> {
  const vip = await db.selectFrom('vip').select(['ip_address', 'sg_ids'])
    .where('load_balancer_id', '=', loadBalancerId).executeTakeFirst()
  const extra = await db.selectFrom('additional_vip').select('ip_address')
    .where('load_balancer_id', '=', loadBalancerId).orderBy('subnet_id').execute()
  const addresses = [vip?.ip_address, ...extra.map(e => e.ip_address)].filter((a): a is string => !!a)
  return { addresses, sgIds: vip ? JSON.parse(vip.sg_ids) as string[] : [] }
}

/** One listener by id, or undefined. */
export async function findListener(db: Executor, id: string): Promise<ListenerRow | undefined> {
  return db.selectFrom('listener').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Listeners of a load balancer on one protocol port (the duplicate-port check). */
export async function listenersOnPort(db: Executor, loadBalancerId: string, port: number): Promise<Pick<ListenerRow, 'id' | 'protocol'>[]> {
  return db.selectFrom('listener').select(['id', 'protocol'])
    .where('load_balancer_id', '=', loadBalancerId).where('protocol_port', '=', port)
    .orderBy('created_at').orderBy('id').execute()
}

export async function insertListenerRow(tx: Executor, row: ListenerRow): Promise<void> {
  await tx.insertInto('listener').values(row).execute()
}

/** Applies an update; `updated_at` is the caller's business. */
export async function updateListenerRow(tx: Executor, id: string, patch: Partial<Omit<ListenerRow, 'id'>>): Promise<void> {
  if (Object.keys(patch).length === 0) return
  await tx.updateTable('listener').set(patch).where('id', '=', id).execute()
}

/**
 * One page of listeners (limit + 1 rows, see applyListSpec), optionally
 * restricted to one project.
 */
export async function listListeners(db: Executor, spec: ListSpec, projectId: string | null): Promise<ListenerRow[]> {
  let q = db.selectFrom('listener').selectAll()
  if (projectId !== null) q = q.where('project_id', '=', projectId)
  return applyListSpec(q, 'listener', spec).execute()
}

/** Related ids of many listeners at once. */
export async function listenerRelations(db: Executor, ids: readonly string[]): Promise<Map<string, ListenerRelations>> {
  const policies = new Map<string, string[]>(ids.map(id => [id, []]))
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.selectFrom('l7policy').select(['id', 'listener_id'])
      .where('listener_id', 'in', ids.slice(i, i + 500)).orderBy('position').orderBy('created_at').execute()
    for (const r of rows) policies.get(r.listener_id)?.push(r.id)
  }
  const tags = await tagsOf(db, ids)
  return new Map(ids.map(id => [id, { l7policyIds: policies.get(id) ?? [], tags: tags.get(id) ?? [] }]))
}

/**
 * Reads the statistics of one listener, summed over every amphora that
 * reported it (sumTraffic: Octavia's rules). Zeros when nothing was reported.
 */
export async function listenerStatistics(db: Executor, listenerId: string): Promise<TrafficStats> {
  const rows = await db.selectFrom('listener_statistics as s')
    .leftJoin('amphora as a', 'a.id', 's.amphora_id')
    .select(['s.listener_id', 's.amphora_id', 's.bytes_in', 's.bytes_out', 's.active_connections', 's.total_connections',
      's.request_errors', 'a.status as amphora_status'])
    .where('s.listener_id', '=', listenerId).execute()
  return sumTraffic(rows)
}
