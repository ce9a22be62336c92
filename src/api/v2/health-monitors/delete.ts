import { notFound } from '../../../common/errors.js'
import { findHealthMonitor, updateHealthMonitorRow } from '../../../db/repositories/health-monitor-repository.js'
import { lockPoolForChildChange } from '../../../db/repositories/pool-child-lock.js'
import { authorize } from '../../auth/authorize.js'
import type { Caller } from '../../auth/caller.js'
import type { ApiDeps } from '../../deps.js'
import { writeAndDispatch } from '../../write.js'

/**
 * `DELETE /v2/lbaas/healthmonitors/{id}`: 404 when unknown, 409 unless the
 * pool and load balancer are ACTIVE; marks it PENDING_DELETE and records the
 * job that removes it (the worker then sets the pool's members NO_MONITOR).
 */
export async function deleteHealthMonitor(deps: ApiDeps, caller: Caller, id: string): Promise<void> {
  const hm = await findHealthMonitor(deps.database.db, id)
  if (!hm) throw notFound('Health Monitor', id)
  authorize(caller, 'healthmonitor:delete', hm.project_id)
  await writeAndDispatch(deps, async (tx, jobs) => {
    const { loadBalancer: lb } = await lockPoolForChildChange(tx, hm.pool_id)
    if (!(await findHealthMonitor(tx, id))) throw notFound('Health Monitor', id)
    await updateHealthMonitorRow(tx, id, { provisioning_status: 'PENDING_DELETE' })
    await jobs.add('health_monitor_delete', lb.provider ?? deps.config.api_settings.default_provider_driver, lb.id,
      { healthMonitorId: id })
  })
}
