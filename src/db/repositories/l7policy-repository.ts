import { nowIso } from '../../common/time.js'
import type { Executor } from '../database.js'
import { applyListSpec, type ListSpec } from '../list-query.js'
import type { L7PolicyRow, ListenerRow, LoadBalancerRow, PoolRow } from '../schema.js'
import { deleteTags } from './tag-repository.js'

/** Columns an L7 policy write may change (identity, listener, position and timestamps excluded). */
export type L7PolicyPatch = Partial<Omit<L7PolicyRow, 'id' | 'listener_id' | 'position' | 'created_at' | 'updated_at'>>

/** A listener with its (not DELETED) load balancer: the parent of L7 policies. */
export interface ListenerWithLoadBalancer {
  readonly listener: ListenerRow
  readonly loadBalancer: LoadBalancerRow
}

/** One L7 policy, or undefined (also for a DELETED row). */
export async function findL7Policy(db: Executor, id: string): Promise<L7PolicyRow | undefined> {
  const row = await db.selectFrom('l7policy').selectAll().where('id', '=', id).executeTakeFirst()
  return row && row.provisioning_status !== 'DELETED' ? row : undefined
}

/** A listener and its load balancer, or undefined when either is missing or DELETED. */
export async function findListenerWithLoadBalancer(db: Executor, listenerId: string): Promise<ListenerWithLoadBalancer | undefined> {
  const listener = await db.selectFrom('listener').selectAll().where('id', '=', listenerId).executeTakeFirst()
  if (!listener || listener.provisioning_status === 'DELETED') return undefined
  const loadBalancer = await db.selectFrom('load_balancer').selectAll()
    .where('id', '=', listener.load_balancer_id).executeTakeFirst()
  if (!loadBalancer || loadBalancer.provisioning_status === 'DELETED') return undefined
  return { listener, loadBalancer }
}

/** A pool row (the redirect target of a policy), or undefined. */
export async function findRedirectPool(db: Executor, poolId: string): Promise<PoolRow | undefined> {
  const row = await db.selectFrom('pool').selectAll().where('id', '=', poolId).executeTakeFirst()
  return row && row.provisioning_status !== 'DELETED' ? row : undefined
}

/**
 * A page of L7 policies (fetches `limit + 1` rows: see applyListSpec).
 * `projectId` restricts to one project (non-admin callers); null lists all.
 */
export async function listL7Policies(db: Executor, spec: ListSpec, projectId: string | null): Promise<L7PolicyRow[]> {
  let q = db.selectFrom('l7policy').selectAll().where('l7policy.provisioning_status', '!=', 'DELETED')
  if (projectId !== null) q = q.where('l7policy.project_id', '=', projectId)
  return applyListSpec(q, 'l7policy', spec).execute()
}

/** Inserts a policy row; the caller then gives it its place with placeL7Policy. */
export async function insertL7PolicyRow(tx: Executor, row: L7PolicyRow): Promise<void> {
  await tx.insertInto('l7policy').values(row).execute()
}

/** Applies a patch and stamps updated_at. */
export async function updateL7PolicyRow(tx: Executor, id: string, patch: L7PolicyPatch): Promise<void> {
  await tx.updateTable('l7policy').set({ ...patch, updated_at: nowIso() }).where('id', '=', id).execute()
}

/**
 * Moves policy `id` to 1-based `position` among its listener's policies and
 * renumbers them all 1..n (dense): the others keep their order and shift to
 * make room; a position past the end appends. Only rows whose number changes
 * are written. Returns the policy's final position. Call under the load
 * balancer lock: the numbering is read, then written.
 */
export async function placeL7Policy(tx: Executor, listenerId: string, id: string, position: number): Promise<number> {
  const rows = await policiesInOrder(tx, listenerId)
  const others = rows.filter(r => r.id !== id)
  const index = Math.min(Math.max(position, 1) - 1, others.length)
  const ordered = [...others.slice(0, index), { id, position: -1 }, ...others.slice(index)]
  await renumber(tx, ordered)
  return index + 1
}

/** Renumbers a listener's policies 1..n in their current order (after a removal). */
export async function compactL7PolicyPositions(tx: Executor, listenerId: string): Promise<void> {
  await renumber(tx, await policiesInOrder(tx, listenerId))
}

/**
 * Removes a policy, its rules and all their tags, then closes the gap in its
 * listener's positions (the worker, once the provider deleted it). Idempotent.
 */
export async function deleteL7PolicyRow(tx: Executor, id: string): Promise<void> {
  const row = await tx.selectFrom('l7policy').select(['id', 'listener_id']).where('id', '=', id).executeTakeFirst()
  if (!row) return
  const rules = await tx.selectFrom('l7rule').select('id').where('l7policy_id', '=', id).execute()
  await deleteTags(tx, [id, ...rules.map(r => r.id)])
  await tx.deleteFrom('l7rule').where('l7policy_id', '=', id).execute()
  await tx.deleteFrom('l7policy').where('id', '=', id).execute()
  await compactL7PolicyPositions(tx, row.listener_id)
}

async function policiesInOrder(tx: Executor, listenerId: string): Promise<{ id: string; position: number }[]> {
  return tx.selectFrom('l7policy').select(['id', 'position']).where('listener_id', '=', listenerId)
    .orderBy('position').orderBy('created_at').orderBy('id').execute()
}

async function renumber(tx: Executor, ordered: readonly { id: string; position: number }[]): Promise<void> {
  for (const [i, r] of ordered.entries()) {
    if (r.position !== i + 1) await tx.updateTable('l7policy').set({ position: i + 1 }).where('id', '=', r.id).execute()
  }
}
