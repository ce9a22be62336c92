import { createHash } from 'node:crypto'
import { TerminalError } from '../../common/errors.js'
import type { Executor } from '../../db/database.js'
import { amphoraeOf } from '../../db/repositories/amphora-repository.js'
import { loadBalancerTopology } from '../../db/repositories/load-balancer-repository.js'
import { additionalVipsOf, findVip } from '../../db/repositories/vip-repository.js'
import type { AmphoraRow } from '../../db/schema.js'
import type { VrrpSpec } from '../../amphora-api/agent-api.js'
import { endpointOf } from '../../drivers/amphora/amphora-config-sync.js'
import type { AmphoraFlowDeps } from '../../drivers/amphora-flow-deps.js'
import { AmphoraRole, VRRP_ID, vrrpPriorityOf } from '../../model/amphora-roles.js'
import { AmphoraStatus } from '../../model/statuses.js'
import type { NetworkService } from '../../model/network-service.js'
import { nothingToRevert, type Task, type TaskContext } from '../engine/task.js'
import {
  amphoraIdOf, slotLoadBalancerId, slotTaskName, slotUnused, type AmphoraSlot, type SlotPayload,
} from './amphora-slot.js'

/**
 * VRRP of ACTIVE_STANDBY load balancers (controlplane.md §7): every
 * ALLOCATED amphora of the load balancer runs keepalived with the other
 * ones as unicast peers, both BACKUP with `nopreempt` (the agent renders
 * that), priorities from the amphora rows (MASTER 100, BACKUP 90).
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/**
 * The VRRP group's password (7 characters, as Octavia's). Octavia stores a
 * random one per group; we derive it from the load balancer id, so a
 * failover rebuilding one peer gets the same one without a table for it.
 * NOTE: `auth_type PASS` travels in clear in every advertisement; it only
 * keeps groups apart, it protects nothing.
 */
export function vrrpPassword(loadBalancerId: string): string {
  const digest = createHash('sha256').update(`octavia-ts vrrp ${loadBalancerId}`).digest()
  return [...digest.subarray(0, 7)].map(b => BASE62[b % 62]).join('')
}

/** The VIPs of a load balancer with their subnets' prefix lengths (`10.213.0.5/24`), VIP first. */
async function vipsWithPrefix(db: Executor, network: NetworkService<Executor>, loadBalancerId: string): Promise<string[]> {
  const vip = await findVip(db, loadBalancerId)
  if (!vip?.ip_address || !vip.subnet_id) throw new TerminalError(`load balancer ${loadBalancerId} has no VIP address`)
  const extra = await additionalVipsOf(db, loadBalancerId)
  const withPrefix = (ip: string, subnetId: string): string => {
    const subnet = network.getSubnet(subnetId)
    if (!subnet) throw new TerminalError(`subnet ${subnetId} of load balancer ${loadBalancerId} is not declared`)
    return `${ip}/${subnet.cidr.split('/')[1]}`
  }
  return [withPrefix(vip.ip_address, vip.subnet_id),
    ...extra.filter(v => v.ip_address).map(v => withPrefix(v.ip_address!, v.subnet_id))]
}

/** The keepalived settings of `amp` among `peers` (every ALLOCATED amphora of its load balancer). */
export function vrrpSpecOf(d: AmphoraFlowDeps, lbId: string, amp: AmphoraRow, peers: readonly AmphoraRow[], vips: readonly string[]): VrrpSpec {
  if (!amp.vrrp_ip) throw new TerminalError(`amphora ${amp.id} has no VRRP address`)
  const role = amp.role === AmphoraRole.MASTER ? AmphoraRole.MASTER : AmphoraRole.BACKUP
  return {
    groupName: lbId.replace(/-/g, ''),
    vrrpId: amp.vrrp_id ?? VRRP_ID,
    priority: amp.vrrp_priority ?? vrrpPriorityOf(role) ?? 90,
    authPassword: vrrpPassword(lbId),
    advertInt: d.vrrpAdvertInt,
    ownIp: amp.vrrp_ip,
    peerIps: peers.filter(p => p.id !== amp.id && p.vrrp_ip).map(p => p.vrrp_ip!),
    vips: [...vips],
  }
}

/**
 * Configures and starts keepalived on every ALLOCATED amphora of an
 * ACTIVE_STANDBY load balancer (peers: the other ALLOCATED ones; a running
 * keepalived reloads). Nothing for SINGLE. `name` lets a flow run it more
 * than once (one per failover slot). Revert: nothing (the amphora's removal
 * stops keepalived).
 */
export function configureVrrp(d: AmphoraFlowDeps, name = 'configure-vrrp'): Task<unknown, null> {
  return {
    name,
    execute: async (ctx, { payload }) => {
      const lbId = (payload as { loadBalancerId?: string }).loadBalancerId ?? ctx.loadBalancerId
      if (!lbId) throw new TerminalError('the job names no load balancer')
      await applyVrrp(d, ctx, lbId)
      return null
    },
    revert: nothingToRevert,
  }
}

async function applyVrrp(d: AmphoraFlowDeps, ctx: TaskContext, lbId: string): Promise<void> {
  const lb = await loadBalancerTopology(ctx.db, lbId)
  if (lb?.topology !== 'ACTIVE_STANDBY') return
  const amphorae = (await amphoraeOf(ctx.db, lbId)).filter(a => a.status === AmphoraStatus.ALLOCATED)
  const vips = await vipsWithPrefix(ctx.db, ctx.network, lbId)
  for (const amp of amphorae) {
    const ep = endpointOf(d, amp)
    // A changed spec reloads a running keepalived; an unchanged one leaves it alone (a reload restarts its timers).
    await d.agent.putVrrp(ep, amp.id, vrrpSpecOf(d, lbId, amp, amphorae, vips), { signal: ctx.signal })
    const status = await d.agent.vrrpStatus(ep, amp.id, { signal: ctx.signal })
    if (!status.running) await d.agent.vrrpAction(ep, amp.id, 'start', { signal: ctx.signal })
    ctx.log.debug({ amphoraId: amp.id, peers: amphorae.length - 1 }, 'keepalived configured')
  }
}

/**
 * Failover of an ACTIVE_STANDBY peer: waits until an amphora other than the
 * slot's new one holds the VIP (the survivor took over from a lost MASTER,
 * or the MASTER being replaced still serves), at most the VRRP master-down
 * interval (3 advertisements + skew) plus `marginMs`. Reconfiguring the
 * survivor's keepalived with its new peer reloads it, and a reload restarts
 * the BACKUP's master-down timer: done before the takeover, it would
 * lengthen the outage by up to that interval. After the wait it goes on
 * anyway (logged): the reload must happen for the peers to see each other.
 */
export function awaitVipHolder(d: AmphoraFlowDeps, slot: AmphoraSlot, marginMs = 2000): Task<SlotPayload, null> {
  return {
    name: slotTaskName('await-vip-holder', slot),
    execute: async (ctx, input) => {
      if (slotUnused(input, slot)) return null
      const lbId = slotLoadBalancerId(ctx, input)
      const fresh = amphoraIdOf(ctx, input, slot)
      const lb = await loadBalancerTopology(ctx.db, lbId)
      if (lb?.topology !== 'ACTIVE_STANDBY') return null
      const others = (await amphoraeOf(ctx.db, lbId)).filter(a => a.id !== fresh && a.compute_id)
      const deadline = Date.now() + 3.5 * d.vrrpAdvertInt * 1000 + marginMs
      for (;;) {
        for (const amp of others) {
          const status = await d.agent.vrrpStatus(endpointOf(d, amp), amp.id, { signal: ctx.signal, maxRetries: 1 }).catch(() => null)
          if (status?.holdsVip) return null
        }
        if (Date.now() > deadline || ctx.signal.aborted) {
          ctx.log.warn({ lbId }, 'no surviving amphora holds the VIP; configuring keepalived anyway')
          return null
        }
        await new Promise(r => setTimeout(r, 100))
      }
    },
    revert: nothingToRevert,
  }
}
