import type { Executor } from '../../db/database.js'
import type { StatusTable } from '../../db/repositories/status-guard.js'
import {
  healthMonitorParents, l7policyParents, l7ruleParents, listenerParents, memberParents, poolChildParents, poolParents,
  type Parents,
} from '../../db/repositories/worker-parents-repository.js'
import { markError, markParentsActive } from '../../db/repositories/worker-status-repository.js'
import { loadBalancerTree } from '../../db/repositories/worker-tree-repository.js'
import type { Task, TaskContext } from '../engine/task.js'

/**
 * Lifecycle tasks open every flow (Octavia's "…ToErrorOnRevert" tasks). Their
 * execute records the parents the operation locked (the Parents result, read
 * by later tasks); their revert, which runs last when a flow fails, settles
 * the statuses: the object ERROR, its parents ACTIVE (api.md §0.4).
 */

const orphan = (ctx: TaskContext): Parents => ({ loadBalancerId: ctx.loadBalancerId, listenerIds: [], poolId: null, l7policyId: null })

/** Sets the parents of a child operation back to ACTIVE (policy or pool, listeners, load balancer). */
export async function settleParents(db: Executor, p: Parents): Promise<void> {
  if (p.l7policyId) await markParentsActive(db, 'l7policy', [p.l7policyId])
  if (p.poolId) await markParentsActive(db, 'pool', [p.poolId])
  await markParentsActive(db, 'listener', p.listenerIds)
  if (p.loadBalancerId) await markParentsActive(db, 'load_balancer', [p.loadBalancerId])
}

function childToErrorOnRevert<P>(
  name: string, table: StatusTable, idsOf: (p: P) => readonly string[],
  parentsOf: (db: Executor, p: P) => Promise<Parents | null>,
): Task<P, Parents> {
  return {
    name,
    execute: async (ctx, { payload }) => (await parentsOf(ctx.db, payload)) ?? orphan(ctx),
    revert: async (ctx, result, { payload }) => {
      try {
        await ctx.db.transaction().execute(async tx => {
          const parents = result ?? (await parentsOf(tx, payload)) ?? orphan(ctx)
          await markError(tx, table, idsOf(payload))
          await settleParents(tx, parents)
        })
      } catch (err) {
        ctx.log.error({ err }, 'could not mark the object ERROR')
      }
    },
  }
}

/** Listener operations: listener ERROR, load balancer ACTIVE on revert. */
export const listenerToErrorOnRevert = childToErrorOnRevert<{ listenerId: string }>(
  'listener-to-error-on-revert', 'listener', p => [p.listenerId], (db, p) => listenerParents(db, p.listenerId))

/** Pool operations: pool ERROR, its listeners and load balancer ACTIVE on revert. */
export const poolToErrorOnRevert = childToErrorOnRevert<{ poolId: string }>(
  'pool-to-error-on-revert', 'pool', p => [p.poolId], (db, p) => poolParents(db, p.poolId))

/** Member operations: member ERROR, pool, listeners and load balancer ACTIVE on revert. */
export const memberToErrorOnRevert = childToErrorOnRevert<{ memberId: string }>(
  'member-to-error-on-revert', 'member', p => [p.memberId], (db, p) => memberParents(db, p.memberId))

/** Member batch: every member of the batch still present ERROR, pool, listeners and load balancer ACTIVE on revert. */
export const memberBatchToErrorOnRevert = childToErrorOnRevert<{ poolId: string; created: string[]; updated: string[]; deleted: string[] }>(
  'members-to-error-on-revert', 'member', p => [...p.created, ...p.updated, ...p.deleted], (db, p) => poolChildParents(db, p.poolId))

/** Health monitor operations: monitor ERROR, pool, listeners and load balancer ACTIVE on revert. */
export const healthMonitorToErrorOnRevert = childToErrorOnRevert<{ healthMonitorId: string }>(
  'health-monitor-to-error-on-revert', 'health_monitor', p => [p.healthMonitorId],
  (db, p) => healthMonitorParents(db, p.healthMonitorId))

/** L7 policy operations: policy ERROR, listener and load balancer ACTIVE on revert. */
export const l7policyToErrorOnRevert = childToErrorOnRevert<{ l7policyId: string }>(
  'l7policy-to-error-on-revert', 'l7policy', p => [p.l7policyId], (db, p) => l7policyParents(db, p.l7policyId))

/** L7 rule operations: rule ERROR, policy, listener and load balancer ACTIVE on revert. */
export const l7ruleToErrorOnRevert = childToErrorOnRevert<{ l7ruleId: string }>(
  'l7rule-to-error-on-revert', 'l7rule', p => [p.l7ruleId], (db, p) => l7ruleParents(db, p.l7ruleId))

/**
 * Load balancer operations (create, update, delete, failover): on revert the
 * load balancer ERROR, and every object below it still PENDING_* ERROR too
 * (the load balancer was locked, so they belong to this operation).
 */
export const loadBalancerToErrorOnRevert: Task<{ loadBalancerId: string }, null> = {
  name: 'load-balancer-to-error-on-revert',
  execute: async () => null,
  revert: async (ctx, _result, { payload }) => {
    try {
      await ctx.db.transaction().execute(async tx => {
        const tree = await loadBalancerTree(tx, payload.loadBalancerId)
        await markError(tx, 'listener', tree.listenerIds, true)
        await markError(tx, 'pool', tree.poolIds, true)
        await markError(tx, 'member', tree.memberIds, true)
        await markError(tx, 'health_monitor', tree.healthMonitorIds, true)
        await markError(tx, 'l7policy', tree.l7policyIds, true)
        await markError(tx, 'l7rule', tree.l7ruleIds, true)
        await markError(tx, 'load_balancer', [payload.loadBalancerId])
      })
    } catch (err) {
      ctx.log.error({ err }, 'could not mark the load balancer ERROR')
    }
  },
}
