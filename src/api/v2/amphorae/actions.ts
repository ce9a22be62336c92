import type { FastifyRequest } from 'fastify'
import type { Config } from '../../../common/config/schema.js'
import { notFound } from '../../../common/errors.js'
import {
  findAmphoraWithLoadBalancer, markAmphoraPendingDelete, type AmphoraWithLoadBalancer,
} from '../../../db/repositories/amphora-admin-repository.js'
import { transitionOrThrow } from '../../../db/repositories/status-guard.js'
import { authorize } from '../../auth/authorize.js'
import type { ApiDeps } from '../../deps.js'
import { writeAndDispatch } from '../../write.js'

/**
 * The provider whose worker runs an amphora operation: the one of the
 * amphora's load balancer. Octavia casts these straight to its amphora
 * worker; an amphora without a load balancer (a spare) goes to `amphora`
 * when enabled, else to the default provider.
 */
export function amphoraJobProvider(settings: Config['api_settings'], amp: AmphoraWithLoadBalancer): string {
  if (amp.row.load_balancer_id !== null && amp.lbStatus !== null) return amp.lbProvider ?? 'amphora'
  return Object.hasOwn(settings.enabled_provider_drivers, 'amphora') ? 'amphora' : settings.default_provider_driver
}

async function requireAmphora(deps: ApiDeps, id: string): Promise<AmphoraWithLoadBalancer> {
  const amp = await findAmphoraWithLoadBalancer(deps.database.db, id)
  if (!amp) throw notFound('Amphora', id)
  return amp
}

/** The job's load balancer: the amphora's, unless it has none (or its row is gone). */
const jobLoadBalancerId = (amp: AmphoraWithLoadBalancer): string | null => (amp.lbStatus === null ? null : amp.row.load_balancer_id)

/**
 * `PUT /v2/octavia/amphorae/{id}/failover` (`amphora:put_failover` on the load
 * balancer's project): 404 for an unknown or DELETED amphora; its load
 * balancer must be ACTIVE (409 `Load Balancer <id> is immutable and cannot be
 * updated.`) and becomes PENDING_UPDATE; a `failover_amphora` job replaces
 * the amphora. A spare amphora (no load balancer) is failed over unlocked.
 */
export async function failoverAmphora(deps: ApiDeps, req: FastifyRequest, id: string): Promise<void> {
  const amp = await requireAmphora(deps, id)
  authorize(req.caller, 'amphora:put_failover', amp.lbProjectId)
  const lbId = jobLoadBalancerId(amp)
  await writeAndDispatch(deps, async (tx, jobs) => {
    if (lbId !== null) {
      await transitionOrThrow(tx, 'load_balancer', lbId, { from: ['ACTIVE'], to: 'PENDING_UPDATE', resource: 'Load Balancer' })
    }
    await jobs.add('failover_amphora', amphoraJobProvider(deps.config.api_settings, amp), lbId, { amphoraId: id })
  })
}

/**
 * `PUT /v2/octavia/amphorae/{id}/config` (`amphora:put_config` on the load
 * balancer's project): 404 for an unknown or DELETED amphora; no status
 * changes; an `update_amphora_agent_config` job pushes the agent config.
 */
export async function configureAmphora(deps: ApiDeps, req: FastifyRequest, id: string): Promise<void> {
  const amp = await requireAmphora(deps, id)
  authorize(req.caller, 'amphora:put_config', amp.lbProjectId)
  await writeAndDispatch(deps, async (_tx, jobs) => {
    await jobs.add('update_amphora_agent_config', amphoraJobProvider(deps.config.api_settings, amp), jobLoadBalancerId(amp), { amphoraId: id })
  })
}

/**
 * `DELETE /v2/octavia/amphorae/{id}` (`amphora:delete`, checked first as
 * Octavia does): only an ERROR amphora may go (404 unknown or DELETED, 409
 * `amphora <id> is immutable and cannot be updated.` otherwise); it becomes
 * PENDING_DELETE and a `delete_amphora` job removes it.
 */
export async function deleteAmphora(deps: ApiDeps, req: FastifyRequest, id: string): Promise<void> {
  authorize(req.caller, 'amphora:delete', req.caller.projectId)
  const amp = await requireAmphora(deps, id)
  await writeAndDispatch(deps, async (tx, jobs) => {
    // NOTE: the guard re-checks in the transaction (404 when DELETED since the read, 409 unless ERROR).
    await markAmphoraPendingDelete(tx, id)
    await jobs.add('delete_amphora', amphoraJobProvider(deps.config.api_settings, amp), jobLoadBalancerId(amp), { amphoraId: id })
  })
}
