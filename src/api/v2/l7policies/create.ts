import { randomUUID } from 'node:crypto'
import { notFound } from '../../../common/errors.js'
import { findL7Policy, findListenerWithLoadBalancer } from '../../../db/repositories/l7policy-repository.js'
import { setProvisioningStatus, transitionOrThrow } from '../../../db/repositories/status-guard.js'
import type { ApiDeps } from '../../deps.js'
import { writeAndDispatch } from '../../write.js'
import { authorize } from '../../auth/authorize.js'
import type { Caller } from '../../auth/caller.js'
import { insertL7Policy, validateL7PolicyCreate } from './insert.js'
import { checkListenerTakesPolicies } from './redirect-pool.js'
import { renderL7Policies, type L7PolicyResponse } from './render.js'
import type { L7PolicyCreateBody } from './schema.js'

/**
 * `POST /v2/lbaas/l7policies`: validates the body (400/409 before any lock,
 * as Octavia), then in one transaction: listener (404), PROMETHEUS (400),
 * load balancer ACTIVE → PENDING_UPDATE (409), listener PENDING_UPDATE, the
 * policy and its embedded rules PENDING_CREATE, one `l7policy_create` job.
 * The policy takes its load balancer's project, as in Octavia.
 */
export async function createL7PolicyHandler(
  deps: ApiDeps, caller: Caller, { l7policy }: L7PolicyCreateBody,
): Promise<{ l7policy: L7PolicyResponse }> {
  const { listener_id: listenerId, project_id: _p, tenant_id: _t, ...body } = l7policy
  const id = randomUUID()
  validateL7PolicyCreate(body, id)
  return writeAndDispatch(deps, async (tx, jobs) => {
    const parent = await findListenerWithLoadBalancer(tx, listenerId)
    if (!parent) throw notFound('Listener', listenerId)
    const lb = parent.loadBalancer
    authorize(caller, 'l7policy:post', lb.project_id)
    checkListenerTakesPolicies(parent.listener)
    await transitionOrThrow(tx, 'load_balancer', lb.id, { from: ['ACTIVE'], to: 'PENDING_UPDATE', resource: 'Load Balancer' })
    await setProvisioningStatus(tx, 'listener', [listenerId], 'PENDING_UPDATE')
    await insertL7Policy(tx, deps, parent, body, lb.project_id ?? caller.projectId, { id })
    await jobs.add('l7policy_create', lb.provider ?? deps.config.api_settings.default_provider_driver, lb.id, { l7policyId: id })
    const row = await findL7Policy(tx, id)
    const [view] = await renderL7Policies(tx, row ? [row] : [])
    return { l7policy: view }
  })
}
