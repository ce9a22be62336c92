import { notFound } from '../../../common/errors.js'
import { lockPoolForChildChange } from '../../../db/repositories/pool-child-lock.js'
import { findPool } from '../../../db/repositories/pool-repository.js'
import { authorize } from '../../auth/authorize.js'
import type { Caller } from '../../auth/caller.js'
import type { ApiDeps } from '../../deps.js'
import { writeAndDispatch } from '../../write.js'
import { checkUrlPath, parseHttpVersion } from './hm-fields.js'
import { checkPingAllowed, checkPoolCompatibility } from './hm-rules.js'
import { loadHealthMonitorView } from './hm-view.js'
import { insertHealthMonitor } from './insert.js'
import type { HealthMonitorResponse } from './render.js'
import type { HealthMonitorCreateBody } from './schema.js'

/**
 * `POST /v2/lbaas/healthmonitors`, in Octavia's order: field formats, the pool
 * (404 `Pool <id> not found.`), PING and protocol compatibility (400), the
 * pool/LB lock (409), then the remaining rules and the one-per-pool check
 * (409). The monitor belongs to the load balancer's project.
 */
export async function createHealthMonitor(deps: ApiDeps, caller: Caller, body: HealthMonitorCreateBody): Promise<{ healthmonitor: HealthMonitorResponse }> {
  const { pool_id: poolId, project_id: _p, tenant_id: _t, ...hm } = body.healthmonitor
  checkUrlPath(hm.url_path)
  parseHttpVersion(hm.http_version)
  const pool = poolId === null ? undefined : await findPool(deps.database.db, poolId)
  if (!pool) throw notFound('Pool', poolId ?? 'None')
  authorize(caller, 'healthmonitor:post', pool.project_id)
  checkPingAllowed(deps, hm.type)
  checkPoolCompatibility(deps, pool.protocol, hm.type, hm.delay)
  return writeAndDispatch(deps, async (tx, jobs) => {
    const { pool: locked, loadBalancer: lb } = await lockPoolForChildChange(tx, pool.id)
    const healthMonitorId = await insertHealthMonitor(tx, deps, locked, hm, lb.project_id)
    await jobs.add('health_monitor_create', lb.provider ?? deps.config.api_settings.default_provider_driver, lb.id,
      { healthMonitorId })
    return { healthmonitor: await loadHealthMonitorView(tx, healthMonitorId) }
  })
}
