import { delayedTask } from '../../engine/delayed-task.js'
import { mapTasks, type Flow } from '../../engine/flow.js'
import { amphoraConfigFlow, amphoraDeleteFlow, amphoraFailoverFlow } from '../../flows/noop-amphora-flows.js'
import { healthMonitorCreateFlow, healthMonitorDeleteFlow, healthMonitorUpdateFlow } from '../../flows/health-monitor-flows.js'
import { l7policyCreateFlow, l7policyDeleteFlow, l7policyUpdateFlow } from '../../flows/l7policy-flows.js'
import { l7ruleCreateFlow, l7ruleDeleteFlow, l7ruleUpdateFlow } from '../../flows/l7rule-flows.js'
import { listenerCreateFlow, listenerDeleteFlow, listenerUpdateFlow } from '../../flows/listener-flows.js'
import {
  loadBalancerCreateFlow, loadBalancerDeleteFlow, loadBalancerFailoverFlow, loadBalancerUpdateFlow,
} from '../../flows/load-balancer-flows.js'
import { memberBatchUpdateFlow, memberCreateFlow, memberDeleteFlow, memberUpdateFlow } from '../../flows/member-flows.js'
import { poolCreateFlow, poolDeleteFlow, poolUpdateFlow } from '../../flows/pool-flows.js'
import type { OperationFlows, ProviderDriver } from '../provider-driver.js'

/** Options of the noop provider ([noop_provider]). */
export interface NoopProviderOptions {
  /** Each task of each flow first waits this long (simulated data plane). */
  readonly task_delay_ms: number
}

/** The noop provider's operations table; each task first waits `delay` ms when it is positive. */
function noopOperations(delay: number): OperationFlows {
  const d = <P>(build: () => Flow<P>) => (): Flow<P> => (delay > 0 ? mapTasks(build(), t => delayedTask(t, delay)) : build())
  return {
    loadbalancer_create: d(loadBalancerCreateFlow),
    loadbalancer_update: d(loadBalancerUpdateFlow),
    loadbalancer_delete: d(loadBalancerDeleteFlow),
    loadbalancer_failover: d(loadBalancerFailoverFlow),
    listener_create: d(listenerCreateFlow),
    listener_update: d(listenerUpdateFlow),
    listener_delete: d(listenerDeleteFlow),
    pool_create: d(poolCreateFlow),
    pool_update: d(poolUpdateFlow),
    pool_delete: d(poolDeleteFlow),
    member_create: d(memberCreateFlow),
    member_update: d(memberUpdateFlow),
    member_delete: d(memberDeleteFlow),
    member_batch_update: d(memberBatchUpdateFlow),
    health_monitor_create: d(healthMonitorCreateFlow),
    health_monitor_update: d(healthMonitorUpdateFlow),
    health_monitor_delete: d(healthMonitorDeleteFlow),
    l7policy_create: d(l7policyCreateFlow),
    l7policy_update: d(l7policyUpdateFlow),
    l7policy_delete: d(l7policyDeleteFlow),
    l7rule_create: d(l7ruleCreateFlow),
    l7rule_update: d(l7ruleUpdateFlow),
    l7rule_delete: d(l7ruleDeleteFlow),
    failover_amphora: d(amphoraFailoverFlow),
    delete_amphora: d(amphoraDeleteFlow),
    update_amphora_agent_config: d(amphoraConfigFlow),
  }
}

/**
 * The `noop_driver` provider: flows that do to the database what Octavia's
 * flows do, without a data plane (api.md §0.4), including the amphora rows
 * Octavia's noop amphora drivers would leave (one STANDALONE, or MASTER and
 * BACKUP for ACTIVE_STANDBY) for the admin amphora API. Accepts any flavor
 * and availability-zone metadata and every option, as Octavia's noop driver does.
 */
export function createNoopProviderDriver(options: NoopProviderOptions): ProviderDriver {
  return Object.freeze({
    name: 'noop_driver',
    operations: noopOperations(options.task_delay_ms),
    flavorMetadata: { amp_image_tag: 'The glance image tag to use for this load balancer.' },
    availabilityZoneMetadata: {
      compute_zone: 'The compute availability zone to use for this loadbalancer.',
      volume_zone: 'The volume availability zone to use for this loadbalancer.',
    },
    validateFlavor: () => {},
    validateAvailabilityZone: () => {},
    checkListener: () => {},
    checkPool: () => {},
    checkTopology: () => {},
  })
}
