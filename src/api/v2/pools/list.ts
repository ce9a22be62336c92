import type { FastifyRequest } from 'fastify'
import { notFound } from '../../../common/errors.js'
import type { Executor } from '../../../db/database.js'
import type { ListColumn, ListSpec } from '../../../db/list-query.js'
import { findPool, listPools } from '../../../db/repositories/pool-repository.js'
import type { PoolRow } from '../../../db/schema.js'
import { authorize } from '../../auth/authorize.js'
import type { Caller } from '../../auth/caller.js'
import type { ApiDeps } from '../../deps.js'
import type { Link } from '../../list/list-links.js'
import { fieldsOf, selectFields, type Query } from '../../list/list-params.js'
import { listCollection, type Collection } from '../list-collection.js'
import { col, listCol, PROVISIONED_COLUMNS } from '../list-columns.js'
import { renderPoolRows, type PoolResponse } from './render.js'

/** Pseudo-column of the `healthmonitor_id` filter (the id lives in health_monitor). */
const HEALTH_MONITOR_FILTER = '__healthmonitor_id'

/** API attribute → pool column, for filters and sort keys. */
export const POOL_COLUMNS: Readonly<Record<string, ListColumn>> = {
  ...PROVISIONED_COLUMNS,
  name: col('name'),
  description: col('description'),
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
  healthmonitor_id: { column: HEALTH_MONITOR_FILTER, type: 'string', sortable: false },
  session_persistence: listCol('sp_type'),
  tls_versions: listCol('tls_versions'),
  alpn_protocols: listCol('alpn_protocols'),
}

/** listPools with the `healthmonitor_id` filter taken out of the attribute filters. */
function listPoolsFiltered(db: Executor, spec: ListSpec, scope: string | null): Promise<PoolRow[]> {
  const hmFilter = spec.filters.find(f => f.column === HEALTH_MONITOR_FILTER)
  const filters = spec.filters.filter(f => f.column !== HEALTH_MONITOR_FILTER)
  return listPools(db, { ...spec, filters }, scope, hmFilter ? String(hmFilter.value) : null)
}

const POOLS: Collection<PoolRow, PoolResponse> = {
  columns: POOL_COLUMNS, policy: 'pool', find: findPool, list: listPoolsFiltered, render: renderPoolRows,
}

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
  const { items, links } = await listCollection(deps, req, POOLS)
  return { pools: items, pools_links: links }
}
