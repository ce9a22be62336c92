import type { FastifyRequest } from 'fastify'
import { notFound } from '../../../common/errors.js'
import {
  LOAD_BALANCER_COLUMNS, listLoadBalancerRows, loadBalancerMarker, loadBalancerRecord, loadBalancerRecords,
} from '../../../db/repositories/load-balancer-repository.js'
import type { LoadBalancerRow } from '../../../db/schema.js'
import { authorize, type PolicyAction } from '../../auth/authorize.js'
import type { Caller } from '../../auth/caller.js'
import type { ApiDeps } from '../../deps.js'
import type { Link } from '../../list/list-links.js'
import { fieldsOf, selectFields, type Query } from '../../list/list-params.js'
import { listCollection, scopedTo, type Collection } from '../list-collection.js'
import { renderLoadBalancer, type LoadBalancerJson } from './render.js'

/**
 * The load balancer of a route, or 404 `Load Balancer <id> not found.` (also
 * when DELETED); then 403 unless the caller passes `action` on its project.
 */
export async function requireLoadBalancer(deps: ApiDeps, caller: Caller, id: string, action: PolicyAction) {
  const view = await loadBalancerRecord(deps.database.db, id)
  if (!view) throw notFound('Load Balancer', id)
  authorize(caller, action, view.row.project_id)
  return view
}

const LOAD_BALANCERS: Collection<LoadBalancerRow, LoadBalancerJson> = {
  columns: LOAD_BALANCER_COLUMNS,
  policy: 'loadbalancer',
  find: loadBalancerMarker,
  list: (db, spec, scope) => listLoadBalancerRows(db, scopedTo(spec, scope)),
  render: async (db, rows) => (await loadBalancerRecords(db, rows)).map(v => renderLoadBalancer(v)),
}

/** `GET /v2/lbaas/loadbalancers/{id}` (honours `fields=`). */
export async function showLoadBalancer(deps: ApiDeps, req: FastifyRequest, id: string): Promise<{ loadbalancer: Partial<LoadBalancerJson> }> {
  const view = await requireLoadBalancer(deps, req.caller, id, 'loadbalancer:get_one')
  return { loadbalancer: selectFields(renderLoadBalancer(view), fieldsOf(req.query as Query)) }
}

/**
 * `GET /v2/lbaas/loadbalancers`: filters (vip_* on the VIP), tag filters,
 * sorting, keyset pagination and `fields=`, scoped by listScope (RBAC).
 */
export async function listLoadBalancers(
  deps: ApiDeps, req: FastifyRequest,
): Promise<{ loadbalancers: Partial<LoadBalancerJson>[]; loadbalancers_links: Link[] }> {
  const { items, links } = await listCollection(deps, req, LOAD_BALANCERS)
  return { loadbalancers: items, loadbalancers_links: links }
}
