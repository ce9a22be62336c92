import { TerminalError } from '../../common/errors.js'
import { amphoraeOf } from '../../db/repositories/amphora-repository.js'
import { loadLoadBalancerView } from '../../db/repositories/load-balancer-view-repository.js'
import { ensureListenerStatistics } from '../../db/repositories/listener-statistics-repository.js'
import { readOperatingStatuses, writeOperatingStatuses } from '../../db/repositories/operating-status-repository.js'
import { syncAmphora, type SyncOutcome } from '../../drivers/amphora/amphora-config-sync.js'
import type { AmphoraFlowDeps } from '../../drivers/amphora-flow-deps.js'
import { afterPush } from '../../drivers/amphora/operating-status.js'
import { readTlsMaterial } from '../../drivers/amphora/tls-material.js'
import { AmphoraStatus } from '../../model/statuses.js'
import { nothingToRevert, type Task, type TaskContext } from '../engine/task.js'

/** The load balancer of the job (every job of the amphora provider has one). */
function loadBalancerIdOf(ctx: TaskContext, payload: unknown): string {
  const id = (payload as { loadBalancerId?: string }).loadBalancerId ?? ctx.loadBalancerId
  if (!id) throw new TerminalError('the job names no load balancer')
  return id
}

/**
 * Octavia's ListenersUpdate: renders the whole load balancer from the
 * database (objects being deleted are PENDING_DELETE and left out) and
 * applies it to every ALLOCATED amphora (syncAmphora: runtime API for member
 * weight/state changes, else upload + hitless reload; no listener left:
 * HAProxy removed). Result: what happened per amphora. Revert: nothing (the
 * lifecycle task sets the statuses; the agent keeps a refused config out).
 */
export function updateAmphoraConfigs(d: AmphoraFlowDeps): Task<unknown, Record<string, SyncOutcome>> {
  return {
    name: 'update-amphora-configs',
    execute: async (ctx, { payload }) => applyLoadBalancer(d, ctx, loadBalancerIdOf(ctx, payload)),
    revert: nothingToRevert,
  }
}

/**
 * Renders load balancer `lbId` and applies it to each of its ALLOCATED
 * amphorae (syncAmphora; its TLS material read once for all of them); amphorae that send no heartbeats get a statistics
 * row per listener of the load balancer (AmphoraFlowDeps.heartbeats). Throws
 * TerminalError when the load balancer is missing or has no ALLOCATED amphora.
 */
export async function applyLoadBalancer(d: AmphoraFlowDeps, ctx: TaskContext, lbId: string): Promise<Record<string, SyncOutcome>> {
  const view = await loadLoadBalancerView(ctx.db, lbId)
  if (!view) throw new TerminalError(`load balancer ${lbId} is missing`)
  const amphorae = (await amphoraeOf(ctx.db, lbId)).filter(a => a.status === AmphoraStatus.ALLOCATED)
  if (amphorae.length === 0) throw new TerminalError(`load balancer ${lbId} has no ALLOCATED amphora`)
  const out: Record<string, SyncOutcome> = {}
  const listeners = d.heartbeats ? [] : view.listeners.filter(l => l.provisioningStatus !== 'PENDING_DELETE').map(l => l.id)
  const material = await readTlsMaterial(d.certificates, view, ctx.signal)
  for (const amp of amphorae) {
    out[amp.id] = await syncAmphora(d, ctx, view, amp, material)
    if (listeners.length > 0) await ensureListenerStatistics(ctx.db, amp.id, listeners)
    ctx.log.debug({ amphoraId: amp.id, outcome: out[amp.id] }, 'amphora configuration applied')
  }
  return out
}

/**
 * Operating statuses as the data plane shows them right after the push
 * (operating-status.ts `afterPush`): served listeners, pools and the load
 * balancer ONLINE, what is not served OFFLINE, unmonitored members
 * NO_MONITOR. The health manager refines them from heartbeats. Amphorae that
 * send none (the noop driver) show nothing: the statuses stay as they are,
 * as in Octavia, where only the health manager sets them.
 */
export function setOperatingStatuses(d: Pick<AmphoraFlowDeps, 'heartbeats'>): Task<unknown, null> {
  return {
    name: 'set-operating-statuses',
    execute: async (ctx, { payload }) => {
      if (!d.heartbeats) return null
      const lbId = loadBalancerIdOf(ctx, payload)
      await ctx.db.transaction().execute(async tx => {
        const view = await loadLoadBalancerView(tx, lbId)
        const current = await readOperatingStatuses(tx, lbId)
        if (!view || !current) return
        await writeOperatingStatuses(tx, lbId, current, afterPush(view, current))
      })
      return null
    },
    revert: nothingToRevert,
  }
}
