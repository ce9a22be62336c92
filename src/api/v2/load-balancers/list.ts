import type { FastifyRequest } from 'fastify'
import { notFound } from '../../../common/errors.js'
import {
  LOAD_BALANCER_COLUMNS, listLoadBalancerRows, loadBalancerMarker, loadBalancerRecord, loadBalancerRecords,
} from '../../../db/repositories/load-balancer-repository.js'
import { authorize, listScope, type PolicyAction } from '../../auth/authorize.js'
import type { Caller } from '../../auth/caller.js'
import type { ApiDeps } from '../../deps.js'
import type { Link } from '../../list/list-links.js'
import { listPage } from '../../list/list-page.js'
import { parseListQuery, selectFields, type Query } from '../../list/list-params.js'
import { pathUrlOf } from '../../versions.js'
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

const fieldsOf = (query: Query): readonly string[] | null => parseListQuery({ fields: query.fields }, {}, 1).fields

/** `GET /v2/lbaas/loadbalancers/{id}` (honours `fields=`). */
export async function showLoadBalancer(deps: ApiDeps, req: FastifyRequest, id: string): Promise<{ loadbalancer: Partial<LoadBalancerJson> }> {
  const view = await requireLoadBalancer(deps, req.caller, id, 'loadbalancer:get_one')
  return { loadbalancer: selectFields(renderLoadBalancer(view), fieldsOf(req.query as Query)) }
}

/** The links' base: `[api_settings] api_base_uri` + request path, else the request URL. */
export function linkBase(deps: ApiDeps, req: FastifyRequest): string {
  const base = deps.config.api_settings.api_base_uri
  if (!base) return pathUrlOf(req)
  const url = req.originalUrl ?? req.url
  const q = url.indexOf('?')
  return base.replace(/\/+$/, '') + (q < 0 ? url : url.slice(0, q))
}

/**
 * `GET /v2/lbaas/loadbalancers`: filters (vip_* on the VIP), tag filters,
 * sorting, keyset pagination and `fields=`, scoped by listScope (RBAC).
 */
export async function listLoadBalancers(
  deps: ApiDeps, req: FastifyRequest,
): Promise<{ loadbalancers: Partial<LoadBalancerJson>[]; loadbalancers_links: Link[] }> {
  const query = req.query as Query
  const parsed = parseListQuery(query, LOAD_BALANCER_COLUMNS, deps.config.api_settings.pagination_max_limit)
  const scope = listScope(req.caller, 'loadbalancer', query)
  const db = deps.database.db
  const filters = [...parsed.spec.filters]
  if (scope !== null) filters.push({ column: 'project_id', value: scope })
  const { items, links } = await listPage(parsed, query, linkBase(deps, req), {
    findMarker: id => loadBalancerMarker(db, id),
    fetch: marker => listLoadBalancerRows(db, { ...parsed.spec, filters, marker }),
    render: async rows => (await loadBalancerRecords(db, rows)).map(v => renderLoadBalancer(v)),
    keyOf: r => r.id,
  })
  return { loadbalancers: items, loadbalancers_links: links }
}
