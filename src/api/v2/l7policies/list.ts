import type { FastifyRequest } from 'fastify'
import { notFound } from '../../../common/errors.js'
import type { ListColumn } from '../../../db/list-query.js'
import { findL7Policy, listL7Policies } from '../../../db/repositories/l7policy-repository.js'
import type { ApiDeps } from '../../deps.js'
import { listPage } from '../../list/list-page.js'
import { parseListQuery, selectFields, type Query } from '../../list/list-params.js'
import { baseUrlOf } from '../../versions.js'
import { authorize, listScope } from '../../auth/authorize.js'
import { renderL7Policies } from './render.js'

/** API attribute → l7policy column, for filters and sort keys. */
export const L7POLICY_COLUMNS: Readonly<Record<string, ListColumn>> = {
  id: { column: 'id', type: 'string' },
  name: { column: 'name', type: 'string' },
  description: { column: 'description', type: 'string' },
  project_id: { column: 'project_id', type: 'string' },
  listener_id: { column: 'listener_id', type: 'string' },
  action: { column: 'action', type: 'string' },
  redirect_pool_id: { column: 'redirect_pool_id', type: 'string' },
  redirect_url: { column: 'redirect_url', type: 'string' },
  redirect_prefix: { column: 'redirect_prefix', type: 'string' },
  redirect_http_code: { column: 'redirect_http_code', type: 'int' },
  position: { column: 'position', type: 'int' },
  provisioning_status: { column: 'provisioning_status', type: 'string' },
  operating_status: { column: 'operating_status', type: 'string' },
  admin_state_up: { column: 'enabled', type: 'bool' },
  created_at: { column: 'created_at', type: 'string' },
  updated_at: { column: 'updated_at', type: 'string' },
}

/** `GET /v2/lbaas/l7policies`: Octavia's list envelope with links. */
export async function listL7PoliciesHandler(deps: ApiDeps, req: FastifyRequest): Promise<unknown> {
  const query = req.query as Query
  const lr = parseListQuery(query, L7POLICY_COLUMNS, deps.config.api_settings.pagination_max_limit)
  const scope = listScope(req.caller, 'l7policy', query)
  const db = deps.database.db
  const { items, links } = await listPage(lr, query, listBaseUrl(deps, req), {
    findMarker: id => findL7Policy(db, id),
    fetch: marker => listL7Policies(db, { ...lr.spec, marker }, scope),
    render: rows => renderL7Policies(db, rows),
    keyOf: r => r.id,
  })
  return { l7policies: items, l7policies_links: links }
}

/** `GET /v2/lbaas/l7policies/{id}`: 404 `L7 Policy <id> not found.`; honours `fields=`. */
export async function showL7PolicyHandler(deps: ApiDeps, req: FastifyRequest, id: string): Promise<unknown> {
  const db = deps.database.db
  const row = await findL7Policy(db, id)
  if (!row) throw notFound('L7 Policy', id)
  authorize(req.caller, 'l7policy:get_one', row.project_id)
  const [view] = await renderL7Policies(db, [row])
  return { l7policy: selectFields(view, fieldsOf(req.query as Query)) }
}

/** The `fields=` of a GET-one request (other query keys are ignored there, as in Octavia). */
export const fieldsOf = (q: Query): readonly string[] | null =>
  q.fields === undefined ? null : parseListQuery({ fields: q.fields }, {}, 1).fields

/** Octavia's link base: `[api_settings] api_base_uri` or the request's own URL, plus the path. */
export function listBaseUrl(deps: ApiDeps, req: FastifyRequest): string {
  const path = req.url.split('?')[0]
  const base = deps.config.api_settings.api_base_uri.replace(/\/+$/, '')
  return `${base || baseUrlOf(req)}${path}`
}
