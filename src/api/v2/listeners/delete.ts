import { notFound } from '../../../common/errors.js'
import { findListener } from '../../../db/repositories/listener-repository.js'
import { findLoadBalancer } from '../../../db/repositories/load-balancer-repository.js'
import { setProvisioningStatus, transitionOrThrow } from '../../../db/repositories/status-guard.js'
import type { Caller } from '../../auth/caller.js'
import type { ApiDeps } from '../../deps.js'
import { writeAndDispatch } from '../../write.js'
import { authorize } from '../../auth/authorize.js'

/**
 * `DELETE /v2/lbaas/listeners/{id}`: locks the load balancer (409 unless
 * ACTIVE), sets the listener PENDING_DELETE and records a `listener_delete`
 * job (the worker removes it with its L7 policies; pools stay).
 */
export async function deleteListener(deps: ApiDeps, caller: Caller, id: string): Promise<void> {
  await writeAndDispatch(deps, async (tx, jobs) => {
    const row = await findListener(tx, id)
    const lb = row && await findLoadBalancer(tx, row.load_balancer_id)
    if (!row || !lb) throw notFound('Listener', id)
    authorize(caller, 'listener:delete', lb.project_id)
    await transitionOrThrow(tx, 'load_balancer', lb.id, { from: ['ACTIVE'], to: 'PENDING_UPDATE', resource: 'Load Balancer' })
    await setProvisioningStatus(tx, 'listener', [id], 'PENDING_DELETE')
    await jobs.add('listener_delete', lb.provider ?? deps.config.api_settings.default_provider_driver, lb.id, { listenerId: id })
  })
}
