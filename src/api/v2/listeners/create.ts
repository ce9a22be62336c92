import { notFound } from '../../../common/errors.js'
import { findListener } from '../../../db/repositories/listener-repository.js'
import { findLoadBalancer } from '../../../db/repositories/load-balancer-repository.js'
import { transitionOrThrow } from '../../../db/repositories/status-guard.js'
import type { Caller } from '../../auth/caller.js'
import type { ApiDeps } from '../../deps.js'
import { writeAndDispatch } from '../../write.js'
import { authorize } from '../../auth/authorize.js'
import { refuseNestedPoolChildren } from '../pools/nested-children.js'
import { insertListener } from './insert.js'
import { renderListenerRows, type ListenerResponse } from './render.js'
import type { ListenerCreateBody } from './schema.js'

/**
 * `POST /v2/lbaas/listeners`: locks the load balancer (409 unless ACTIVE),
 * inserts the listener through insertListener and records a
 * `listener_create` job, in one transaction. The listener belongs to the load
 * balancer's project, as in Octavia. Answers the listener as committed.
 */
export async function createListener(deps: ApiDeps, caller: Caller, { listener: body }: ListenerCreateBody): Promise<{ listener: ListenerResponse }> {
  const { loadbalancer_id: lbId, project_id: projectId, tenant_id: tenantId, ...create } = body
  refuseNestedPoolChildren(create.default_pool)
  const id = await writeAndDispatch(deps, async (tx, jobs) => {
    const lb = await findLoadBalancer(tx, lbId)
    if (!lb) throw notFound('Load Balancer', lbId)
    authorize(caller, 'listener:post', lb.project_id)
    await transitionOrThrow(tx, 'load_balancer', lb.id, { from: ['ACTIVE'], to: 'PENDING_UPDATE', resource: 'Load Balancer' })
    const owner = lb.project_id ?? projectId ?? tenantId ?? caller.projectId
    const listenerId = await insertListener(tx, deps, lb, create, owner, caller.authToken ?? null)
    await jobs.add('listener_create', lb.provider ?? deps.config.api_settings.default_provider_driver, lb.id, { listenerId })
    return listenerId
  })
  const row = await findListener(deps.database.db, id)
  const [view] = await renderListenerRows(deps.database.db, [row!])
  return { listener: view }
}
