import type { OperationPayloads } from '../../bus/operations.js'
import { linear, type Flow } from '../engine/flow.js'
import { deleteBatchMembers, deleteMember } from '../tasks/delete-tasks.js'
import { memberBatchToErrorOnRevert, memberToErrorOnRevert } from '../tasks/lifecycle-tasks.js'
import { noopDataPlaneTask } from '../tasks/noop-tasks.js'
import { markBatchMembersActive, markMemberActive, markParentsActive } from '../tasks/status-tasks.js'

/** Noop member create: member ACTIVE; pool, listeners, load balancer ACTIVE. */
export const memberCreateFlow = (): Flow<OperationPayloads['member_create']> =>
  linear('member-create', [
    memberToErrorOnRevert,
    noopDataPlaneTask('update-members'),
    markMemberActive,
    markParentsActive(memberToErrorOnRevert),
  ])

/** Noop member update: as create. */
export const memberUpdateFlow = (): Flow<OperationPayloads['member_update']> =>
  linear('member-update', [
    memberToErrorOnRevert,
    noopDataPlaneTask('update-members'),
    markMemberActive,
    markParentsActive(memberToErrorOnRevert),
  ])

/** Noop member delete: member and tags removed; pool, listeners, load balancer ACTIVE. */
export const memberDeleteFlow = (): Flow<OperationPayloads['member_delete']> =>
  linear('member-delete', [
    memberToErrorOnRevert,
    noopDataPlaneTask('update-members'),
    deleteMember,
    markParentsActive(memberToErrorOnRevert),
  ])

/** Noop member batch: removed members deleted, created and updated ones ACTIVE; pool, listeners, LB ACTIVE. */
export const memberBatchUpdateFlow = (): Flow<OperationPayloads['member_batch_update']> =>
  linear('member-batch-update', [
    memberBatchToErrorOnRevert,
    noopDataPlaneTask('update-members'),
    deleteBatchMembers,
    markBatchMembersActive,
    markParentsActive(memberBatchToErrorOnRevert),
  ])
