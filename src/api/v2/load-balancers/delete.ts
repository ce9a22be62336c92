import { validationFailure } from '../../../common/errors.js'
import { hasChildren, markChildrenPendingDelete } from '../../../db/repositories/load-balancer-repository.js'
import { transitionOrThrow } from '../../../db/repositories/status-guard.js'
import type { Caller } from '../../auth/caller.js'
import type { ApiDeps } from '../../deps.js'
import { writeAndDispatch } from '../../write.js'
import { resolveProvider } from '../providers/provider-catalog.js'
import { requireLoadBalancer } from './list.js'
import { invalidStateMessage } from './update.js'

/** oslo `bool_from_string` (not strict): true for 1/t/true/on/y/yes in any case, false otherwise. */
export const boolFromString = (v: unknown): boolean =>
  ['1', 't', 'true', 'on', 'y', 'yes'].includes(String(Array.isArray(v) ? v[v.length - 1] : v ?? '').trim().toLowerCase())

/**
 * `DELETE /v2/lbaas/loadbalancers/{id}[?cascade=true]`. Without cascade a
 * load balancer with listeners or pools is a 400. From ACTIVE or ERROR it goes
 * PENDING_DELETE (else 409 `Invalid state …`), with a cascade every object
 * below it too, and a `loadbalancer_delete` job finishes the work.
 */
export async function deleteLoadBalancer(deps: ApiDeps, caller: Caller, id: string, cascade: boolean): Promise<void> {
  const current = await requireLoadBalancer(deps, caller, id, 'loadbalancer:delete')
  const provider = current.row.provider ?? 'amphora'
  resolveProvider(deps, provider)
  await writeAndDispatch(deps, async (tx, jobs) => {
    if (!cascade && await hasChildren(tx, id)) {
      throw validationFailure(`Cannot delete Load Balancer ${id} - it has children`)
    }
    await transitionOrThrow(tx, 'load_balancer', id, {
      from: ['ACTIVE', 'ERROR'], to: 'PENDING_DELETE', resource: 'Load Balancer', conflictMessage: invalidStateMessage(id),
    })
    if (cascade) await markChildrenPendingDelete(tx, id)
    await jobs.add('loadbalancer_delete', provider, id, { loadBalancerId: id, cascade })
  })
}

/**
 * `PUT /v2/lbaas/loadbalancers/{id}/failover` (`put_failover`: admin only by default): from ACTIVE or
 * ERROR to PENDING_UPDATE (else 409 `Invalid state …`) with a
 * `loadbalancer_failover` job.
 */
export async function failoverLoadBalancer(deps: ApiDeps, caller: Caller, id: string): Promise<void> {
  const current = await requireLoadBalancer(deps, caller, id, 'loadbalancer:put_failover')
  const provider = current.row.provider ?? 'amphora'
  resolveProvider(deps, provider)
  await writeAndDispatch(deps, async (tx, jobs) => {
    await transitionOrThrow(tx, 'load_balancer', id, {
      from: ['ACTIVE', 'ERROR'], to: 'PENDING_UPDATE', resource: 'Load Balancer', conflictMessage: invalidStateMessage(id),
    })
    await jobs.add('loadbalancer_failover', provider, id, { loadBalancerId: id })
  })
}
