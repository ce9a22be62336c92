import { amphoraeOf, findAmphora, updateAmphora } from '../../db/repositories/amphora-repository.js'
import type { ComputeDriver, ComputeInstance } from '../../drivers/compute/compute-driver.js'
import type { AmphoraFlowDeps } from '../../drivers/provider/amphora/amphora-flow-deps.js'
import { AmphoraStatus } from '../../model/statuses.js'
import { nothingToRevert, type Task } from '../engine/task.js'
import { amphoraIdOf } from './amphora-tasks.js'

type LbPayload = { loadBalancerId: string }

/** Name of the compute build task; its result is the ComputeInstance. */
export const COMPUTE_BUILD = 'compute-build'

/**
 * The ComputeInstance of a recorded compute id (what plug/unplug need). The
 * compute driver only hands it out on build; its shape is known per driver:
 * a netns amphora runs in the namespace named by its compute id, the others
 * in the host namespace.
 */
export function instanceOf(compute: ComputeDriver, computeId: string): ComputeInstance {
  return { computeId, netns: compute.name === 'netns' ? computeId : null }
}

/**
 * Builds the amphora's host (a namespace, a loopback slot) and records its
 * compute id with status BOOTING. Revert: the instance deleted (a failure
 * there marks the amphora ERROR, so it is not taken for clean).
 */
export function computeBuild(d: AmphoraFlowDeps): Task<LbPayload, ComputeInstance> {
  return {
    name: COMPUTE_BUILD,
    execute: async (ctx, input) => {
      const amphoraId = amphoraIdOf(ctx, input)
      const instance = await d.compute.build({ amphoraId, loadBalancerId: input.payload.loadBalancerId }, ctx.signal)
      await updateAmphora(ctx.db, amphoraId, { compute_id: instance.computeId, status: AmphoraStatus.BOOTING })
      return { computeId: instance.computeId, netns: instance.netns }
    },
    revert: async (ctx, result, input) => {
      const amphoraId = amphoraIdOf(ctx, input)
      const computeId = result?.computeId ?? (await findAmphora(ctx.db, amphoraId).catch(() => undefined))?.compute_id
      if (!computeId) return
      try {
        await d.compute.delete(computeId, new AbortController().signal)
      } catch (err) {
        ctx.log.error({ err, amphoraId, computeId }, 'could not delete the amphora instance')
        await updateAmphora(ctx.db, amphoraId, { status: AmphoraStatus.ERROR }).catch(() => undefined)
      }
    },
  }
}

/** Load balancer delete: the instance of every amphora deleted (idempotent: missing ones count as deleted). */
export function computeDeleteAll(d: AmphoraFlowDeps): Task<LbPayload, null> {
  return {
    name: 'compute-delete',
    execute: async (ctx, { payload }) => {
      for (const amp of await amphoraeOf(ctx.db, payload.loadBalancerId)) {
        if (amp.compute_id) await d.compute.delete(amp.compute_id, ctx.signal)
      }
      return null
    },
    revert: nothingToRevert,
  }
}

/**
 * Failover: the instance of every amphora of the load balancer built again
 * (build is idempotent: a namespace that vanished is recreated, one that
 * exists is completed) and its compute id recorded.
 */
export function computeRebuildAll(d: AmphoraFlowDeps): Task<LbPayload, null> {
  return {
    name: 'compute-rebuild',
    execute: async (ctx, { payload }) => {
      for (const amp of await amphoraeOf(ctx.db, payload.loadBalancerId)) {
        const instance = await d.compute.build({ amphoraId: amp.id, loadBalancerId: payload.loadBalancerId }, ctx.signal)
        if (instance.computeId !== amp.compute_id) await updateAmphora(ctx.db, amp.id, { compute_id: instance.computeId })
      }
      return null
    },
    revert: nothingToRevert,
  }
}
