import type { Executor } from '../../db/database.js'
import { amphoraeOf, updateAmphora } from '../../db/repositories/amphora-repository.js'
import { loadBalancerTopology } from '../../db/repositories/load-balancer-repository.js'
import { findPort } from '../../db/repositories/port-repository.js'
import { additionalVipsOf, findVip, vipNetworkId } from '../../db/repositories/vip-repository.js'
import type { AmphoraRow } from '../../db/schema.js'
import { DataPlaneError, type PlugAddress, type PlugRequest, type PluggedNetwork } from '../../drivers/network/network-data-plane.js'
import type { AmphoraFlowDeps } from '../../drivers/amphora-flow-deps.js'
import { TerminalError } from '../../common/errors.js'
import { nothingToRevert, type Task } from '../engine/task.js'
import {
  amphoraOfJob, slotLoadBalancerId, slotTaskName, slotUnused, type AmphoraSlot, type SlotPayload,
} from './amphora-slot.js'
import { instanceOf } from './compute-tasks.js'

type LbPayload = { loadBalancerId: string }

/**
 * When a slot's VIP goes onto its amphora: `now` (load balancer create), or
 * `later` (a failover: the replacement first serves nothing, moveVip plugs
 * the VIP once the amphora it replaces is gone). ACTIVE_STANDBY VIPs belong
 * to keepalived either way.
 */
export type VipTiming = 'now' | 'later'

/** How an amphora is plugged into its load balancer's VIP network. */
interface VipPlugPlan {
  readonly networkId: string
  /** Its own (VRRP) address first, then the VIPs it carries itself. */
  readonly addresses: PlugAddress[]
  /** VIPs managed by keepalived (ACTIVE_STANDBY) or not moved yet (`later`). */
  readonly floating: PlugAddress[]
}

/**
 * The VIP network of a load balancer and the addresses an amphora carries on
 * it: its own first, then the VIPs, unless keepalived manages them
 * (ACTIVE_STANDBY) or they move later (a failover's replacement).
 */
async function vipPlug(db: Executor, loadBalancerId: string, amp: AmphoraRow, timing: VipTiming): Promise<VipPlugPlan> {
  const vip = await findVip(db, loadBalancerId)
  if (!vip?.network_id || !vip.ip_address || !vip.subnet_id) {
    throw new TerminalError(`load balancer ${loadBalancerId} has no VIP address`)
  }
  const lb = await loadBalancerTopology(db, loadBalancerId)
  const extra = await additionalVipsOf(db, loadBalancerId)
  const own: PlugAddress[] = []
  if (amp.vrrp_ip && amp.vrrp_ip !== vip.ip_address) {
    const port = amp.vrrp_port_id ? await findPort(db, amp.vrrp_port_id) : undefined
    own.push({ ipAddress: amp.vrrp_ip, subnetId: port?.subnet_id ?? vip.subnet_id })
  }
  const vips: PlugAddress[] = [{ ipAddress: vip.ip_address, subnetId: vip.subnet_id }]
  for (const v of extra) if (v.ip_address) vips.push({ ipAddress: v.ip_address, subnetId: v.subnet_id })
  const floating = lb?.topology === 'ACTIVE_STANDBY' || timing === 'later'
  // An amphora without an address of its own (loopback mode) must carry the VIP to be plugged at all.
  if (floating && own.length > 0) return { networkId: vip.network_id, addresses: own, floating: vips }
  return { networkId: vip.network_id, addresses: [...own, ...vips], floating: [] }
}

/** Plugs; a request that can never work (DataPlaneError) fails terminally. */
async function plug(d: AmphoraFlowDeps, req: PlugRequest, signal: AbortSignal): Promise<PluggedNetwork> {
  try {
    return await d.dataPlane.plug(req, signal)
  } catch (err) {
    if (err instanceof DataPlaneError) throw new TerminalError(err.message, { cause: err })
    throw err
  }
}

/**
 * Plugs the amphora into the VIP network with its own address and the VIPs
 * (netns: a veth pair from the network's bridge; loopback: address checks)
 * and records the amphora-side interface as `vrrp_interface`. Revert: unplugged.
 */
export function plugVip(d: AmphoraFlowDeps, slot: AmphoraSlot, timing: VipTiming): Task<SlotPayload, { networkId: string } | null> {
  return {
    name: slotTaskName('plug-vip', slot),
    execute: async (ctx, input) => {
      if (slotUnused(input, slot)) return null
      const amp = await amphoraOfJob(ctx, input, slot)
      if (!amp.compute_id) throw new TerminalError(`amphora ${amp.id} has no compute instance`)
      const { networkId, addresses, floating } = await vipPlug(ctx.db, slotLoadBalancerId(ctx, input), amp, timing)
      const instance = instanceOf(d.compute, amp.compute_id)
      const plugged = await plug(d, { amphoraId: amp.id, instance, networkId, addresses, floating }, ctx.signal)
      await updateAmphora(ctx.db, amp.id, { vrrp_interface: plugged.interfaceName?.slice(0, 16) ?? null })
      return { networkId }
    },
    revert: async (ctx, result, input) => {
      if (slotUnused(input, slot)) return
      try {
        const amp = await amphoraOfJob(ctx, input, slot)
        const networkId = result?.networkId ?? await vipNetworkId(ctx.db, slotLoadBalancerId(ctx, input))
        if (!amp.compute_id || !networkId) return
        await d.dataPlane.unplug({ amphoraId: amp.id, instance: instanceOf(d.compute, amp.compute_id), networkId })
      } catch (err) {
        ctx.log.error({ err }, 'could not unplug the VIP')
      }
    },
  }
}

/**
 * Failover, SINGLE topology: the VIPs plugged onto the slot's replacement
 * once the amphora it replaced is gone (ACTIVE_STANDBY: keepalived moves
 * them; nothing to do). Idempotent (plug converges).
 */
export function moveVip(d: AmphoraFlowDeps, slot: AmphoraSlot): Task<SlotPayload, null> {
  return {
    name: slotTaskName('move-vip', slot),
    execute: async (ctx, input) => {
      if (slotUnused(input, slot)) return null
      const amp = await amphoraOfJob(ctx, input, slot)
      if (!amp.compute_id) throw new TerminalError(`amphora ${amp.id} has no compute instance`)
      const { networkId, addresses, floating } = await vipPlug(ctx.db, slotLoadBalancerId(ctx, input), amp, 'now')
      await plug(d, { amphoraId: amp.id, instance: instanceOf(d.compute, amp.compute_id), networkId, addresses, floating }, ctx.signal)
      return null
    },
    revert: nothingToRevert,
  }
}

/** Load balancer delete: every amphora unplugged from the VIP network. */
export function unplugVips(d: AmphoraFlowDeps): Task<LbPayload, null> {
  return {
    name: 'unplug-vips',
    execute: async (ctx, { payload }) => {
      const networkId = await vipNetworkId(ctx.db, payload.loadBalancerId)
      if (!networkId) return null
      for (const amp of await amphoraeOf(ctx.db, payload.loadBalancerId)) {
        if (!amp.compute_id) continue
        await d.dataPlane.unplug({ amphoraId: amp.id, instance: instanceOf(d.compute, amp.compute_id), networkId }, ctx.signal)
      }
      return null
    },
    revert: nothingToRevert,
  }
}
