import type { FastifyRequest } from 'fastify'
import type { ListColumn } from '../../../db/list-query.js'
import { findHealthMonitor, listHealthMonitors } from '../../../db/repositories/health-monitor-repository.js'
import type { HealthMonitorRow } from '../../../db/schema.js'
import { authorize } from '../../auth/authorize.js'
import type { ApiDeps } from '../../deps.js'
import { fieldsOf, selectFields, type Query } from '../../list/list-params.js'
import { listCollection, scopedTo, type Collection } from '../list-collection.js'
import { col, PROVISIONED_COLUMNS } from '../list-columns.js'
import { loadHealthMonitorView } from './hm-view.js'
import { renderHealthMonitors, type HealthMonitorResponse } from './render.js'

/** API attribute → health_monitor column, for filters and sort keys. */
export const HEALTH_MONITOR_COLUMNS: Readonly<Record<string, ListColumn>> = {
  ...PROVISIONED_COLUMNS,
  name: col('name'),
  pool_id: col('pool_id'),
  type: col('type'),
  delay: col('delay', 'int'),
  timeout: col('timeout', 'int'),
  max_retries: col('rise_threshold', 'int'),
  max_retries_down: col('fall_threshold', 'int'),
  http_method: col('http_method'),
  url_path: col('url_path'),
  expected_codes: col('expected_codes'),
  http_version: col('http_version', 'float'),
  domain_name: col('domain_name'),
}

const HEALTH_MONITORS: Collection<HealthMonitorRow, HealthMonitorResponse> = {
  columns: HEALTH_MONITOR_COLUMNS,
  policy: 'healthmonitor',
  find: findHealthMonitor,
  list: (db, spec, scope) => listHealthMonitors(db, scopedTo(spec, scope)),
  render: renderHealthMonitors,
}

/** `GET /v2/lbaas/healthmonitors`: Octavia's list envelope with links. */
export async function listHealthMonitorsHandler(deps: ApiDeps, req: FastifyRequest): Promise<unknown> {
  const { items, links } = await listCollection(deps, req, HEALTH_MONITORS)
  return { healthmonitors: items, healthmonitors_links: links }
}

/** `GET /v2/lbaas/healthmonitors/{id}` (honours `fields=`). */
export async function showHealthMonitor(deps: ApiDeps, req: FastifyRequest, id: string): Promise<unknown> {
  const fields = fieldsOf(req.query as Query)
  const view = await loadHealthMonitorView(deps.database.db, id)
  authorize(req.caller, 'healthmonitor:get_one', view.project_id)
  return { healthmonitor: selectFields(view, fields) }
}
