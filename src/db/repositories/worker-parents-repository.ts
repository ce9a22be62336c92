import type { Executor } from '../database.js'
import { poolIdOfHealthMonitor } from './health-monitor-repository.js'

/**
 * The objects an operation set PENDING_UPDATE besides its own object (api.md
 * §0.4): the load balancer, the affected listeners, and the pool (member and
 * health monitor operations) or the L7 policy (L7 rule operations).
 */
export interface Parents {
  readonly loadBalancerId: string | null
  readonly listenerIds: readonly string[]
  readonly poolId: string | null
  readonly l7policyId: string | null
}

const none = (loadBalancerId: string | null): Parents => ({ loadBalancerId, listenerIds: [], poolId: null, l7policyId: null })

/** Listeners that use a pool: as default pool, or as redirect pool of one of their L7 policies. */
export async function listenersUsingPool(db: Executor, poolId: string): Promise<string[]> {
  const direct = await db.selectFrom('listener').select('id').where('default_pool_id', '=', poolId).execute()
  const viaPolicy = await db.selectFrom('l7policy').select('listener_id').where('redirect_pool_id', '=', poolId).execute()
  return [...new Set([...direct.map(r => r.id), ...viaPolicy.map(r => r.listener_id)])].sort()
}

/** Parents of a listener: its load balancer. Null when the listener does not exist. */
export async function listenerParents(db: Executor, listenerId: string): Promise<Parents | null> {
  const l = await db.selectFrom('listener').select('load_balancer_id').where('id', '=', listenerId).executeTakeFirst()
  return l ? none(l.load_balancer_id) : null
}

/** Parents of a pool: the listeners using it and its load balancer. */
export async function poolParents(db: Executor, poolId: string): Promise<Parents | null> {
  const p = await db.selectFrom('pool').select('load_balancer_id').where('id', '=', poolId).executeTakeFirst()
  if (!p) return null
  return { ...none(p.load_balancer_id), listenerIds: await listenersUsingPool(db, poolId) }
}

/** Parents of a pool's child (member, health monitor, member batch): the pool, its listeners, the load balancer. */
export async function poolChildParents(db: Executor, poolId: string): Promise<Parents | null> {
  const parents = await poolParents(db, poolId)
  return parents ? { ...parents, poolId } : null
}

/** Parents of a member. */
export async function memberParents(db: Executor, memberId: string): Promise<Parents | null> {
  const m = await db.selectFrom('member').select('pool_id').where('id', '=', memberId).executeTakeFirst()
  return m ? poolChildParents(db, m.pool_id) : null
}

/** Parents of a health monitor. */
export async function healthMonitorParents(db: Executor, healthMonitorId: string): Promise<Parents | null> {
  const poolId = await poolIdOfHealthMonitor(db, healthMonitorId)
  return poolId === undefined ? null : poolChildParents(db, poolId)
}

/** Parents of an L7 policy: its listener and load balancer. */
export async function l7policyParents(db: Executor, l7policyId: string): Promise<Parents | null> {
  const p = await db.selectFrom('l7policy').innerJoin('listener', 'listener.id', 'l7policy.listener_id')
    .select(['l7policy.listener_id', 'listener.load_balancer_id'])
    .where('l7policy.id', '=', l7policyId).executeTakeFirst()
  return p ? { ...none(p.load_balancer_id), listenerIds: [p.listener_id] } : null
}

/** Parents of an L7 rule: its policy, the policy's listener and load balancer. */
export async function l7ruleParents(db: Executor, l7ruleId: string): Promise<Parents | null> {
  const r = await db.selectFrom('l7rule').select('l7policy_id').where('id', '=', l7ruleId).executeTakeFirst()
  if (!r) return null
  const parents = await l7policyParents(db, r.l7policy_id)
  return parents ? { ...parents, l7policyId: r.l7policy_id } : null
}
