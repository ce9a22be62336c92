import { amphoraeOf, updateAmphora } from '../../db/repositories/amphora-repository.js'
import type { ComputeInstance } from '../../drivers/compute/compute-driver.js'
import { AgentRequestError } from '../../drivers/amphora/rest/agent-client-errors.js'
import { endpointOf } from '../../drivers/provider/amphora/amphora-config-sync.js'
import type { AmphoraFlowDeps } from '../../drivers/provider/amphora/amphora-flow-deps.js'
import { nothingToRevert, type Task } from '../engine/task.js'
import { amphoraIdOf } from './amphora-tasks.js'
import { COMPUTE_BUILD } from './compute-tasks.js'

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
export function registerAmphora(d: AmphoraFlowDeps): Task<LbPayload, null> {
  return {
    name: 'register-amphora',
    execute: async (ctx, input) => {
      const amphoraId = amphoraIdOf(ctx, input)
      const instance = input.results[COMPUTE_BUILD] as ComputeInstance | undefined
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
      try {
        await ignoreNotFound(d.agent.deleteAmphora(d.agentEndpoint, amphoraIdOf(ctx, input), { maxRetries: 2 }))
      } catch (err) {
        ctx.log.error({ err }, 'could not unregister the amphora from its agent')
      }
    },
  }
}

/** Failover: every amphora of the load balancer registered again with its agent (idempotent). */
export function reregisterAmphorae(d: AmphoraFlowDeps): Task<LbPayload, null> {
  return {
    name: 'register-amphorae',
    execute: async (ctx, { payload }) => {
      for (const amp of await amphoraeOf(ctx.db, payload.loadBalancerId)) {
        if (!amp.compute_id) continue
        const netns = d.compute.name === 'netns' ? amp.compute_id : null
        await d.agent.registerAmphora(endpointOf(d, amp), amp.id, { netns }, { signal: ctx.signal })
      }
      return null
    },
    revert: nothingToRevert,
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
