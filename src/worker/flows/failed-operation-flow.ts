import type { Operation } from '../../bus/operations.js'
import { linear, type Flow } from '../engine/flow.js'
import type { Task } from '../engine/task.js'
import { amphoraConfigLifecycle, amphoraDeleteToErrorOnRevert, amphoraFailoverToErrorOnRevert } from '../tasks/amphora-lifecycle-tasks.js'
import {
  healthMonitorToErrorOnRevert, l7policyToErrorOnRevert, l7ruleToErrorOnRevert, listenerToErrorOnRevert,
  loadBalancerToErrorOnRevert, memberBatchToErrorOnRevert, memberToErrorOnRevert, poolToErrorOnRevert,
} from '../tasks/lifecycle-tasks.js'
import { failTask } from '../tasks/fail-task.js'

const lifecycleOf: { readonly [O in Operation]: Task<any, unknown> } = {
  loadbalancer_create: loadBalancerToErrorOnRevert,
  loadbalancer_update: loadBalancerToErrorOnRevert,
  loadbalancer_delete: loadBalancerToErrorOnRevert,
  loadbalancer_failover: loadBalancerToErrorOnRevert,
  listener_create: listenerToErrorOnRevert,
  listener_update: listenerToErrorOnRevert,
  listener_delete: listenerToErrorOnRevert,
  pool_create: poolToErrorOnRevert,
  pool_update: poolToErrorOnRevert,
  pool_delete: poolToErrorOnRevert,
  member_create: memberToErrorOnRevert,
  member_update: memberToErrorOnRevert,
  member_delete: memberToErrorOnRevert,
  member_batch_update: memberBatchToErrorOnRevert,
  health_monitor_create: healthMonitorToErrorOnRevert,
  health_monitor_update: healthMonitorToErrorOnRevert,
  health_monitor_delete: healthMonitorToErrorOnRevert,
  l7policy_create: l7policyToErrorOnRevert,
  l7policy_update: l7policyToErrorOnRevert,
  l7policy_delete: l7policyToErrorOnRevert,
  l7rule_create: l7ruleToErrorOnRevert,
  l7rule_update: l7ruleToErrorOnRevert,
  l7rule_delete: l7ruleToErrorOnRevert,
  failover_amphora: amphoraFailoverToErrorOnRevert,
  delete_amphora: amphoraDeleteToErrorOnRevert,
  update_amphora_agent_config: amphoraConfigLifecycle,
}

/**
 * The flow of an operation that cannot run (e.g. its provider is not
 * enabled): it fails at once with `message` (terminal) and its revert leaves
 * the object ERROR and its parents ACTIVE, so nothing stays PENDING_*.
 */
export const failedOperationFlow = (operation: Operation, message: string): Flow =>
  linear(`${operation}-failed`, [lifecycleOf[operation], failTask(message)])
