import { findAmphora, updateAmphora } from '../../db/repositories/amphora-repository.js'
import type { AmphoraRow } from '../../db/schema.js'
import { AgentRequestError } from '../../drivers/amphora/rest/agent-client-errors.js'
import { endpointOf } from '../../drivers/provider/amphora/amphora-config-sync.js'
import type { AmphoraFlowDeps } from '../../drivers/provider/amphora/amphora-flow-deps.js'
import { AmphoraStatus } from '../../model/statuses.js'
import { nothingToRevert, type Task, type TaskContext } from '../engine/task.js'
import { instanceOf } from './compute-tasks.js'
import { applyLoadBalancer } from './config-tasks.js'

/**
 * Tasks of the admin amphora operations (`/v2/octavia/amphorae/{id}/…`) for
 * the amphora provider. Each works on the amphora of the payload and is
 * idempotent.
 */

type AmpPayload = { amphoraId: string }

/** Everything of an amphora removed from the host: agent registration (its processes and files), VIP plug, instance, own port. */
async function teardown(d: AmphoraFlowDeps, ctx: TaskContext, amp: AmphoraRow): Promise<void> {
  try {
    await d.agent.deleteAmphora(endpointOf(d, amp), amp.id, { signal: ctx.signal })
  } catch (err) {
    if (!(err instanceof AgentRequestError && err.agentStatus === 404)) throw err
  }
  if (amp.compute_id) {
    const vip = amp.load_balancer_id === null ? undefined : await ctx.db.selectFrom('vip').select('network_id')
      .where('load_balancer_id', '=', amp.load_balancer_id).executeTakeFirst()
    if (vip?.network_id) {
      await d.dataPlane.unplug({ amphoraId: amp.id, instance: instanceOf(d.compute, amp.compute_id), networkId: vip.network_id }, ctx.signal)
    }
    await d.compute.delete(amp.compute_id, ctx.signal)
  }
  await ctx.db.transaction().execute(async tx => {
    if (amp.vrrp_port_id) await ctx.network.releasePort(tx, amp.vrrp_port_id)
    await updateAmphora(tx, amp.id, { status: AmphoraStatus.DELETED, vrrp_port_id: null })
  })
  d.stats.forget(amp.id)
}

/** What an amphora failover did. */
export interface AmphoraRebuildResult {
  /** false: nothing to configure afterwards (amphora gone or a spare, now DELETED). */
  readonly serving: boolean
}

/**
 * Amphora failover on local amphorae: the amphora is rebuilt in place (same
 * id: instance built again, registered with the agent, VIP plugged again)
 * and ALLOCATED; the configuration push that follows restarts its HAProxy.
 * A DELETED or missing amphora is left alone; a spare (no load balancer) is
 * torn down and DELETED. NOTE: Octavia replaces the amphora by a new one;
 * with one agent per host the rebuild keeps the VIP where it is.
 */
export function rebuildAmphora(d: AmphoraFlowDeps): Task<AmpPayload, AmphoraRebuildResult> {
  return {
    name: 'rebuild-amphora',
    execute: async (ctx, { payload }) => {
      const amp = await findAmphora(ctx.db, payload.amphoraId)
      if (!amp || amp.status === AmphoraStatus.DELETED) return { serving: false }
      if (amp.load_balancer_id === null) {
        await teardown(d, ctx, amp)
        return { serving: false }
      }
      const instance = await d.compute.build({ amphoraId: amp.id, loadBalancerId: amp.load_balancer_id }, ctx.signal)
      await d.agent.registerAmphora(endpointOf(d, amp), amp.id, { netns: instance.netns }, { signal: ctx.signal })
      const vip = await ctx.db.selectFrom('vip').selectAll().where('load_balancer_id', '=', amp.load_balancer_id).executeTakeFirst()
      if (vip?.network_id && vip.ip_address && vip.subnet_id) {
        const addresses = [
          ...(amp.vrrp_ip && amp.vrrp_ip !== vip.ip_address ? [{ ipAddress: amp.vrrp_ip, subnetId: vip.subnet_id }] : []),
          { ipAddress: vip.ip_address, subnetId: vip.subnet_id },
        ]
        await d.dataPlane.plug({ amphoraId: amp.id, instance, networkId: vip.network_id, addresses }, ctx.signal)
      }
      await updateAmphora(ctx.db, amp.id, { compute_id: instance.computeId, status: AmphoraStatus.ALLOCATED })
      return { serving: true }
    },
    revert: nothingToRevert,
  }
}

/** Amphora delete (an ERROR amphora the API set PENDING_DELETE): torn down and DELETED. */
export function deleteAmphoraResources(d: AmphoraFlowDeps): Task<AmpPayload, null> {
  return {
    name: 'delete-amphora',
    execute: async (ctx, { payload }) => {
      const amp = await findAmphora(ctx.db, payload.amphoraId)
      if (amp && amp.status !== AmphoraStatus.DELETED) await teardown(d, ctx, amp)
      return null
    },
    revert: nothingToRevert,
  }
}

/**
 * Agent configuration update: one agent serves every amphora of its host
 * and reads its configuration at start, so there is nothing per amphora to
 * push; the amphora's registration (its namespace) is sent again.
 */
export function refreshAmphoraRegistration(d: AmphoraFlowDeps): Task<AmpPayload, null> {
  return {
    name: 'update-amphora-agent-config',
    execute: async (ctx, { payload }) => {
      const amp = await findAmphora(ctx.db, payload.amphoraId)
      if (!amp?.compute_id || amp.status === AmphoraStatus.DELETED) return null
      await d.agent.registerAmphora(endpointOf(d, amp), amp.id, { netns: instanceOf(d.compute, amp.compute_id).netns }, { signal: ctx.signal })
      return null
    },
    revert: nothingToRevert,
  }
}

/** After a failover rebuild: the load balancer's configuration applied again (nothing when the amphora does not serve). */
export function reapplyAfterRebuild(d: AmphoraFlowDeps): Task<AmpPayload, null> {
  return {
    name: 'update-amphora-configs',
    execute: async (ctx, { results }) => {
      const rebuilt = results['rebuild-amphora'] as AmphoraRebuildResult | undefined
      if (rebuilt?.serving && ctx.loadBalancerId) await applyLoadBalancer(d, ctx, ctx.loadBalancerId)
      return null
    },
    revert: nothingToRevert,
  }
}
