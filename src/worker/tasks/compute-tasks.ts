import { amphoraeOf, findAmphora, updateAmphora } from '../../db/repositories/amphora-repository.js'
import type { ComputeDriver, ComputeInstance } from '../../drivers/compute/compute-driver.js'
import type { AmphoraFlowDeps } from '../../drivers/amphora-flow-deps.js'
import { AmphoraStatus } from '../../model/statuses.js'
import { nothingToRevert, type Task, type TaskInput } from '../engine/task.js'
import {
  amphoraIdOf, slotLoadBalancerId, slotResult, slotTaskName, slotUnused, type AmphoraSlot, type SlotPayload,
} from './amphora-slot.js'

type LbPayload = { loadBalancerId: string }

/** Name of the compute build task (per slot); its result is the ComputeInstance (null: slot unused). */
export const COMPUTE_BUILD = 'compute-build'

/** The instance the slot's compute build made, if it ran. */
export const builtInstance = (input: TaskInput<unknown>, slot: AmphoraSlot): ComputeInstance | undefined =>
  slotResult<ComputeInstance | null>(input, COMPUTE_BUILD, slot) ?? undefined

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
export function computeBuild(d: AmphoraFlowDeps, slot: AmphoraSlot): Task<SlotPayload, ComputeInstance | null> {
  return {
    name: slotTaskName(COMPUTE_BUILD, slot),
    execute: async (ctx, input) => {
      if (slotUnused(input, slot)) return null
      const amphoraId = amphoraIdOf(ctx, input, slot)
      const instance = await d.compute.build({ amphoraId, loadBalancerId: slotLoadBalancerId(ctx, input) }, ctx.signal)
      await updateAmphora(ctx.db, amphoraId, { compute_id: instance.computeId, status: AmphoraStatus.BOOTING })
      return { computeId: instance.computeId, netns: instance.netns }
    },
    revert: async (ctx, result, input) => {
      if (slotUnused(input, slot)) return
      const amphoraId = amphoraIdOf(ctx, input, slot)
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
