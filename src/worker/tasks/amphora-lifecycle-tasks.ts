import { setAmphoraStatus } from '../../db/repositories/amphora-admin-repository.js'
import { markActive, markError } from '../../db/repositories/worker-status-repository.js'
import { AmphoraStatus } from '../../model/statuses.js'
import { nothingToRevert, type Task } from '../engine/task.js'

/**
 * Lifecycle tasks of the admin amphora operations (first in their flows;
 * their revert settles the statuses when the flow fails). The job's load
 * balancer (null for a spare amphora) is the one the API locked.
 */

/** Amphora failover: on revert the amphora ERROR and its load balancer ERROR, as Octavia's failover flow. */
export const amphoraFailoverToErrorOnRevert: Task<{ amphoraId: string }, null> = {
  name: 'amphora-failover-to-error-on-revert',
  execute: async () => null,
  revert: async (ctx, _result, { payload }) => {
    try {
      await ctx.db.transaction().execute(async tx => {
        await setAmphoraStatus(tx, [payload.amphoraId], AmphoraStatus.ERROR)
        if (ctx.loadBalancerId) await markError(tx, 'load_balancer', [ctx.loadBalancerId])
      })
    } catch (err) {
      ctx.log.error({ err }, 'could not mark the amphora and its load balancer ERROR')
    }
  },
}

/** Amphora delete: on revert the PENDING_DELETE amphora back to ERROR. */
export const amphoraDeleteToErrorOnRevert: Task<{ amphoraId: string }, null> = {
  name: 'amphora-delete-to-error-on-revert',
  execute: async () => null,
  revert: async (ctx, _result, { payload }) => {
    await setAmphoraStatus(ctx.db, [payload.amphoraId], AmphoraStatus.ERROR, [AmphoraStatus.PENDING_DELETE])
      .catch(err => ctx.log.error({ err }, 'could not mark the amphora ERROR'))
  },
}

/** Agent config update: changes no status, so a failure leaves nothing to settle (as Octavia). */
export const amphoraConfigLifecycle: Task<{ amphoraId: string }, null> = {
  name: 'amphora-config-lifecycle',
  execute: async () => null,
  revert: nothingToRevert,
}

/** The load balancer the job locked (if any) ACTIVE again. */
export const markAmphoraLoadBalancerActive: Task<{ amphoraId: string }, null> = {
  name: 'mark-load-balancer-active',
  execute: async ctx => {
    if (ctx.loadBalancerId) await markActive(ctx.db, 'load_balancer', [ctx.loadBalancerId])
    return null
  },
  revert: nothingToRevert,
}
