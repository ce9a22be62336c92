import type { OperationPayloads } from '../../bus/operations.js'
import { linear, type Flow } from '../engine/flow.js'
import { deletePool } from '../tasks/delete-tasks.js'
import { poolToErrorOnRevert } from '../tasks/lifecycle-tasks.js'
import { noopDataPlaneTask } from '../tasks/noop-tasks.js'
import { markParentsActive, markPoolActive } from '../tasks/status-tasks.js'

/** Noop pool create: pool ACTIVE, its listeners and load balancer ACTIVE. */
export const poolCreateFlow = (): Flow<OperationPayloads['pool_create']> =>
  linear('pool-create', [
    poolToErrorOnRevert,
    noopDataPlaneTask('update-listeners'),
    markPoolActive,
    markParentsActive(poolToErrorOnRevert),
  ])

/** Noop pool update: as create. */
export const poolUpdateFlow = (): Flow<OperationPayloads['pool_update']> =>
  linear('pool-update', [
    poolToErrorOnRevert,
    noopDataPlaneTask('update-listeners'),
    markPoolActive,
    markParentsActive(poolToErrorOnRevert),
  ])

/** Noop pool delete: pool (members, health monitor, tags) removed; listeners and load balancer ACTIVE. */
export const poolDeleteFlow = (): Flow<OperationPayloads['pool_delete']> =>
  linear('pool-delete', [
    poolToErrorOnRevert,
    noopDataPlaneTask('update-listeners'),
    deletePool,
    markParentsActive(poolToErrorOnRevert),
  ])
