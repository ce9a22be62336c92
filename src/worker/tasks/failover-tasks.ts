import { amphoraeOf, findAmphora, updateAmphora } from '../../db/repositories/amphora-repository.js'
import { loadBalancerTopology } from '../../db/repositories/load-balancer-repository.js'
import type { AmphoraRow } from '../../db/schema.js'
import { endpointOf } from '../../drivers/amphora/amphora-config-sync.js'
import type { AmphoraFlowDeps } from '../../drivers/amphora-flow-deps.js'
import { AmphoraRole, roleOf, rolesOf } from '../../model/amphora-roles.js'
import { AmphoraStatus } from '../../model/statuses.js'
import { nothingToRevert, type Task, type TaskContext } from '../engine/task.js'
import { slotTaskName, type AmphoraSlot } from './amphora-slot.js'
import { tearDownAmphora } from './amphora-teardown.js'
import { FAILOVER_PLAN, planOfRole, type AmphoraPlan, type FailoverPlan } from './amphora-tasks.js'

/**
 * Failover replaces amphorae by new ones (Octavia's failover flows): per
 * slot, the amphora replaced goes PENDING_DELETE, a replacement with its
 * role is built, configured (HAProxy; keepalived with the survivor as peer),
 * then the old one is removed and (SINGLE) the VIP moves onto the new one.
 * FAILOVER_PLAN decides, once per job, which amphora each slot replaces.
 */

const NOTHING: FailoverPlan = Object.freeze({ replaced: [], plans: [] })

/** What a failover payload names. */
type FailoverPayload = { amphoraId?: string; loadBalancerId?: string }

const isGone = (amp: AmphoraRow | undefined): boolean => !amp || amp.status === AmphoraStatus.DELETED

/**
 * Amphora failover plan: slot 0 replaces the amphora with one of the same
 * role. A DELETED or unknown amphora: nothing to do. A spare (no load
 * balancer) is torn down instead: nothing to rebuild.
 */
export function planAmphoraFailover(d: AmphoraFlowDeps): Task<{ amphoraId: string }, FailoverPlan> {
  return {
    name: FAILOVER_PLAN,
    execute: async (ctx, { payload }) => {
      const amp = await findAmphora(ctx.db, payload.amphoraId)
      if (!amp || isGone(amp)) return NOTHING
      if (amp.load_balancer_id === null || !ctx.loadBalancerId) {
        await tearDownAmphora(d, ctx, amp)
        return NOTHING
      }
      return { replaced: [amp.id], plans: [planOfRole(roleOf(amp.role))] }
    },
    revert: nothingToRevert,
  }
}

/**
 * Load balancer failover plan: every amphora replaced, one after the other;
 * ACTIVE_STANDBY: the one that does not hold the VIP (or cannot tell) first,
 * so that the one serving goes last. Roles the topology needs that no
 * amphora has (an earlier failure left one missing) are built anew.
 */
export function planLoadBalancerFailover(d: AmphoraFlowDeps): Task<{ loadBalancerId: string }, FailoverPlan> {
  return {
    name: FAILOVER_PLAN,
    execute: async (ctx, { payload }) => {
      const lb = await loadBalancerTopology(ctx.db, payload.loadBalancerId)
      if (!lb) return NOTHING
      const roles = rolesOf(lb.topology)
      const amphorae = (await amphoraeOf(ctx.db, payload.loadBalancerId)).slice(0, roles.length)
      const ordered = roles.length > 1 ? await servingLast(d, ctx, amphorae) : amphorae
      const missing = roles.filter(r => !ordered.some(a => roleOf(a.role) === r))
      const plans: AmphoraPlan[] = ordered.map(a => planOfRole(roles.includes(roleOf(a.role)) ? roleOf(a.role) : missing.shift() ?? roleOf(a.role)))
      for (const role of missing) plans.push(planOfRole(role))
      return { replaced: [...ordered.map(a => a.id), ...missing.map(() => null)], plans }
    },
    revert: nothingToRevert,
  }
}

/** The amphorae with the one holding the VIP last (an agent that does not answer counts as not holding it). */
async function servingLast(d: AmphoraFlowDeps, ctx: TaskContext, amphorae: readonly AmphoraRow[]): Promise<AmphoraRow[]> {
  const holds = new Map<string, boolean>()
  for (const amp of amphorae) {
    const status = await d.agent.vrrpStatus(endpointOf(d, amp), amp.id, { signal: ctx.signal, maxRetries: 1 }).catch(() => null)
    holds.set(amp.id, status?.holdsVip === true)
  }
  return [...amphorae].sort((a, b) => Number(holds.get(a.id)) - Number(holds.get(b.id)) ||
    Number(a.role === AmphoraRole.MASTER) - Number(b.role === AmphoraRole.MASTER))
}

/** The amphora slot `slot` replaces, if any. */
function replacedBy(results: Readonly<Record<string, unknown>>, slot: AmphoraSlot): string | null {
  return (results[FAILOVER_PLAN] as FailoverPlan | undefined)?.replaced[slot] ?? null
}

/**
 * The amphora the slot replaces goes PENDING_DELETE: configuration pushes
 * and VRRP peers leave it out from now on. Revert: nothing (the flow's
 * lifecycle task marks it ERROR).
 */
export function retireReplaced(slot: AmphoraSlot): Task<FailoverPayload, null> {
  return {
    name: slotTaskName('retire-amphora', slot),
    execute: async (ctx, { results }) => {
      const id = replacedBy(results, slot)
      const amp = id === null ? undefined : await findAmphora(ctx.db, id)
      if (amp && !isGone(amp)) await updateAmphora(ctx.db, amp.id, { status: AmphoraStatus.PENDING_DELETE })
      return null
    },
    revert: nothingToRevert,
  }
}

/** The amphora the slot replaced removed (agent, plug, instance, port) and DELETED. Idempotent. */
export function deleteReplaced(d: AmphoraFlowDeps, slot: AmphoraSlot): Task<FailoverPayload, null> {
  return {
    name: slotTaskName('delete-replaced-amphora', slot),
    execute: async (ctx, { results }) => {
      const id = replacedBy(results, slot)
      const amp = id === null ? undefined : await findAmphora(ctx.db, id)
      if (amp && !isGone(amp)) await tearDownAmphora(d, ctx, amp)
      return null
    },
    revert: nothingToRevert,
  }
}
