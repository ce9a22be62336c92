import type { Executor } from '../../db/database.js'
import { amphoraeOf, updateAmphora } from '../../db/repositories/amphora-repository.js'
import type { AmphoraRow } from '../../db/schema.js'
import { DataPlaneError, type PlugAddress, type PlugRequest, type PluggedNetwork } from '../../drivers/network/network-data-plane.js'
import type { AmphoraFlowDeps } from '../../drivers/provider/amphora/amphora-flow-deps.js'
import { TerminalError } from '../../common/errors.js'
import { nothingToRevert, type Task } from '../engine/task.js'
import { amphoraOfJob } from './amphora-tasks.js'
import { instanceOf } from './compute-tasks.js'

type LbPayload = { loadBalancerId: string }

/** The VIP network of a load balancer and the addresses an amphora carries on it: its own first, then the VIPs. */
async function vipPlug(db: Executor, loadBalancerId: string, amp: AmphoraRow): Promise<{ networkId: string; addresses: PlugAddress[] }> {
  const vip = await db.selectFrom('vip').selectAll().where('load_balancer_id', '=', loadBalancerId).executeTakeFirst()
  if (!vip?.network_id || !vip.ip_address || !vip.subnet_id) {
    throw new TerminalError(`load balancer ${loadBalancerId} has no VIP address`)
  }
  const extra = await db.selectFrom('additional_vip').selectAll().where('load_balancer_id', '=', loadBalancerId).execute()
  const addresses: PlugAddress[] = []
  if (amp.vrrp_ip && amp.vrrp_ip !== vip.ip_address) {
    const port = amp.vrrp_port_id ? await db.selectFrom('port').select('subnet_id').where('id', '=', amp.vrrp_port_id).executeTakeFirst() : undefined
    addresses.push({ ipAddress: amp.vrrp_ip, subnetId: port?.subnet_id ?? vip.subnet_id })
  }
  addresses.push({ ipAddress: vip.ip_address, subnetId: vip.subnet_id })
  for (const v of extra) if (v.ip_address) addresses.push({ ipAddress: v.ip_address, subnetId: v.subnet_id })
  return { networkId: vip.network_id, addresses }
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
export function plugVip(d: AmphoraFlowDeps): Task<LbPayload, { networkId: string }> {
  return {
    name: 'plug-vip',
    execute: async (ctx, input) => {
      const amp = await amphoraOfJob(ctx, input)
      if (!amp.compute_id) throw new TerminalError(`amphora ${amp.id} has no compute instance`)
      const { networkId, addresses } = await vipPlug(ctx.db, input.payload.loadBalancerId, amp)
      const plugged = await plug(d, { amphoraId: amp.id, instance: instanceOf(d.compute, amp.compute_id), networkId, addresses }, ctx.signal)
      await updateAmphora(ctx.db, amp.id, { vrrp_interface: plugged.interfaceName?.slice(0, 16) ?? null })
      return { networkId }
    },
    revert: async (ctx, result, input) => {
      try {
        const amp = await amphoraOfJob(ctx, input)
        const networkId = result?.networkId ?? (await ctx.db.selectFrom('vip').select('network_id')
          .where('load_balancer_id', '=', input.payload.loadBalancerId).executeTakeFirst())?.network_id
        if (!amp.compute_id || !networkId) return
        await d.dataPlane.unplug({ amphoraId: amp.id, instance: instanceOf(d.compute, amp.compute_id), networkId })
      } catch (err) {
        ctx.log.error({ err }, 'could not unplug the VIP')
      }
    },
  }
}

/** Failover: every amphora of the load balancer plugged again (plug converges; idempotent). */
export function replugVips(d: AmphoraFlowDeps): Task<LbPayload, null> {
  return {
    name: 'plug-vips',
    execute: async (ctx, { payload }) => {
      for (const amp of await amphoraeOf(ctx.db, payload.loadBalancerId)) {
        if (!amp.compute_id) continue
        const { networkId, addresses } = await vipPlug(ctx.db, payload.loadBalancerId, amp)
        await plug(d, { amphoraId: amp.id, instance: instanceOf(d.compute, amp.compute_id), networkId, addresses }, ctx.signal)
      }
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
      const vip = await ctx.db.selectFrom('vip').select('network_id').where('load_balancer_id', '=', payload.loadBalancerId).executeTakeFirst()
      if (!vip?.network_id) return null
      for (const amp of await amphoraeOf(ctx.db, payload.loadBalancerId)) {
        if (!amp.compute_id) continue
        await d.dataPlane.unplug({ amphoraId: amp.id, instance: instanceOf(d.compute, amp.compute_id), networkId: vip.network_id }, ctx.signal)
      }
      return null
    },
    revert: nothingToRevert,
  }
}
