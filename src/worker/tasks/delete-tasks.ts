import { poolIdOfHealthMonitor } from '../../db/repositories/health-monitor-repository.js'
import { deleteTags } from '../../db/repositories/tag-repository.js'
import {
  deleteAmphoraeOf, deleteHealthMonitors, deleteL7Policies, deleteL7Rules, deleteListeners, deleteLoadBalancerChildren,
  deleteMembers, deletePools,
} from '../../db/repositories/worker-delete-repository.js'
import { markLoadBalancerDeleted as markDeleted, markPoolMembersUnmonitored } from '../../db/repositories/worker-status-repository.js'
import { nothingToRevert, type Task } from '../engine/task.js'

/**
 * Tasks that remove rows when a delete operation succeeds. Each deletes in
 * one transaction and is idempotent. A delete cannot be undone: reverts do
 * nothing and the lifecycle task marks the object ERROR.
 */

/** Deletes a listener with its L7 policies, rules, statistics and tags. */
export const deleteListener: Task<{ listenerId: string }, null> = {
  name: 'delete-listener',
  execute: async (ctx, { payload }) => {
    await ctx.db.transaction().execute(tx => deleteListeners(tx, [payload.listenerId]))
    return null
  },
  revert: nothingToRevert,
}

/** Deletes a pool with its members, health monitor and tags. */
export const deletePool: Task<{ poolId: string }, null> = {
  name: 'delete-pool',
  execute: async (ctx, { payload }) => {
    await ctx.db.transaction().execute(tx => deletePools(tx, [payload.poolId]))
    return null
  },
  revert: nothingToRevert,
}

/** Deletes a member and its tags. */
export const deleteMember: Task<{ memberId: string }, null> = {
  name: 'delete-member',
  execute: async (ctx, { payload }) => {
    await ctx.db.transaction().execute(tx => deleteMembers(tx, [payload.memberId]))
    return null
  },
  revert: nothingToRevert,
}

/** Deletes the members a batch removed. */
export const deleteBatchMembers: Task<{ deleted: string[] }, null> = {
  name: 'delete-members',
  execute: async (ctx, { payload }) => {
    await ctx.db.transaction().execute(tx => deleteMembers(tx, payload.deleted))
    return null
  },
  revert: nothingToRevert,
}

/** Deletes a health monitor; the pool's members become NO_MONITOR. */
export const deleteHealthMonitor: Task<{ healthMonitorId: string }, null> = {
  name: 'delete-health-monitor',
  execute: async (ctx, { payload }) => {
    await ctx.db.transaction().execute(async tx => {
      const poolId = await poolIdOfHealthMonitor(tx, payload.healthMonitorId)
      if (poolId === undefined) return
      await deleteHealthMonitors(tx, [payload.healthMonitorId])
      await markPoolMembersUnmonitored(tx, poolId)
    })
    return null
  },
  revert: nothingToRevert,
}

/** Deletes an L7 policy with its rules and tags. */
export const deleteL7Policy: Task<{ l7policyId: string }, null> = {
  name: 'delete-l7policy',
  execute: async (ctx, { payload }) => {
    await ctx.db.transaction().execute(tx => deleteL7Policies(tx, [payload.l7policyId]))
    return null
  },
  revert: nothingToRevert,
}

/** Deletes an L7 rule and its tags. */
export const deleteL7Rule: Task<{ l7ruleId: string }, null> = {
  name: 'delete-l7rule',
  execute: async (ctx, { payload }) => {
    await ctx.db.transaction().execute(tx => deleteL7Rules(tx, [payload.l7ruleId]))
    return null
  },
  revert: nothingToRevert,
}

/** Deletes every listener, pool, member, health monitor, L7 policy and rule of a load balancer (cascade). */
export const deleteLoadBalancerObjects: Task<{ loadBalancerId: string }, null> = {
  name: 'delete-load-balancer-children',
  execute: async (ctx, { payload }) => {
    await ctx.db.transaction().execute(tx => deleteLoadBalancerChildren(tx, payload.loadBalancerId))
    return null
  },
  revert: nothingToRevert,
}

/** Deletes the amphora rows of a load balancer. */
export const deleteLoadBalancerAmphorae: Task<{ loadBalancerId: string }, null> = {
  name: 'delete-amphorae',
  execute: async (ctx, { payload }) => {
    await deleteAmphoraeOf(ctx.db, payload.loadBalancerId)
    return null
  },
  revert: nothingToRevert,
}

/** The load balancer DELETED (the row stays for housekeeping), its tags removed. */
export const markLoadBalancerDeleted: Task<{ loadBalancerId: string }, null> = {
  name: 'mark-load-balancer-deleted',
  execute: async (ctx, { payload }) => {
    await ctx.db.transaction().execute(async tx => {
      await markDeleted(tx, payload.loadBalancerId)
      await deleteTags(tx, [payload.loadBalancerId])
    })
    return null
  },
  revert: nothingToRevert,
}

