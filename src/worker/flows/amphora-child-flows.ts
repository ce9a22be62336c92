import type { AmphoraFlowDeps } from '../../drivers/amphora-flow-deps.js'
import type { OperationPayloads as P } from '../../bus/operations.js'
import { linear, type Flow } from '../engine/flow.js'
import type { Task } from '../engine/task.js'
import { setOperatingStatuses, updateAmphoraConfigs } from '../tasks/config-tasks.js'
import {
  deleteBatchMembers, deleteHealthMonitor, deleteL7Policy, deleteL7Rule, deleteListener, deleteMember, deletePool,
} from '../tasks/delete-tasks.js'
import {
  healthMonitorToErrorOnRevert, l7policyToErrorOnRevert, l7ruleToErrorOnRevert, listenerToErrorOnRevert,
  memberBatchToErrorOnRevert, memberToErrorOnRevert, poolToErrorOnRevert,
} from '../tasks/lifecycle-tasks.js'
import type { Parents } from '../../db/repositories/worker-parents-repository.js'
import {
  markBatchMembersActive, markHealthMonitorActive, markL7PolicyActive, markL7RuleActive, markListenerActive,
  markMemberActive, markParentsActive, markPoolActive,
} from '../tasks/status-tasks.js'

/*
 * Flows of the amphora provider for every object below a load balancer
 * (Octavia's generic child flows): the lifecycle task (object ERROR and
 * parents ACTIVE on revert), ListenersUpdate (the whole load balancer
 * rendered from the database and applied to its amphorae), then the same
 * database tasks as the noop provider. Creates and updates also set the
 * operating statuses the data plane now shows.
 */

/** Create or update: push, operating statuses, object ACTIVE, parents ACTIVE. */
function upsertFlow<X>(name: string, d: AmphoraFlowDeps, lifecycle: Task<X, Parents>, markActive: Task<X, null>): Flow<X> {
  return linear(name, [lifecycle, updateAmphoraConfigs(d), setOperatingStatuses(d), markActive, markParentsActive(lifecycle)])
}

/** Delete: push without the object (PENDING_DELETE is not rendered), rows removed, parents ACTIVE. */
function deleteFlow<X>(name: string, d: AmphoraFlowDeps, lifecycle: Task<X, Parents>, remove: Task<X, null>): Flow<X> {
  return linear(name, [lifecycle, updateAmphoraConfigs(d), remove, markParentsActive(lifecycle)])
}

export const amphoraListenerCreateFlow = (d: AmphoraFlowDeps): Flow<P['listener_create']> =>
  upsertFlow('amphora-listener-create', d, listenerToErrorOnRevert, markListenerActive)
export const amphoraListenerUpdateFlow = (d: AmphoraFlowDeps): Flow<P['listener_update']> =>
  upsertFlow('amphora-listener-update', d, listenerToErrorOnRevert, markListenerActive)
export const amphoraListenerDeleteFlow = (d: AmphoraFlowDeps): Flow<P['listener_delete']> =>
  deleteFlow('amphora-listener-delete', d, listenerToErrorOnRevert, deleteListener)

export const amphoraPoolCreateFlow = (d: AmphoraFlowDeps): Flow<P['pool_create']> =>
  upsertFlow('amphora-pool-create', d, poolToErrorOnRevert, markPoolActive)
export const amphoraPoolUpdateFlow = (d: AmphoraFlowDeps): Flow<P['pool_update']> =>
  upsertFlow('amphora-pool-update', d, poolToErrorOnRevert, markPoolActive)
export const amphoraPoolDeleteFlow = (d: AmphoraFlowDeps): Flow<P['pool_delete']> =>
  deleteFlow('amphora-pool-delete', d, poolToErrorOnRevert, deletePool)

export const amphoraMemberCreateFlow = (d: AmphoraFlowDeps): Flow<P['member_create']> =>
  upsertFlow('amphora-member-create', d, memberToErrorOnRevert, markMemberActive)
export const amphoraMemberUpdateFlow = (d: AmphoraFlowDeps): Flow<P['member_update']> =>
  upsertFlow('amphora-member-update', d, memberToErrorOnRevert, markMemberActive)
export const amphoraMemberDeleteFlow = (d: AmphoraFlowDeps): Flow<P['member_delete']> =>
  deleteFlow('amphora-member-delete', d, memberToErrorOnRevert, deleteMember)

/** Member batch: one push for the whole batch, removed members deleted, the others ACTIVE. */
export const amphoraMemberBatchUpdateFlow = (d: AmphoraFlowDeps): Flow<P['member_batch_update']> =>
  linear('amphora-member-batch-update', [
    memberBatchToErrorOnRevert,
    updateAmphoraConfigs(d),
    deleteBatchMembers,
    setOperatingStatuses(d),
    markBatchMembersActive,
    markParentsActive(memberBatchToErrorOnRevert),
  ])

export const amphoraHealthMonitorCreateFlow = (d: AmphoraFlowDeps): Flow<P['health_monitor_create']> =>
  upsertFlow('amphora-health-monitor-create', d, healthMonitorToErrorOnRevert, markHealthMonitorActive)
export const amphoraHealthMonitorUpdateFlow = (d: AmphoraFlowDeps): Flow<P['health_monitor_update']> =>
  upsertFlow('amphora-health-monitor-update', d, healthMonitorToErrorOnRevert, markHealthMonitorActive)
export const amphoraHealthMonitorDeleteFlow = (d: AmphoraFlowDeps): Flow<P['health_monitor_delete']> =>
  deleteFlow('amphora-health-monitor-delete', d, healthMonitorToErrorOnRevert, deleteHealthMonitor)

export const amphoraL7PolicyCreateFlow = (d: AmphoraFlowDeps): Flow<P['l7policy_create']> =>
  upsertFlow('amphora-l7policy-create', d, l7policyToErrorOnRevert, markL7PolicyActive)
export const amphoraL7PolicyUpdateFlow = (d: AmphoraFlowDeps): Flow<P['l7policy_update']> =>
  upsertFlow('amphora-l7policy-update', d, l7policyToErrorOnRevert, markL7PolicyActive)
export const amphoraL7PolicyDeleteFlow = (d: AmphoraFlowDeps): Flow<P['l7policy_delete']> =>
  deleteFlow('amphora-l7policy-delete', d, l7policyToErrorOnRevert, deleteL7Policy)

export const amphoraL7RuleCreateFlow = (d: AmphoraFlowDeps): Flow<P['l7rule_create']> =>
  upsertFlow('amphora-l7rule-create', d, l7ruleToErrorOnRevert, markL7RuleActive)
export const amphoraL7RuleUpdateFlow = (d: AmphoraFlowDeps): Flow<P['l7rule_update']> =>
  upsertFlow('amphora-l7rule-update', d, l7ruleToErrorOnRevert, markL7RuleActive)
export const amphoraL7RuleDeleteFlow = (d: AmphoraFlowDeps): Flow<P['l7rule_delete']> =>
  deleteFlow('amphora-l7rule-delete', d, l7ruleToErrorOnRevert, deleteL7Rule)
