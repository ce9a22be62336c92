import { conflict, notFound } from '../../../common/errors.js'
import { findLoadBalancer } from '../../../db/repositories/load-balancer-repository.js'
import { findPool, poolListenerIds, redirectingL7PolicyId } from '../../../db/repositories/pool-repository.js'
import { setProvisioningStatus, transitionOrThrow } from '../../../db/repositories/status-guard.js'
import type { Caller } from '../../auth/caller.js'
import type { ApiDeps } from '../../deps.js'
import { writeAndDispatch } from '../../write.js'
import { authorize } from '../../auth/authorize.js'

/**
 * `DELETE /v2/lbaas/pools/{id}`: 409 while an L7 policy redirects to the
 * pool; else locks the load balancer (409 unless ACTIVE), sets the listeners
 * using the pool PENDING_UPDATE and the pool PENDING_DELETE, and records a
 * `pool_delete` job (the worker removes its members and health monitor too).
 */
export async function deletePool(deps: ApiDeps, caller: Caller, id: string): Promise<void> {
  await writeAndDispatch(deps, async (tx, jobs) => {
    const row = await findPool(tx, id)
    const lb = row && await findLoadBalancer(tx, row.load_balancer_id)
    if (!row || !lb) throw notFound('Pool', id)
    authorize(caller, 'pool:delete', lb.project_id)
    const policyId = await redirectingL7PolicyId(tx, id)
    if (policyId) throw conflict(`Pool ${id} is in use by L7 policy ${policyId}`, 'pool_in_use')
    const listenerIds = (await poolListenerIds(tx, [id])).get(id) ?? []
    await transitionOrThrow(tx, 'load_balancer', lb.id, { from: ['ACTIVE'], to: 'PENDING_UPDATE', resource: 'Load Balancer' })
    await setProvisioningStatus(tx, 'listener', listenerIds, 'PENDING_UPDATE')
    await setProvisioningStatus(tx, 'pool', [id], 'PENDING_DELETE')
    await jobs.add('pool_delete', lb.provider ?? deps.config.api_settings.default_provider_driver, lb.id, { poolId: id })
  })
}
