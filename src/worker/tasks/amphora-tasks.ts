import { TerminalError } from '../../common/errors.js'
import { deleteAmphoraHealth } from '../../db/repositories/amphora-health-repository.js'
import {
  amphoraeOf, ensureAmphora, findAmphora, updateAmphora,
} from '../../db/repositories/amphora-repository.js'
import { loadBalancerProjectId, loadBalancerTopology } from '../../db/repositories/load-balancer-repository.js'
import { findVip } from '../../db/repositories/vip-repository.js'
import type { AmphoraFlowDeps } from '../../drivers/amphora-flow-deps.js'
import { rolesOf, VRRP_ID, vrrpPriorityOf, type AmphoraRole } from '../../model/amphora-roles.js'
import { AmphoraStatus } from '../../model/statuses.js'
import type { Task, TaskContext, TaskInput } from '../engine/task.js'
import { nothingToRevert } from '../engine/task.js'
import {
  amphoraIdOf, CREATE_AMPHORA_RECORD, slotLoadBalancerId, slotTaskName, slotUnused,
  type AmphoraRecordResult, type AmphoraSlot, type SlotPayload,
} from './amphora-slot.js'

/**
 * Tasks on amphora rows and the amphora's own (VRRP) port, per amphora slot
 * (amphora-slot.ts). An amphora built by a job has an id derived from the job
 * id and the slot, so a re-run of the job finds the amphora an earlier
 * attempt created.
 */

type LbPayload = { loadBalancerId: string }

/** What one slot builds: an amphora with this role and VRRP settings. */
export interface AmphoraPlan {
  readonly role: AmphoraRole
  readonly vrrpPriority: number | null
  readonly vrrpId: number | null
}

/** Name of the failover flows' planning task; its result (FailoverPlan) decides what each slot builds. */
export const FAILOVER_PLAN = 'failover-plan'

/** What a failover replaces: per slot, the amphora to replace (null: none, build anew) and the plan of its replacement. */
export interface FailoverPlan {
  readonly replaced: readonly (string | null)[]
  readonly plans: readonly AmphoraPlan[]
}

/**
 * The plan of a role: Octavia's priorities (MASTER 100, BACKUP 90, none for
 * STANDALONE) and VRRP id 1 for every role (Octavia records it with the VIP
 * data of each amphora, STANDALONE ones too).
 */
export const planOfRole = (role: AmphoraRole): AmphoraPlan => ({ role, vrrpPriority: vrrpPriorityOf(role), vrrpId: VRRP_ID })

/** What slot `slot` of this job builds, or null when the job does not need it. */
async function planOf(ctx: TaskContext, input: TaskInput<SlotPayload>, slot: AmphoraSlot): Promise<AmphoraPlan | null> {
  const failover = input.results[FAILOVER_PLAN] as FailoverPlan | undefined
  if (failover) return failover.plans[slot] ?? null
  const lbId = slotLoadBalancerId(ctx, input)
  const lb = await loadBalancerTopology(ctx.db, lbId)
  if (!lb) throw new TerminalError(`load balancer ${lbId} is missing`)
  const role = rolesOf(lb.topology)[slot]
  return role === undefined ? null : planOfRole(role)
}

/**
 * Creates the slot's amphora row (PENDING_CREATE) with the role and VRRP
 * settings the job plans for the slot (by topology: SINGLE one STANDALONE,
 * ACTIVE_STANDBY a MASTER and a BACKUP; a failover: the role of the amphora
 * replaced). Result amphoraId null: the slot is not needed. Revert: the
 * amphora DELETED, unless a clean-up failed and marked it ERROR (then it
 * stays for an operator).
 */
export function createAmphoraRecord(slot: AmphoraSlot): Task<SlotPayload, AmphoraRecordResult> {
  return {
    name: slotTaskName(CREATE_AMPHORA_RECORD, slot),
    execute: async (ctx, input) => {
      const plan = await planOf(ctx, input, slot)
      if (plan === null) return { amphoraId: null }
      const id = amphoraIdOf(ctx, input, slot)
      await ensureAmphora(ctx.db, id, slotLoadBalancerId(ctx, input), plan.role)
      await updateAmphora(ctx.db, id, { vrrp_priority: plan.vrrpPriority, vrrp_id: plan.vrrpId })
      return { amphoraId: id }
    },
    revert: async (ctx, result, input) => {
      if (result?.amphoraId === null) return
      try {
        const row = await findAmphora(ctx.db, amphoraIdOf(ctx, input, slot))
        if (row && row.status !== AmphoraStatus.ERROR) await updateAmphora(ctx.db, row.id, { status: AmphoraStatus.DELETED })
      } catch (err) {
        ctx.log.error({ err }, 'could not mark the amphora DELETED')
      }
    },
  }
}

/**
 * Allocates the amphora's own address on the VIP subnet (its VRRP port, as
 * Octavia's base port: the address the amphora talks to members from) and
 * records vrrp_ip / vrrp_port_id and the VIP as ha_ip / ha_port_id, in one
 * transaction (a re-run finds the port recorded). Revert: the port released.
 */
export function allocateAmphoraPort(slot: AmphoraSlot): Task<SlotPayload, { portId: string } | null> {
  return {
  name: slotTaskName('allocate-amphora-port', slot),
  execute: async (ctx, input) => {
    if (slotUnused(input, slot)) return null
    const amphoraId = amphoraIdOf(ctx, input, slot)
    const lbId = slotLoadBalancerId(ctx, input)
    return ctx.db.transaction().execute(async tx => {
      const amp = await findAmphora(tx, amphoraId)
      if (!amp) throw new TerminalError(`amphora ${amphoraId} is missing`)
      if (amp.vrrp_port_id) return { portId: amp.vrrp_port_id }
      const vip = await findVip(tx, lbId)
      if (!vip?.subnet_id) throw new TerminalError(`load balancer ${lbId} has no VIP subnet`)
      const projectId = await loadBalancerProjectId(tx, lbId)
      const port = await ctx.network.allocatePort(tx, {
        subnetId: vip.subnet_id, networkId: vip.network_id, name: `octavia-lb-vrrp-${amphoraId}`,
        deviceId: amphoraId, deviceOwner: 'Octavia', projectId,
      })
      await updateAmphora(tx, amphoraId, {
        vrrp_ip: port.ipAddress, vrrp_port_id: port.id, ha_ip: vip.ip_address, ha_port_id: vip.port_id,
      })
      return { portId: port.id }
    })
  },
  revert: async (ctx, result, input) => {
    if (slotUnused(input, slot)) return
    try {
      await ctx.db.transaction().execute(async tx => {
        const amp = await findAmphora(tx, amphoraIdOf(ctx, input, slot))
        const portId = result?.portId ?? amp?.vrrp_port_id
        if (portId) await ctx.network.releasePort(tx, portId)
        if (amp) await updateAmphora(tx, amp.id, { vrrp_port_id: null, vrrp_ip: null })
      })
    } catch (err) {
      ctx.log.error({ err }, 'could not release the amphora port')
    }
  },
  }
}

/** The amphora ALLOCATED (it serves its load balancer from now on). Revert: nothing (createAmphoraRecord's revert settles it). */
export function markAmphoraAllocated(slot: AmphoraSlot): Task<SlotPayload, null> {
  return {
    name: slotTaskName('mark-amphora-allocated', slot),
    execute: async (ctx, input) => {
      if (!slotUnused(input, slot)) await updateAmphora(ctx.db, amphoraIdOf(ctx, input, slot), { status: AmphoraStatus.ALLOCATED })
      return null
    },
    revert: nothingToRevert,
  }
}

/**
 * Load balancer delete: every amphora of the load balancer DELETED, its own
 * port released, its counter baselines forgotten. Idempotent; cannot be undone.
 */
export function markAmphoraeDeleted(d: AmphoraFlowDeps): Task<LbPayload, null> {
  return {
    name: 'mark-amphorae-deleted',
    execute: async (ctx, { payload }) => {
      await ctx.db.transaction().execute(async tx => {
        for (const amp of await amphoraeOf(tx, payload.loadBalancerId)) {
          if (amp.vrrp_port_id) await ctx.network.releasePort(tx, amp.vrrp_port_id)
          await updateAmphora(tx, amp.id, { status: AmphoraStatus.DELETED, vrrp_port_id: null })
          await deleteAmphoraHealth(tx, amp.id)
        }
      })
      return null
    },
    revert: nothingToRevert,
  }
}
