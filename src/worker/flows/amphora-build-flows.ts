import type { AmphoraFlowDeps } from '../../drivers/amphora-flow-deps.js'
import { linear, type Flow } from '../engine/flow.js'
import { registerAmphora } from '../tasks/agent-tasks.js'
import { inSlot, type AmphoraSlot, type SlotPayload } from '../tasks/amphora-slot.js'
import { moveVip, plugVip, type VipTiming } from '../tasks/amphora-network-tasks.js'
import { allocateAmphoraPort, createAmphoraRecord, markAmphoraAllocated } from '../tasks/amphora-tasks.js'
import { computeBuild } from '../tasks/compute-tasks.js'
import { updateAmphoraConfigs } from '../tasks/config-tasks.js'
import { deleteReplaced, retireReplaced } from '../tasks/failover-tasks.js'
import { awaitVipHolder, configureVrrp } from '../tasks/vrrp-tasks.js'

/**
 * One amphora of a slot (Octavia's get_amphora_for_lb_subflow + VIP plug):
 * row PENDING_CREATE with the slot's role, its own port, instance BOOTING,
 * registered with the agent, plugged (VIP now or later), ALLOCATED. Reverts
 * in reverse: unplug, unregister (stops every process), instance deleted,
 * port released, row DELETED. Every task does nothing for an unused slot.
 */
export const amphoraForSlotFlow = (d: AmphoraFlowDeps, slot: AmphoraSlot, vip: VipTiming): Flow<SlotPayload> =>
  linear(`amphora-for-slot-${slot}`, [
    createAmphoraRecord(slot),
    allocateAmphoraPort(slot),
    computeBuild(d, slot),
    registerAmphora(d, slot),
    plugVip(d, slot, vip),
    markAmphoraAllocated(slot),
  ])

/**
 * Failover of one slot: the amphora it replaces PENDING_DELETE, its
 * replacement built (VIP not yet), the load balancer's configuration pushed
 * to the ALLOCATED amphorae and, for ACTIVE_STANDBY, once the survivor holds
 * the VIP, keepalived configured with the survivor as peer, then the old amphora removed and (SINGLE) the
 * VIP plugged onto the replacement. The survivor serves throughout.
 */
export const replaceAmphoraFlow = (d: AmphoraFlowDeps, slot: AmphoraSlot): Flow<SlotPayload> =>
  linear(`replace-amphora-${slot}`, [
    retireReplaced(slot),
    amphoraForSlotFlow(d, slot, 'later'),
    inSlot(slot, updateAmphoraConfigs(d)),
    awaitVipHolder(d, slot),
    inSlot(slot, configureVrrp(d)),
    deleteReplaced(d, slot),
    moveVip(d, slot),
  ])
