import type { Executor } from '../database.js'

/** Ids of every object below a load balancer or listener. */
export interface ObjectTree {
  readonly listenerIds: readonly string[]
  readonly poolIds: readonly string[]
  readonly memberIds: readonly string[]
  readonly healthMonitorIds: readonly string[]
  readonly l7policyIds: readonly string[]
  readonly l7ruleIds: readonly string[]
}

const ids = (rows: readonly { id: string }[]): string[] => rows.map(r => r.id)

/** Members and health monitors of some pools. */
export async function poolChildren(db: Executor, poolIds: readonly string[]): Promise<Pick<ObjectTree, 'memberIds' | 'healthMonitorIds'>> {
  if (poolIds.length === 0) return { memberIds: [], healthMonitorIds: [] }
  const memberIds = ids(await db.selectFrom('member').select('id').where('pool_id', 'in', [...poolIds]).execute())
  const healthMonitorIds = ids(await db.selectFrom('health_monitor').select('id').where('pool_id', 'in', [...poolIds]).execute())
  return { memberIds, healthMonitorIds }
}

/** L7 policies of some listeners and their rules. */
export async function listenerChildren(db: Executor, listenerIds: readonly string[]): Promise<Pick<ObjectTree, 'l7policyIds' | 'l7ruleIds'>> {
  if (listenerIds.length === 0) return { l7policyIds: [], l7ruleIds: [] }
  const l7policyIds = ids(await db.selectFrom('l7policy').select('id').where('listener_id', 'in', [...listenerIds]).execute())
  const l7ruleIds = l7policyIds.length
    ? ids(await db.selectFrom('l7rule').select('id').where('l7policy_id', 'in', l7policyIds).execute())
    : []
  return { l7policyIds, l7ruleIds }
}

/** Reads the ids of the rules of one L7 policy, whatever their statuses. */
export async function l7policyRuleIds(db: Executor, l7policyId: string): Promise<string[]> {
  return ids(await db.selectFrom('l7rule').select('id').where('l7policy_id', '=', l7policyId).execute())
}

/** Pools a listener uses: its default pool and the pools its L7 policies redirect to. */
export async function listenerPoolIds(db: Executor, listenerId: string): Promise<string[]> {
  const listener = await db.selectFrom('listener').select('default_pool_id').where('id', '=', listenerId).executeTakeFirst()
  const redirect = await db.selectFrom('l7policy').select('redirect_pool_id')
    .where('listener_id', '=', listenerId).where('redirect_pool_id', 'is not', null).execute()
  const all = [listener?.default_pool_id, ...redirect.map(r => r.redirect_pool_id)].filter((id): id is string => !!id)
  return [...new Set(all)]
}

/** Everything below a load balancer (whatever the statuses). */
export async function loadBalancerTree(db: Executor, loadBalancerId: string): Promise<ObjectTree> {
  const listenerIds = ids(await db.selectFrom('listener').select('id').where('load_balancer_id', '=', loadBalancerId).execute())
  const poolIds = ids(await db.selectFrom('pool').select('id').where('load_balancer_id', '=', loadBalancerId).execute())
  return { listenerIds, poolIds, ...(await poolChildren(db, poolIds)), ...(await listenerChildren(db, listenerIds)) }
}
