import type { FastifyRequest } from 'fastify'
import { notFound } from '../../../common/errors.js'
import type { ListColumn } from '../../../db/list-query.js'
import { findListener, listenerStatistics, listListeners } from '../../../db/repositories/listener-repository.js'
import type { TrafficStats } from '../../../db/repositories/listener-statistics-repository.js'
import type { ListenerRow } from '../../../db/schema.js'
import { authorize, type PolicyAction } from '../../auth/authorize.js'
import type { Caller } from '../../auth/caller.js'
import type { ApiDeps } from '../../deps.js'
import type { Link } from '../../list/list-links.js'
import { fieldsOf, selectFields, type Query } from '../../list/list-params.js'
import { listCollection, type Collection } from '../list-collection.js'
import { col, listCol, PROVISIONED_COLUMNS } from '../list-columns.js'
import { renderListenerRows, type ListenerResponse } from './render.js'

/** API attribute → listener column, for filters and sort keys (lists and maps are neither). */
export const LISTENER_COLUMNS: Readonly<Record<string, ListColumn>> = {
  ...PROVISIONED_COLUMNS,
  name: col('name'),
  description: col('description'),
  enabled: col('enabled', 'bool'),
  protocol: col('protocol'),
  protocol_port: col('protocol_port', 'int'),
  connection_limit: col('connection_limit', 'int'),
  default_pool_id: col('default_pool_id'),
  load_balancer_id: col('load_balancer_id'),
  loadbalancer_id: col('load_balancer_id'),
  default_tls_container_ref: col('tls_certificate_id'),
  client_ca_tls_container_ref: col('client_ca_tls_certificate_id'),
  client_authentication: col('client_authentication'),
  client_crl_container_ref: col('client_crl_container_id'),
  timeout_client_data: col('timeout_client_data', 'int'),
  timeout_member_connect: col('timeout_member_connect', 'int'),
  timeout_member_data: col('timeout_member_data', 'int'),
  timeout_tcp_inspect: col('timeout_tcp_inspect', 'int'),
  tls_ciphers: col('tls_ciphers'),
  hsts_max_age: col('hsts_max_age', 'int'),
  hsts_include_subdomains: col('hsts_include_subdomains', 'bool'),
  hsts_preload: col('hsts_preload', 'bool'),
  sni_container_refs: listCol('sni_containers'),
  insert_headers: listCol('insert_headers'),
  allowed_cidrs: listCol('allowed_cidrs'),
  tls_versions: listCol('tls_versions'),
  alpn_protocols: listCol('alpn_protocols'),
}

const LISTENERS: Collection<ListenerRow, ListenerResponse> = {
  columns: LISTENER_COLUMNS, policy: 'listener', find: findListener, list: listListeners, render: renderListenerRows,
}

/** The listener of a route, or 404 `Listener <id> not found.`; 403 unless the caller passes `action` on its project. */
export async function requireListener(deps: ApiDeps, caller: Caller, id: string, action: PolicyAction): Promise<ListenerRow> {
  const row = await findListener(deps.database.db, id)
  if (!row) throw notFound('Listener', id)
  authorize(caller, action, row.project_id)
  return row
}

/** `GET /v2/lbaas/listeners/{id}` (honours `fields=`). */
export async function showListener(deps: ApiDeps, req: FastifyRequest, id: string): Promise<{ listener: Partial<ListenerResponse> }> {
  const row = await requireListener(deps, req.caller, id, 'listener:get_one')
  const [view] = await renderListenerRows(deps.database.db, [row])
  return { listener: selectFields(view, fieldsOf(req.query as Query)) }
}

/** `GET /v2/lbaas/listeners/{id}/stats`: counters summed over amphorae, zeros when none were reported. */
export async function showListenerStats(deps: ApiDeps, caller: Caller, id: string): Promise<{ stats: TrafficStats }> {
  await requireListener(deps, caller, id, 'listener:get_stats')
  return { stats: await listenerStatistics(deps.database.db, id) }
}

/**
 * `GET /v2/lbaas/listeners`: attribute filters (`loadbalancer_id` is the
 * load balancer's id, `admin_state_up` is `enabled`), tag filters, sorting,
 * keyset pagination, `fields=`, scoped by listScope (RBAC).
 */
export async function listListenersHandler(
  deps: ApiDeps, req: FastifyRequest,
): Promise<{ listeners: Partial<ListenerResponse>[]; listeners_links: Link[] }> {
  const { items, links } = await listCollection(deps, req, LISTENERS)
  return { listeners: items, listeners_links: links }
}
