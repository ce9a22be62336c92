import { conflict, LbaasError, notFound, validationFailure } from '../../../common/errors.js'
import { findListener } from '../../../db/repositories/listener-repository.js'
import { findLoadBalancer } from '../../../db/repositories/load-balancer-repository.js'
import { findPool, setListenerDefaultPool } from '../../../db/repositories/pool-repository.js'
import { setProvisioningStatus, transitionOrThrow } from '../../../db/repositories/status-guard.js'
import type { Caller } from '../../auth/caller.js'
import type { ApiDeps } from '../../deps.js'
import { writeAndDispatch } from '../../write.js'
import { checkPoolProtocol } from '../listeners/protocols.js'
import { authorize } from '../../auth/authorize.js'
import { insertPool } from './insert.js'
import { refuseNestedPoolChildren } from './nested-children.js'
import { renderPoolRows, type PoolResponse } from './render.js'
import type { PoolCreateBody } from './schema.js'

/**
 * `POST /v2/lbaas/pools` on a load balancer and/or a listener. With
 * `listener_id` the pool becomes that listener's default pool (409 when it
 * already has one; the listener must accept the pool protocol). Locks the
 * load balancer (409 unless ACTIVE), sets the listener PENDING_UPDATE,
 * inserts through insertPool and records a `pool_create` job. The pool
 * belongs to the load balancer's project, as in Octavia.
 */
export async function createPool(deps: ApiDeps, caller: Caller, { pool: body }: PoolCreateBody): Promise<{ pool: PoolResponse }> {
  const { listener_id: listenerId, loadbalancer_id: lbId, project_id: projectId, tenant_id: tenantId, ...create } = body
  if (!listenerId && !lbId) throw validationFailure('Must provide at least one of: loadbalancer_id, listener_id')
  refuseNestedPoolChildren(create)
  const id = await writeAndDispatch(deps, async (tx, jobs) => {
    const listener = listenerId ? await findListener(tx, listenerId) : undefined
    if (listenerId && !listener) throw notFound('Listener', listenerId)
    const lb = await findLoadBalancer(tx, lbId ?? listener!.load_balancer_id)
    if (!lb) throw notFound('Load Balancer', lbId ?? listener!.load_balancer_id)
    if (listener && listener.load_balancer_id !== lb.id) throw notFound('Listener', listener.id)
    authorize(caller, 'pool:post', lb.project_id)
    if (listener) {
      if (listener.protocol === 'PROMETHEUS') {
        throw new LbaasError('listener_no_children', 400, 'Protocol PROMETHEUS listeners cannot have child objects.')
      }
      checkPoolProtocol(listener.protocol, create.protocol)
      if (listener.default_pool_id) throw conflict('This listener already has a default pool', 'duplicate_pool')
    }
    await transitionOrThrow(tx, 'load_balancer', lb.id, { from: ['ACTIVE'], to: 'PENDING_UPDATE', resource: 'Load Balancer' })
    if (listener) await setProvisioningStatus(tx, 'listener', [listener.id], 'PENDING_UPDATE')
    const poolId = await insertPool(tx, deps, lb, create, lb.project_id ?? projectId ?? tenantId ?? caller.projectId, caller.authToken ?? null)
    if (listener) await setListenerDefaultPool(tx, listener.id, poolId)
    await jobs.add('pool_create', lb.provider ?? deps.config.api_settings.default_provider_driver, lb.id, { poolId })
    return poolId
  })
  const row = await findPool(deps.database.db, id)
  const [view] = await renderPoolRows(deps.database.db, [row!])
  return { pool: view }
}
