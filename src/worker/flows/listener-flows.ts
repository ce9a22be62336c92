import type { OperationPayloads } from '../../bus/operations.js'
import { linear, type Flow } from '../engine/flow.js'
import { deleteListener } from '../tasks/delete-tasks.js'
import { listenerToErrorOnRevert } from '../tasks/lifecycle-tasks.js'
import { noopDataPlaneTask } from '../tasks/noop-tasks.js'
import { markListenerActive, markParentsActive } from '../tasks/status-tasks.js'

/** Noop listener create: listener ACTIVE, load balancer ACTIVE. */
export const listenerCreateFlow = (): Flow<OperationPayloads['listener_create']> =>
  linear('listener-create', [
    listenerToErrorOnRevert,
    noopDataPlaneTask('update-listeners'),
    markListenerActive,
    markParentsActive(listenerToErrorOnRevert),
  ])

/** Noop listener update: as create. */
export const listenerUpdateFlow = (): Flow<OperationPayloads['listener_update']> =>
  linear('listener-update', [
    listenerToErrorOnRevert,
    noopDataPlaneTask('update-listeners'),
    markListenerActive,
    markParentsActive(listenerToErrorOnRevert),
  ])

/** Noop listener delete: listener (with L7 policies, rules, tags) removed, load balancer ACTIVE. */
export const listenerDeleteFlow = (): Flow<OperationPayloads['listener_delete']> =>
  linear('listener-delete', [
    listenerToErrorOnRevert,
    noopDataPlaneTask('remove-listener'),
    deleteListener,
    markParentsActive(listenerToErrorOnRevert),
  ])
