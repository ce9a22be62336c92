import type { Parents } from '../../db/repositories/worker-parents-repository.js'
import { markActive } from '../../db/repositories/worker-status-repository.js'
import {
  l7policyRuleIds, listenerChildren, listenerPoolIds, loadBalancerTree, poolChildren,
} from '../../db/repositories/worker-tree-repository.js'
import { nothingToRevert, type Task } from '../engine/task.js'
import { settleParents } from './lifecycle-tasks.js'

/**
 * Tasks that settle statuses when an operation succeeded. Reverting them is
 * the lifecycle task's job (it runs last and sets the final statuses), so
 * their own reverts do nothing.
 */

/** Load balancer ACTIVE (OFFLINE when disabled). */
export const markLoadBalancerActive: Task<{ loadBalancerId: string }, null> = {
  name: 'mark-load-balancer-active',
  execute: async (ctx, { payload }) => {
    await markActive(ctx.db, 'load_balancer', [payload.loadBalancerId])
    return null
  },
  revert: nothingToRevert,
}

/** Every object below the load balancer still PENDING_* ACTIVE (a single-call graph create). */
export const markLoadBalancerChildrenActive: Task<{ loadBalancerId: string }, null> = {
  name: 'mark-load-balancer-children-active',
  execute: async (ctx, { payload }) => {
    await ctx.db.transaction().execute(async tx => {
      const tree = await loadBalancerTree(tx, payload.loadBalancerId)
      await markActive(tx, 'listener', tree.listenerIds, true)
      await markActive(tx, 'pool', tree.poolIds, true)
      await markActive(tx, 'member', tree.memberIds, true)
      await markActive(tx, 'health_monitor', tree.healthMonitorIds, true)
      await markActive(tx, 'l7policy', tree.l7policyIds, true)
      await markActive(tx, 'l7rule', tree.l7ruleIds, true)
    })
    return null
  },
  revert: nothingToRevert,
}

/**
 * Listener ACTIVE, with what was created along with it and is still PENDING_*:
 * its L7 policies and rules, its default pool and redirect pools, their members
 * and health monitors (jobs of one load balancer never overlap, so anything
 * PENDING_* there belongs to this job).
 */
export const markListenerActive: Task<{ listenerId: string }, null> = {
  name: 'mark-listener-active',
  execute: async (ctx, { payload }) => {
    await ctx.db.transaction().execute(async tx => {
      const children = await listenerChildren(tx, [payload.listenerId])
      const poolIds = await listenerPoolIds(tx, payload.listenerId)
      const poolKids = await poolChildren(tx, poolIds)
      await markActive(tx, 'member', poolKids.memberIds, true)
      await markActive(tx, 'health_monitor', poolKids.healthMonitorIds, true)
      await markActive(tx, 'pool', poolIds, true)
      await markActive(tx, 'l7policy', children.l7policyIds, true)
      await markActive(tx, 'l7rule', children.l7ruleIds, true)
      await markActive(tx, 'listener', [payload.listenerId])
    })
    return null
  },
  revert: nothingToRevert,
}

/** Pool ACTIVE, with its members and health monitor still PENDING_* (created along with it). */
export const markPoolActive: Task<{ poolId: string }, null> = {
  name: 'mark-pool-active',
  execute: async (ctx, { payload }) => {
    await ctx.db.transaction().execute(async tx => {
      const children = await poolChildren(tx, [payload.poolId])
      await markActive(tx, 'member', children.memberIds, true)
      await markActive(tx, 'health_monitor', children.healthMonitorIds, true)
      await markActive(tx, 'pool', [payload.poolId])
    })
    return null
  },
  revert: nothingToRevert,
}

/** Member ACTIVE (OFFLINE when disabled). */
export const markMemberActive: Task<{ memberId: string }, null> = {
  name: 'mark-member-active',
  execute: async (ctx, { payload }) => {
    await markActive(ctx.db, 'member', [payload.memberId])
    return null
  },
  revert: nothingToRevert,
}

/** Members created or updated by a batch ACTIVE. */
export const markBatchMembersActive: Task<{ created: string[]; updated: string[] }, null> = {
  name: 'mark-members-active',
  execute: async (ctx, { payload }) => {
    await markActive(ctx.db, 'member', [...payload.created, ...payload.updated])
    return null
  },
  revert: nothingToRevert,
}

/** Health monitor ACTIVE, ONLINE when enabled else OFFLINE. */
export const markHealthMonitorActive: Task<{ healthMonitorId: string }, null> = {
  name: 'mark-health-monitor-active',
  execute: async (ctx, { payload }) => {
    await markActive(ctx.db, 'health_monitor', [payload.healthMonitorId])
    return null
  },
  revert: nothingToRevert,
}

/** L7 policy ACTIVE (ONLINE/OFFLINE), with its rules still PENDING_* (created along with it). */
export const markL7PolicyActive: Task<{ l7policyId: string }, null> = {
  name: 'mark-l7policy-active',
  execute: async (ctx, { payload }) => {
    await ctx.db.transaction().execute(async tx => {
      await markActive(tx, 'l7rule', await l7policyRuleIds(tx, payload.l7policyId), true)
      await markActive(tx, 'l7policy', [payload.l7policyId])
    })
    return null
  },
  revert: nothingToRevert,
}

/** L7 rule ACTIVE, ONLINE when enabled else OFFLINE. */
export const markL7RuleActive: Task<{ l7ruleId: string }, null> = {
  name: 'mark-l7rule-active',
  execute: async (ctx, { payload }) => {
    await markActive(ctx.db, 'l7rule', [payload.l7ruleId])
    return null
  },
  revert: nothingToRevert,
}

/**
 * The parents recorded by `lifecycle` (its result) back to ACTIVE: L7 policy
 * or pool, listeners, load balancer.
 */
export function markParentsActive(lifecycle: Task<any, Parents>): Task<unknown, null> {
  return {
    name: 'mark-parents-active',
    execute: async (ctx, { results }) => {
      const parents = results[lifecycle.name] as Parents | undefined
      if (!parents) throw new Error(`result of '${lifecycle.name}' is missing`)
      await ctx.db.transaction().execute(tx => settleParents(tx, parents))
      return null
    },
    revert: nothingToRevert,
  }
}
