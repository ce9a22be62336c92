import { notFound } from '../../../common/errors.js'
import {
  findHealthMonitor, updateHealthMonitorRow, type HealthMonitorPatch,
} from '../../../db/repositories/health-monitor-repository.js'
import { lockPoolForChildChange } from '../../../db/repositories/pool-child-lock.js'
import { findPool } from '../../../db/repositories/pool-repository.js'
import { setTags } from '../../../db/repositories/tag-repository.js'
import { HEALTH_MONITOR_FIELDS } from '../../../model/health-monitor-fields.js'
import { authorize } from '../../auth/authorize.js'
import type { Caller } from '../../auth/caller.js'
import type { ApiDeps } from '../../deps.js'
import { writeAndDispatch } from '../../write.js'
import { checkUrlPath, parseHttpVersion } from './hm-fields.js'
import { checkPoolCompatibility, checkUpdate, HTTP_DEFAULTS } from './hm-rules.js'
import { loadHealthMonitorView } from './hm-view.js'
import type { HealthMonitorResponse } from './render.js'
import type { HealthMonitorUpdate, HealthMonitorUpdateBody } from './schema.js'

/**
 * Column changes of a HealthMonitorPUT: only given fields change; null resets
 * http_method/url_path/expected_codes and max_retries_down to their defaults,
 * admin_state_up to true, and clears name, http_version and domain_name.
 */
function patchOf(u: HealthMonitorUpdate, httpVersion: number | null | undefined): HealthMonitorPatch {
  const p: HealthMonitorPatch = {}
  if (u.name !== undefined) p.name = u.name
  if (typeof u.delay === 'number') p.delay = u.delay
  if (typeof u.timeout === 'number') p.timeout = u.timeout
  if (typeof u.max_retries === 'number') p.rise_threshold = u.max_retries
  if (u.max_retries_down !== undefined) p.fall_threshold = u.max_retries_down ?? HEALTH_MONITOR_FIELDS.max_retries_down.default
  if (u.http_method !== undefined) p.http_method = u.http_method ?? HTTP_DEFAULTS.http_method
  if (u.url_path !== undefined) p.url_path = u.url_path ?? HTTP_DEFAULTS.url_path
  if (u.expected_codes !== undefined) p.expected_codes = u.expected_codes ?? HTTP_DEFAULTS.expected_codes
  if (u.admin_state_up !== undefined) p.enabled = u.admin_state_up === false ? 0 : 1
  if (httpVersion !== undefined) p.http_version = httpVersion
  if (u.domain_name !== undefined) p.domain_name = u.domain_name
  return p
}

/**
 * `PUT /v2/lbaas/healthmonitors/{id}`: 404 `Health Monitor <id> not found.`,
 * Octavia's update rules (400), then the pool/LB lock (409). Answers the
 * monitor as committed (PENDING_UPDATE).
 */
export async function updateHealthMonitor(
  deps: ApiDeps, caller: Caller, id: string, body: HealthMonitorUpdateBody,
): Promise<{ healthmonitor: HealthMonitorResponse }> {
  const u = body.healthmonitor
  checkUrlPath(u.url_path)
  const httpVersion = parseHttpVersion(u.http_version)
  const db = await findHealthMonitor(deps.database.db, id)
  if (!db) throw notFound('Health Monitor', id)
  const pool = await findPool(deps.database.db, db.pool_id)
  if (!pool) throw notFound('Pool', db.pool_id)
  authorize(caller, 'healthmonitor:put', pool.project_id)
  checkUpdate(db, u, httpVersion)
  if (pool.protocol === 'UDP' || pool.protocol === 'SCTP') checkPoolCompatibility(deps, pool.protocol, db.type, u.delay)
  return writeAndDispatch(deps, async (tx, jobs) => {
    const { loadBalancer: lb } = await lockPoolForChildChange(tx, pool.id)
    if (!(await findHealthMonitor(tx, id))) throw notFound('Health Monitor', id)
    await updateHealthMonitorRow(tx, id, { ...patchOf(u, httpVersion), provisioning_status: 'PENDING_UPDATE' })
    if (u.tags !== undefined) await setTags(tx, id, u.tags ?? [])
    await jobs.add('health_monitor_update', lb.provider ?? deps.config.api_settings.default_provider_driver, lb.id,
      { healthMonitorId: id })
    return { healthmonitor: await loadHealthMonitorView(tx, id) }
  })
}
