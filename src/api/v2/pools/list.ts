import type { FastifyRequest } from 'fastify'
import { notFound } from '../../../common/errors.js'
import type { ListColumn } from '../../../db/list-query.js'
import { findPool, listPools } from '../../../db/repositories/pool-repository.js'
import type { PoolRow } from '../../../db/schema.js'
import { authorize, listScope } from '../../auth/authorize.js'
import type { Caller } from '../../auth/caller.js'
import type { ApiDeps } from '../../deps.js'
import type { Link } from '../../list/list-links.js'
import { listPage } from '../../list/list-page.js'
import { parseListQuery, selectFields, type Query } from '../../list/list-params.js'
import { linkBase } from '../load-balancers/list.js'
import { renderPoolRows, type PoolResponse } from './render.js'

/** Pseudo-column of the `healthmonitor_id` filter (the id lives in health_monitor). */
const HEALTH_MONITOR_FILTER = '__healthmonitor_id'

const col = (column: string, type: ListColumn['type'] = 'string'): ListColumn => ({ column, type })
const listCol = (column: string): ListColumn => ({ column, type: 'string', filterable: false, sortable: false })

/** API attribute → pool column, for filters and sort keys. */
export const POOL_COLUMNS: Readonly<Record<string, ListColumn>> = {
  id: col('id'),
  name: col('name'),
  description: col('description'),
  project_id: col('project_id'),
  provisioning_status: col('provisioning_status'),
  operating_status: col('operating_status'),
  admin_state_up: col('enabled', 'bool'),
  enabled: col('enabled', 'bool'),
  protocol: col('protocol'),
  lb_algorithm: col('lb_algorithm'),
  load_balancer_id: col('load_balancer_id'),
  loadbalancer_id: col('load_balancer_id'),
  tls_enabled: col('tls_enabled', 'bool'),
  tls_container_ref: col('tls_certificate_id'),
  ca_tls_container_ref: col('ca_tls_certificate_id'),
  crl_container_ref: col('crl_container_id'),
  tls_ciphers: col('tls_ciphers'),
  created_at: col('created_at'),
  updated_at: col('updated_at'),
  healthmonitor_id: { column: HEALTH_MONITOR_FILTER, type: 'string', sortable: false },
  session_persistence: listCol('sp_type'),
  tls_versions: listCol('tls_versions'),
  alpn_protocols: listCol('alpn_protocols'),
}

const fieldsOf = (query: Query): readonly string[] | null => parseListQuery({ fields: query.fields }, {}, 1).fields

/** The pool of a route, or 404 `Pool <id> not found.`; 403 unless the caller passes `pool:get_one` on its project. */
export async function requirePool(deps: ApiDeps, caller: Caller, id: string): Promise<PoolRow> {
  const row = await findPool(deps.database.db, id)
  if (!row) throw notFound('Pool', id)
  authorize(caller, 'pool:get_one', row.project_id)
  return row
}

/** `GET /v2/lbaas/pools/{id}` (honours `fields=`). */
export async function showPool(deps: ApiDeps, req: FastifyRequest, id: string): Promise<{ pool: Partial<PoolResponse> }> {
  const row = await requirePool(deps, req.caller, id)
  const [view] = await renderPoolRows(deps.database.db, [row])
  return { pool: selectFields(view, fieldsOf(req.query as Query)) }
}

/**
 * `GET /v2/lbaas/pools`: attribute filters (`loadbalancer_id`, `admin_state_up`
 * and `healthmonitor_id` included), tag filters, sorting, keyset pagination,
 * `fields=`, scoped by listScope (RBAC).
 */
export async function listPoolsHandler(deps: ApiDeps, req: FastifyRequest): Promise<{ pools: Partial<PoolResponse>[]; pools_links: Link[] }> {
  const query = req.query as Query
  const parsed = parseListQuery(query, POOL_COLUMNS, deps.config.api_settings.pagination_max_limit)
  const scope = listScope(req.caller, 'pool', query)
  const db = deps.database.db
  const hmFilter = parsed.spec.filters.find(f => f.column === HEALTH_MONITOR_FILTER)
  const filters = parsed.spec.filters.filter(f => f.column !== HEALTH_MONITOR_FILTER)
  const { items, links } = await listPage(parsed, query, linkBase(deps, req), {
    findMarker: id => findPool(db, id),
    fetch: marker => listPools(db, { ...parsed.spec, filters, marker }, scope, hmFilter ? String(hmFilter.value) : null),
    render: rows => renderPoolRows(db, rows),
    keyOf: r => r.id,
  })
  return { pools: items, pools_links: links }
}
