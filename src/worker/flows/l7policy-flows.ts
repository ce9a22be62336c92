import type { OperationPayloads } from '../../bus/operations.js'
import { linear, type Flow } from '../engine/flow.js'
import { deleteL7Policy } from '../tasks/delete-tasks.js'
import { l7policyToErrorOnRevert } from '../tasks/lifecycle-tasks.js'
import { noopDataPlaneTask } from '../tasks/noop-tasks.js'
import { markL7PolicyActive, markParentsActive } from '../tasks/status-tasks.js'

/** Noop L7 policy create: policy ACTIVE and ONLINE (OFFLINE if disabled); listener, LB ACTIVE. */
export const l7policyCreateFlow = (): Flow<OperationPayloads['l7policy_create']> =>
  linear('l7policy-create', [
    l7policyToErrorOnRevert,
    noopDataPlaneTask('update-listeners'),
    markL7PolicyActive,
    markParentsActive(l7policyToErrorOnRevert),
  ])

/** Noop L7 policy update: as create. */
export const l7policyUpdateFlow = (): Flow<OperationPayloads['l7policy_update']> =>
  linear('l7policy-update', [
    l7policyToErrorOnRevert,
    noopDataPlaneTask('update-listeners'),
    markL7PolicyActive,
    markParentsActive(l7policyToErrorOnRevert),
  ])

/** Noop L7 policy delete: policy, rules and tags removed; listener, LB ACTIVE. */
export const l7policyDeleteFlow = (): Flow<OperationPayloads['l7policy_delete']> =>
  linear('l7policy-delete', [
    l7policyToErrorOnRevert,
    noopDataPlaneTask('update-listeners'),
    deleteL7Policy,
    markParentsActive(l7policyToErrorOnRevert),
  ])
