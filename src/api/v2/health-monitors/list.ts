import type { FastifyRequest } from 'fastify'
import type { ListColumn } from '../../../db/list-query.js'
import { findHealthMonitor, listHealthMonitors } from '../../../db/repositories/health-monitor-repository.js'
import { tagsOf } from '../../../db/repositories/tag-repository.js'
import { authorize, listScope } from '../../auth/authorize.js'
import type { ApiDeps } from '../../deps.js'
import { listPage } from '../../list/list-page.js'
import { parseListQuery, selectFields, type Query } from '../../list/list-params.js'
import { pathUrlOf } from '../../versions.js'
import { loadHealthMonitorView } from './hm-view.js'
import { renderHealthMonitor } from './render.js'

/** API attribute → health_monitor column, for filters and sort keys. */
export const HEALTH_MONITOR_COLUMNS: Readonly<Record<string, ListColumn>> = {
  id: { column: 'id', type: 'string' },
  name: { column: 'name', type: 'string' },
  project_id: { column: 'project_id', type: 'string' },
  pool_id: { column: 'pool_id', type: 'string' },
  type: { column: 'type', type: 'string' },
  delay: { column: 'delay', type: 'int' },
  timeout: { column: 'timeout', type: 'int' },
  max_retries: { column: 'rise_threshold', type: 'int' },
  max_retries_down: { column: 'fall_threshold', type: 'int' },
  http_method: { column: 'http_method', type: 'string' },
  url_path: { column: 'url_path', type: 'string' },
  expected_codes: { column: 'expected_codes', type: 'string' },
  http_version: { column: 'http_version', type: 'float' },
  domain_name: { column: 'domain_name', type: 'string' },
  provisioning_status: { column: 'provisioning_status', type: 'string' },
  operating_status: { column: 'operating_status', type: 'string' },
  admin_state_up: { column: 'enabled', type: 'bool' },
  created_at: { column: 'created_at', type: 'string' },
  updated_at: { column: 'updated_at', type: 'string' },
}

/** `GET /v2/lbaas/healthmonitors`: Octavia's list envelope with links. */
export async function listHealthMonitorsHandler(deps: ApiDeps, req: FastifyRequest): Promise<unknown> {
  const query = req.query as Query
  const lr = parseListQuery(query, HEALTH_MONITOR_COLUMNS, deps.config.api_settings.pagination_max_limit)
  const scope = listScope(req.caller, 'healthmonitor', query)
  const db = deps.database.db
  const filters = scope === null ? lr.spec.filters : [...lr.spec.filters, { column: 'project_id', value: scope }]
  const { items, links } = await listPage(lr, query, listBaseUrl(deps, req), {
    findMarker: id => findHealthMonitor(db, id),
    fetch: marker => listHealthMonitors(db, { ...lr.spec, filters, marker }),
    render: async rows => {
      const tags = await tagsOf(db, rows.map(r => r.id))
      return rows.map(r => renderHealthMonitor(r, tags.get(r.id) ?? []))
    },
    keyOf: r => r.id,
  })
  return { healthmonitors: items, healthmonitors_links: links }
}

/** `GET /v2/lbaas/healthmonitors/{id}` (honours `fields=`). */
export async function showHealthMonitor(deps: ApiDeps, req: FastifyRequest, id: string): Promise<unknown> {
  const q = req.query as Query
  const fields = q.fields === undefined ? null : parseListQuery({ fields: q.fields }, HEALTH_MONITOR_COLUMNS, 1).fields
  const view = await loadHealthMonitorView(deps.database.db, id)
  authorize(req.caller, 'healthmonitor:get_one', view.project_id)
  return { healthmonitor: selectFields(view, fields) }
}

/** Octavia's link base: `[api_settings] api_base_uri` plus the path, else the request URL without query. */
function listBaseUrl(deps: ApiDeps, req: FastifyRequest): string {
  const base = deps.config.api_settings.api_base_uri.replace(/\/+$/, '')
  return base ? base + (req.originalUrl ?? req.url).split('?')[0] : pathUrlOf(req)
}
