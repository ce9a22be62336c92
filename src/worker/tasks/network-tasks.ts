import { vipPortsOf } from '../../db/repositories/worker-delete-repository.js'
import { nothingToRevert, type Task } from '../engine/task.js'

/**
 * Releases the ports of a load balancer's VIP and additional VIPs through the
 * network service (ports we created are deleted, a user's port is unbound).
 * Idempotent; cannot be reverted.
 */
export const releaseLoadBalancerVip: Task<{ loadBalancerId: string }, null> = {
  name: 'release-vip',
  execute: async (ctx, { payload }) => {
    await ctx.db.transaction().execute(async tx => {
      for (const portId of await vipPortsOf(tx, payload.loadBalancerId)) await ctx.network.releaseVip(tx, portId)
    })
    return null
  },
  revert: nothingToRevert,
}
