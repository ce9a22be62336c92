import { deleteAmphoraHealth } from '../../db/repositories/amphora-health-repository.js'
import { updateAmphora } from '../../db/repositories/amphora-repository.js'
import { vipNetworkId } from '../../db/repositories/vip-repository.js'
import type { AmphoraRow } from '../../db/schema.js'
import { AgentRequestError, AgentUnreachableError } from '../../drivers/amphora/rest/agent-client-errors.js'
import { endpointOf } from '../../drivers/amphora/amphora-config-sync.js'
import type { AmphoraFlowDeps } from '../../drivers/amphora-flow-deps.js'
import { AmphoraStatus } from '../../model/statuses.js'
import type { TaskContext } from '../engine/task.js'
import { instanceOf } from './compute-tasks.js'

/**
 * Everything of one amphora removed and the row DELETED: its agent
 * registration (every process and file of it), its VIP plug, its instance,
 * its own port, its health row. Idempotent. An agent that cannot be reached is logged and
 * passed over (the amphora being replaced may sit on a host that is gone);
 * the instance delete still removes what is local.
 */
export async function tearDownAmphora(d: AmphoraFlowDeps, ctx: TaskContext, amp: AmphoraRow): Promise<void> {
  try {
    await d.agent.deleteAmphora(endpointOf(d, amp), amp.id, { signal: ctx.signal, maxRetries: 2 })
  } catch (err) {
    if (err instanceof AgentUnreachableError) ctx.log.warn({ err, amphoraId: amp.id }, 'agent unreachable; removing the amphora without it')
    else if (!(err instanceof AgentRequestError && err.agentStatus === 404)) throw err
  }
  if (amp.compute_id) {
    const networkId = amp.load_balancer_id === null ? null : await vipNetworkId(ctx.db, amp.load_balancer_id)
    if (networkId) {
      await d.dataPlane.unplug({ amphoraId: amp.id, instance: instanceOf(d.compute, amp.compute_id), networkId }, ctx.signal)
    }
    await d.compute.delete(amp.compute_id, ctx.signal)
  }
  await ctx.db.transaction().execute(async tx => {
    if (amp.vrrp_port_id) await ctx.network.releasePort(tx, amp.vrrp_port_id)
    await updateAmphora(tx, amp.id, { status: AmphoraStatus.DELETED, vrrp_port_id: null })
    await deleteAmphoraHealth(tx, amp.id)
  })
  ctx.log.info({ amphoraId: amp.id }, 'amphora removed')
}
