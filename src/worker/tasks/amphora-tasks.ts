import { TerminalError } from '../../common/errors.js'
import {
  amphoraeOf, ensureAmphora, findAmphora, updateAmphora,
} from '../../db/repositories/amphora-repository.js'
import type { AmphoraFlowDeps } from '../../drivers/provider/amphora/amphora-flow-deps.js'
import { AmphoraStatus } from '../../model/statuses.js'
import { OCTAVIA_TS_NAMESPACE, uuidV5 } from '../../network/stable-id.js'
import type { Task, TaskContext, TaskInput } from '../engine/task.js'
import { nothingToRevert } from '../engine/task.js'

/**
 * Tasks on amphora rows and the amphora's own (VRRP) port. An amphora built
 * by a job has an id derived from the job id, so a re-run of the job finds
 * the amphora an earlier attempt created.
 */

type LbPayload = { loadBalancerId: string }

/** Role of the single amphora of a SINGLE load balancer. */
export const STANDALONE = 'STANDALONE'

/** Name of the task that creates the amphora row; its result names the amphora. */
export const CREATE_AMPHORA_RECORD = 'create-amphora-record'

/** The amphora built by this job: the result of CREATE_AMPHORA_RECORD, else the id derived from the job. */
export function amphoraIdOf(ctx: TaskContext, input: TaskInput<unknown>): string {
  const recorded = input.results[CREATE_AMPHORA_RECORD] as { amphoraId?: string } | undefined
  return recorded?.amphoraId ?? uuidV5(OCTAVIA_TS_NAMESPACE, `amphora:${ctx.jobId}:0`)
}

/** The amphora row of this job; throws when it is missing (a broken flow order). */
export async function amphoraOfJob(ctx: TaskContext, input: TaskInput<unknown>) {
  const row = await findAmphora(ctx.db, amphoraIdOf(ctx, input))
  if (!row) throw new TerminalError(`amphora ${amphoraIdOf(ctx, input)} of this job is missing`)
  return row
}

/**
 * Creates the amphora row (PENDING_CREATE, role STANDALONE) of a SINGLE load
 * balancer. ACTIVE_STANDBY is not supported yet (no keepalived flows):
 * terminal failure. Revert: the amphora DELETED, unless a clean-up failed
 * and marked it ERROR (then it stays for an operator).
 */
export const createAmphoraRecord: Task<LbPayload, { amphoraId: string }> = {
  name: CREATE_AMPHORA_RECORD,
  execute: async (ctx, input) => {
    const lb = await ctx.db.selectFrom('load_balancer').select(['topology']).where('id', '=', input.payload.loadBalancerId).executeTakeFirst()
    if (!lb) throw new TerminalError(`load balancer ${input.payload.loadBalancerId} is missing`)
    if (lb.topology === 'ACTIVE_STANDBY') {
      throw new TerminalError('the amphora provider does not support the ACTIVE_STANDBY topology yet')
    }
    const id = amphoraIdOf(ctx, input)
    await ensureAmphora(ctx.db, id, input.payload.loadBalancerId, STANDALONE)
    return { amphoraId: id }
  },
  revert: async (ctx, _result, input) => {
    try {
      const row = await findAmphora(ctx.db, amphoraIdOf(ctx, input))
      if (row && row.status !== AmphoraStatus.ERROR) await updateAmphora(ctx.db, row.id, { status: AmphoraStatus.DELETED })
    } catch (err) {
      ctx.log.error({ err }, 'could not mark the amphora DELETED')
    }
  },
}

/**
 * Allocates the amphora's own address on the VIP subnet (its VRRP port, as
 * Octavia's base port: the address the amphora talks to members from) and
 * records vrrp_ip / vrrp_port_id and the VIP as ha_ip / ha_port_id, in one
 * transaction (a re-run finds the port recorded). Revert: the port released.
 */
export const allocateAmphoraPort: Task<LbPayload, { portId: string }> = {
  name: 'allocate-amphora-port',
  execute: async (ctx, input) => {
    const amphoraId = amphoraIdOf(ctx, input)
    return ctx.db.transaction().execute(async tx => {
      const amp = await findAmphora(tx, amphoraId)
      if (!amp) throw new TerminalError(`amphora ${amphoraId} is missing`)
      if (amp.vrrp_port_id) return { portId: amp.vrrp_port_id }
      const vip = await tx.selectFrom('vip').selectAll().where('load_balancer_id', '=', input.payload.loadBalancerId).executeTakeFirst()
      if (!vip?.subnet_id) throw new TerminalError(`load balancer ${input.payload.loadBalancerId} has no VIP subnet`)
      const lb = await tx.selectFrom('load_balancer').select('project_id').where('id', '=', input.payload.loadBalancerId).executeTakeFirst()
      const port = await ctx.network.allocatePort(tx, {
        subnetId: vip.subnet_id, networkId: vip.network_id, name: `octavia-lb-vrrp-${amphoraId}`,
        deviceId: amphoraId, deviceOwner: 'Octavia', projectId: lb?.project_id ?? null,
      })
      await updateAmphora(tx, amphoraId, {
        vrrp_ip: port.ipAddress, vrrp_port_id: port.id, ha_ip: vip.ip_address, ha_port_id: vip.port_id,
      })
      return { portId: port.id }
    })
  },
  revert: async (ctx, result, input) => {
    try {
      await ctx.db.transaction().execute(async tx => {
        const amp = await findAmphora(tx, amphoraIdOf(ctx, input))
        const portId = result?.portId ?? amp?.vrrp_port_id
        if (portId) await ctx.network.releasePort(tx, portId)
        if (amp) await updateAmphora(tx, amp.id, { vrrp_port_id: null, vrrp_ip: null })
      })
    } catch (err) {
      ctx.log.error({ err }, 'could not release the amphora port')
    }
  },
}

/** The amphora ALLOCATED (it serves its load balancer from now on). Revert: nothing (createAmphoraRecord's revert settles it). */
export const markAmphoraAllocated: Task<LbPayload, null> = {
  name: 'mark-amphora-allocated',
  execute: async (ctx, input) => {
    await updateAmphora(ctx.db, amphoraIdOf(ctx, input), { status: AmphoraStatus.ALLOCATED })
    return null
  },
  revert: nothingToRevert,
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
          d.stats.forget(amp.id)
        }
      })
      return null
    },
    revert: nothingToRevert,
  }
}

/** Failover: every amphora of the load balancer ALLOCATED again after it was rebuilt. */
export const markAmphoraeAllocated: Task<LbPayload, null> = {
  name: 'mark-amphorae-allocated',
  execute: async (ctx, { payload }) => {
    const amphorae = await amphoraeOf(ctx.db, payload.loadBalancerId)
    if (amphorae.length === 0) throw new TerminalError(`load balancer ${payload.loadBalancerId} has no amphora to fail over`)
    for (const amp of amphorae) await updateAmphora(ctx.db, amp.id, { status: AmphoraStatus.ALLOCATED })
    return null
  },
  revert: nothingToRevert,
}
