import { notFound } from '../../../common/errors.js'
import { findL7Policy, findListenerWithLoadBalancer } from '../../../db/repositories/l7policy-repository.js'
import { setProvisioningStatus, transitionOrThrow } from '../../../db/repositories/status-guard.js'
import type { ApiDeps } from '../../deps.js'
import { writeAndDispatch } from '../../write.js'
import { authorize } from '../../auth/authorize.js'
import type { Caller } from '../../auth/caller.js'

/**
 * `DELETE /v2/lbaas/l7policies/{id}`: 404 for a missing (or DELETED) policy;
 * load balancer ACTIVE → PENDING_UPDATE (409), listener PENDING_UPDATE,
 * policy PENDING_DELETE, one `l7policy_delete` job. The worker removes the
 * policy with its rules and closes the gap in the positions
 * (deleteL7PolicyRow).
 */
export async function deleteL7PolicyHandler(deps: ApiDeps, caller: Caller, id: string): Promise<void> {
  await writeAndDispatch(deps, async (tx, jobs) => {
    const policy = await findL7Policy(tx, id)
    const parent = policy && await findListenerWithLoadBalancer(tx, policy.listener_id)
    if (!policy || !parent) throw notFound('L7 Policy', id)
    const lb = parent.loadBalancer
    authorize(caller, 'l7policy:delete', lb.project_id)
    await transitionOrThrow(tx, 'load_balancer', lb.id, { from: ['ACTIVE'], to: 'PENDING_UPDATE', resource: 'Load Balancer' })
    if (!await findL7Policy(tx, id)) throw notFound('L7 Policy', id)
    await setProvisioningStatus(tx, 'listener', [parent.listener.id], 'PENDING_UPDATE')
    await setProvisioningStatus(tx, 'l7policy', [id], 'PENDING_DELETE')
    await jobs.add('l7policy_delete', lb.provider ?? deps.config.api_settings.default_provider_driver, lb.id, { l7policyId: id })
  })
}
