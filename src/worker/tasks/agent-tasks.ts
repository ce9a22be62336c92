import { amphoraeOf, updateAmphora } from '../../db/repositories/amphora-repository.js'
import { AgentRequestError } from '../../drivers/amphora/rest/agent-client-errors.js'
import { endpointOf } from '../../drivers/amphora/amphora-config-sync.js'
import type { AmphoraFlowDeps } from '../../drivers/amphora-flow-deps.js'
import { nothingToRevert, type Task } from '../engine/task.js'
import { amphoraIdOf, slotTaskName, slotUnused, type AmphoraSlot, type SlotPayload } from './amphora-slot.js'
import { builtInstance } from './compute-tasks.js'

type LbPayload = { loadBalancerId: string }

/** Ignores the agent's 404 (the amphora or load balancer is already gone there). */
async function ignoreNotFound(p: Promise<unknown>): Promise<void> {
  try {
    await p
  } catch (err) {
    if (!(err instanceof AgentRequestError && err.agentStatus === 404)) throw err
  }
}

/**
 * Registers the amphora with the agent of this host (`PUT /amphorae/{id}`
 * with the namespace its HAProxy runs in) and records the agent's address
 * as `lb_network_ip` and its certificate's expiry as `cert_expiration`.
 * Revert: the amphora unregistered (every process stopped, files removed).
 */
export function registerAmphora(d: AmphoraFlowDeps, slot: AmphoraSlot): Task<SlotPayload, null> {
  return {
    name: slotTaskName('register-amphora', slot),
    execute: async (ctx, input) => {
      if (slotUnused(input, slot)) return null
      const amphoraId = amphoraIdOf(ctx, input, slot)
      const instance = builtInstance(input, slot)
      const ep = d.agentEndpoint
      await d.agent.registerAmphora(ep, amphoraId, { netns: instance?.netns ?? null }, { signal: ctx.signal })
      const expiry = await d.certificateExpiry(ep, ctx.signal).catch(err => {
        ctx.log.warn({ err }, 'could not read the agent certificate expiry')
        return null
      })
      await updateAmphora(ctx.db, amphoraId, {
        lb_network_ip: ep.host, cert_expiration: expiry === null ? null : expiry.toISOString().slice(0, 23),
      })
      return null
    },
    revert: async (ctx, _result, input) => {
      if (slotUnused(input, slot)) return
      try {
        await ignoreNotFound(d.agent.deleteAmphora(d.agentEndpoint, amphoraIdOf(ctx, input, slot), { maxRetries: 2 }))
      } catch (err) {
        ctx.log.error({ err }, 'could not unregister the amphora from its agent')
      }
    },
  }
}

/** Load balancer delete: its HAProxy stopped and removed on every amphora (`DELETE …/listeners/{lb}`). */
export function removeLoadBalancerFromAmphorae(d: AmphoraFlowDeps): Task<LbPayload, null> {
  return {
    name: 'remove-haproxy',
    execute: async (ctx, { payload }) => {
      for (const amp of await amphoraeOf(ctx.db, payload.loadBalancerId)) {
        await ignoreNotFound(d.agent.deleteLoadBalancer(endpointOf(d, amp), amp.id, payload.loadBalancerId, { signal: ctx.signal }))
      }
      return null
    },
    revert: nothingToRevert,
  }
}

/** Load balancer delete: every amphora unregistered from its agent (`DELETE /amphorae/{id}`: nothing of it left there). */
export function unregisterAmphorae(d: AmphoraFlowDeps): Task<LbPayload, null> {
  return {
    name: 'unregister-amphorae',
    execute: async (ctx, { payload }) => {
      for (const amp of await amphoraeOf(ctx.db, payload.loadBalancerId)) {
        await ignoreNotFound(d.agent.deleteAmphora(endpointOf(d, amp), amp.id, { signal: ctx.signal }))
      }
      return null
    },
    revert: nothingToRevert,
  }
}
