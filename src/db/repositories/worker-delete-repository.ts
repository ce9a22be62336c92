import type { Executor } from '../database.js'
import { compactL7PolicyPositions } from './l7policy-repository.js'
import { deleteTags } from './tag-repository.js'
import { listenerChildren, poolChildren } from './worker-tree-repository.js'

/**
 * Hard deletes the worker performs when a delete operation completes. Each
 * removes the rows, their children and their tags, and is idempotent (missing
 * rows are skipped). Run each inside one transaction.
 */

/** Deletes L7 rules. */
export async function deleteL7Rules(tx: Executor, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return
  await tx.deleteFrom('l7rule').where('id', 'in', [...ids]).execute()
  await deleteTags(tx, ids)
}

/** Deletes L7 policies with their rules, then closes the gaps in their listeners' positions. */
export async function deleteL7Policies(tx: Executor, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return
  const rules = await tx.selectFrom('l7rule').select('id').where('l7policy_id', 'in', [...ids]).execute()
  const listeners = await tx.selectFrom('l7policy').select('listener_id').distinct().where('id', 'in', [...ids]).execute()
  await deleteL7Rules(tx, rules.map(r => r.id))
  await tx.deleteFrom('l7policy').where('id', 'in', [...ids]).execute()
  await deleteTags(tx, ids)
  for (const l of listeners) await compactL7PolicyPositions(tx, l.listener_id)
}

/** Deletes members. */
export async function deleteMembers(tx: Executor, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return
  for (let i = 0; i < ids.length; i += 500) {
    await tx.deleteFrom('member').where('id', 'in', ids.slice(i, i + 500)).execute()
  }
  await deleteTags(tx, ids)
}

/** Deletes health monitors (the caller updates the members' operating status). */
export async function deleteHealthMonitors(tx: Executor, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return
  await tx.deleteFrom('health_monitor').where('id', 'in', [...ids]).execute()
  await deleteTags(tx, ids)
}

/** Deletes pools with their members and health monitors; listeners using them lose their default pool. */
export async function deletePools(tx: Executor, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return
  const children = await poolChildren(tx, ids)
  await deleteMembers(tx, children.memberIds)
  await deleteHealthMonitors(tx, children.healthMonitorIds)
  await tx.updateTable('listener').set({ default_pool_id: null }).where('default_pool_id', 'in', [...ids]).execute()
  await tx.deleteFrom('pool').where('id', 'in', [...ids]).execute()
  await deleteTags(tx, ids)
}

/** Deletes listeners with their L7 policies, rules and statistics. */
export async function deleteListeners(tx: Executor, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return
  const children = await listenerChildren(tx, ids)
  await deleteL7Policies(tx, children.l7policyIds)
  await tx.deleteFrom('listener_statistics').where('listener_id', 'in', [...ids]).execute()
  await tx.deleteFrom('listener').where('id', 'in', [...ids]).execute()
  await deleteTags(tx, ids)
}

/** Deletes everything below a load balancer (listeners first: their policies may redirect to pools). */
export async function deleteLoadBalancerChildren(tx: Executor, loadBalancerId: string): Promise<void> {
  const listeners = await tx.selectFrom('listener').select('id').where('load_balancer_id', '=', loadBalancerId).execute()
  await deleteListeners(tx, listeners.map(l => l.id))
  const pools = await tx.selectFrom('pool').select('id').where('load_balancer_id', '=', loadBalancerId).execute()
  await deletePools(tx, pools.map(p => p.id))
}

/** Deletes the amphora rows of a load balancer. */
export async function deleteAmphoraeOf(tx: Executor, loadBalancerId: string): Promise<void> {
  await tx.deleteFrom('amphora').where('load_balancer_id', '=', loadBalancerId).execute()
}

/** The ports of a load balancer's VIP and additional VIPs. */
export async function vipPortsOf(db: Executor, loadBalancerId: string): Promise<string[]> {
  const vip = await db.selectFrom('vip').select('port_id').where('load_balancer_id', '=', loadBalancerId).execute()
  const extra = await db.selectFrom('additional_vip').select('port_id').where('load_balancer_id', '=', loadBalancerId).execute()
  return [...vip, ...extra].map(r => r.port_id).filter((p): p is string => p !== null)
}
