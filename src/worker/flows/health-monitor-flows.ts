import type { OperationPayloads } from '../../bus/operations.js'
import { linear, type Flow } from '../engine/flow.js'
import { deleteHealthMonitor } from '../tasks/delete-tasks.js'
import { healthMonitorToErrorOnRevert } from '../tasks/lifecycle-tasks.js'
import { noopDataPlaneTask } from '../tasks/noop-tasks.js'
import { markHealthMonitorActive, markParentsActive } from '../tasks/status-tasks.js'

/** Noop health monitor create: monitor ACTIVE and ONLINE (OFFLINE if disabled); pool, listeners, LB ACTIVE. */
export const healthMonitorCreateFlow = (): Flow<OperationPayloads['health_monitor_create']> =>
  linear('health-monitor-create', [
    healthMonitorToErrorOnRevert,
    noopDataPlaneTask('update-listeners'),
    markHealthMonitorActive,
    markParentsActive(healthMonitorToErrorOnRevert),
  ])

/** Noop health monitor update: as create. */
export const healthMonitorUpdateFlow = (): Flow<OperationPayloads['health_monitor_update']> =>
  linear('health-monitor-update', [
    healthMonitorToErrorOnRevert,
    noopDataPlaneTask('update-listeners'),
    markHealthMonitorActive,
    markParentsActive(healthMonitorToErrorOnRevert),
  ])

/** Noop health monitor delete: monitor removed, the pool's members NO_MONITOR; pool, listeners, LB ACTIVE. */
export const healthMonitorDeleteFlow = (): Flow<OperationPayloads['health_monitor_delete']> =>
  linear('health-monitor-delete', [
    healthMonitorToErrorOnRevert,
    noopDataPlaneTask('update-listeners'),
    deleteHealthMonitor,
    markParentsActive(healthMonitorToErrorOnRevert),
  ])
