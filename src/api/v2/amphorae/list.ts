import type { FastifyRequest } from 'fastify'
import { notFound } from '../../../common/errors.js'
import {
  AMPHORA_ALIASES, AMPHORA_COLUMNS, amphoraMarker, amphoraStats, findAmphora, listAmphoraRows, type AmphoraListenerStats,
} from '../../../db/repositories/amphora-admin-repository.js'
import { authorize } from '../../auth/authorize.js'
import type { ApiDeps } from '../../deps.js'
import type { Link } from '../../list/list-links.js'
import { listPage } from '../../list/list-page.js'
import { fieldsOf, parseListQuery, selectFields, type Query } from '../../list/list-params.js'
import { linkBase } from '../link-base.js'
import { renderAmphora, type AmphoraJson } from './render.js'

/**
 * `GET /v2/octavia/amphorae/{id}` (honours `fields=`): 404 `Amphora <id> not
 * found.` for an unknown or DELETED amphora, then `amphora:get_one` (admin).
 */
export async function showAmphora(deps: ApiDeps, req: FastifyRequest, id: string): Promise<{ amphora: Partial<AmphoraJson> }> {
  const row = await findAmphora(deps.database.db, id)
  if (!row) throw notFound('Amphora', id)
  authorize(req.caller, 'amphora:get_one', req.caller.projectId)
  return { amphora: selectFields(renderAmphora(row), fieldsOf(req.query as Query)) }
}

/**
 * `GET /v2/octavia/amphorae` (`amphora:get_all`, admin): every amphora that is
 * not DELETED, with attribute filters (`loadbalancer_id`; `project_id` is the
 * load balancer's project), sorting, keyset pagination and `fields=`.
 */
export async function listAmphorae(
  deps: ApiDeps, req: FastifyRequest,
): Promise<{ amphorae: Partial<AmphoraJson>[]; amphorae_links: Link[] }> {
  authorize(req.caller, 'amphora:get_all', req.caller.projectId)
  const query = req.query as Query
  const parsed = parseListQuery(query, AMPHORA_COLUMNS, deps.config.api_settings.pagination_max_limit, AMPHORA_ALIASES)
  const db = deps.database.db
  const { items, links } = await listPage(parsed, query, linkBase(deps, req), {
    findMarker: id => amphoraMarker(db, id),
    fetch: marker => listAmphoraRows(db, { ...parsed.spec, marker }),
    render: rows => rows.map(renderAmphora),
    keyOf: r => r.id,
  })
  return { amphorae: items, amphorae_links: links }
}

/**
 * `GET /v2/octavia/amphorae/{id}/stats` (`amphora:get_stats`, admin): one
 * entry per listener the amphora reported counters for; 404 `Amphora stats
 * for <id> not found.` when there are none (unknown amphora included).
 */
export async function amphoraStatistics(
  deps: ApiDeps, req: FastifyRequest, id: string,
): Promise<{ amphora_stats: AmphoraListenerStats[] }> {
  authorize(req.caller, 'amphora:get_stats', req.caller.projectId)
  const stats = await amphoraStats(deps.database.db, id)
  if (stats.length === 0) throw notFound('Amphora stats for', id)
  return {
    amphora_stats: stats.map(s => ({
      active_connections: s.active_connections,
      bytes_in: s.bytes_in,
      bytes_out: s.bytes_out,
      id: s.id,
      listener_id: s.listener_id,
      loadbalancer_id: s.loadbalancer_id,
      request_errors: s.request_errors,
      total_connections: s.total_connections,
    })),
  }
}
