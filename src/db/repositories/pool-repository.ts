import type { Executor } from '../database.js'
import { applyListSpec, type ListSpec } from '../list-query.js'
import type { PoolRow } from '../schema.js'
import { tagsOf } from './tag-repository.js'

/** A pool's related ids, as its API representation needs them. */
export interface PoolRelations {
  /** Listeners using the pool (see poolListenerIds). */
  readonly listenerIds: readonly string[]
  readonly memberIds: readonly string[]
  readonly healthMonitorId: string | null
  readonly tags: readonly string[]
}

/** One pool by id, or undefined. */
export async function findPool(db: Executor, id: string): Promise<PoolRow | undefined> {
  return db.selectFrom('pool').selectAll().where('id', '=', id).executeTakeFirst()
}

/** A pool of one load balancer, or undefined (Octavia's "pool must be on the same load balancer"). */
export async function findPoolOnLoadBalancer(db: Executor, id: string, loadBalancerId: string): Promise<PoolRow | undefined> {
  return db.selectFrom('pool').selectAll().where('id', '=', id)
    .where('load_balancer_id', '=', loadBalancerId).executeTakeFirst()
}

export async function insertPoolRow(tx: Executor, row: PoolRow): Promise<void> {
  await tx.insertInto('pool').values(row).execute()
}

/** Applies an update; `updated_at` is the caller's business. */
export async function updatePoolRow(tx: Executor, id: string, patch: Partial<Omit<PoolRow, 'id'>>): Promise<void> {
  if (Object.keys(patch).length === 0) return
  await tx.updateTable('pool').set(patch).where('id', '=', id).execute()
}

/** Makes a pool the default pool of a listener. */
export async function setListenerDefaultPool(tx: Executor, listenerId: string, poolId: string | null): Promise<void> {
  await tx.updateTable('listener').set({ default_pool_id: poolId }).where('id', '=', listenerId).execute()
}

/**
 * One page of pools (limit + 1 rows, see applyListSpec), optionally restricted
 * to one project and to the pool of one health monitor (`healthmonitor_id`).
 */
export async function listPools(
  db: Executor, spec: ListSpec, projectId: string | null, healthMonitorId: string | null,
): Promise<PoolRow[]> {
  let q = db.selectFrom('pool').selectAll()
  if (projectId !== null) q = q.where('project_id', '=', projectId)
  if (healthMonitorId !== null) {
    q = q.where('id', 'in', db.selectFrom('health_monitor').select('pool_id').where('id', '=', healthMonitorId))
  }
  return applyListSpec(q, 'pool', spec).execute()
}

/**
 * The listeners that use a pool, as Octavia's `Pool.listeners`: those whose
 * default pool it is, then those with an enabled L7 policy that has at least
 * one rule and redirects to it. Without duplicates.
 */
export async function poolListenerIds(db: Executor, poolIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(poolIds.map(id => [id, []]))
  const add = (poolId: string | null, listenerId: string) => {
    const list = poolId === null ? undefined : out.get(poolId)
    if (list && !list.includes(listenerId)) list.push(listenerId)
  }
  for (let i = 0; i < poolIds.length; i += 500) {
    const chunk = poolIds.slice(i, i + 500)
    const defaults = await db.selectFrom('listener').select(['id', 'default_pool_id'])
      .where('default_pool_id', 'in', chunk).orderBy('created_at').orderBy('id').execute()
    for (const r of defaults) add(r.default_pool_id, r.id)
    const redirects = await db.selectFrom('l7policy').select(['listener_id', 'redirect_pool_id'])
      .where('redirect_pool_id', 'in', chunk).where('enabled', '=', 1)
      .where(eb => eb.exists(eb.selectFrom('l7rule').select('l7rule.id').whereRef('l7rule.l7policy_id', '=', 'l7policy.id')))
      .orderBy('position').orderBy('created_at').execute()
    for (const r of redirects) add(r.redirect_pool_id, r.listener_id)
  }
  return out
}

/** Related ids of many pools at once. */
export async function poolRelations(db: Executor, ids: readonly string[]): Promise<Map<string, PoolRelations>> {
  const members = new Map<string, string[]>(ids.map(id => [id, []]))
  const monitors = new Map<string, string>()
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500)
    const rows = await db.selectFrom('member').select(['id', 'pool_id'])
      .where('pool_id', 'in', chunk).orderBy('created_at').orderBy('id').execute()
    for (const r of rows) members.get(r.pool_id)?.push(r.id)
    const hms = await db.selectFrom('health_monitor').select(['id', 'pool_id']).where('pool_id', 'in', chunk).execute()
    for (const h of hms) monitors.set(h.pool_id, h.id)
  }
  const listeners = await poolListenerIds(db, ids)
  const tags = await tagsOf(db, ids)
  return new Map(ids.map(id => [id, {
    listenerIds: listeners.get(id) ?? [],
    memberIds: members.get(id) ?? [],
    healthMonitorId: monitors.get(id) ?? null,
    tags: tags.get(id) ?? [],
  }]))
}

/** An L7 policy that redirects to the pool (which then cannot be deleted), or undefined. */
export async function redirectingL7PolicyId(db: Executor, poolId: string): Promise<string | undefined> {
  const row = await db.selectFrom('l7policy').select('id').where('redirect_pool_id', '=', poolId)
    .orderBy('created_at').orderBy('id').limit(1).executeTakeFirst()
  return row?.id
}
