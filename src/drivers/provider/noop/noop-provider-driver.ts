import { delayedTask } from '../../../worker/engine/delayed-task.js'
import { mapTasks, type Flow } from '../../../worker/engine/flow.js'
import { amphoraConfigFlow, amphoraDeleteFlow, amphoraFailoverFlow } from '../../../worker/flows/noop-amphora-flows.js'
import { healthMonitorCreateFlow, healthMonitorDeleteFlow, healthMonitorUpdateFlow } from '../../../worker/flows/health-monitor-flows.js'
import { l7policyCreateFlow, l7policyDeleteFlow, l7policyUpdateFlow } from '../../../worker/flows/l7policy-flows.js'
import { l7ruleCreateFlow, l7ruleDeleteFlow, l7ruleUpdateFlow } from '../../../worker/flows/l7rule-flows.js'
import { listenerCreateFlow, listenerDeleteFlow, listenerUpdateFlow } from '../../../worker/flows/listener-flows.js'
import {
  loadBalancerCreateFlow, loadBalancerDeleteFlow, loadBalancerFailoverFlow, loadBalancerUpdateFlow,
} from '../../../worker/flows/load-balancer-flows.js'
import { memberBatchUpdateFlow, memberCreateFlow, memberDeleteFlow, memberUpdateFlow } from '../../../worker/flows/member-flows.js'
import { poolCreateFlow, poolDeleteFlow, poolUpdateFlow } from '../../../worker/flows/pool-flows.js'
import type { ProviderDriver } from '../provider-driver.js'

/** Options of the noop provider ([noop_provider]). */
export interface NoopProviderOptions {
  /** Each task of each flow first waits this long (simulated data plane). */
  readonly task_delay_ms: number
}

/**
 * The `noop_driver` provider: flows that do to the database what Octavia's
 * flows do, without a data plane (api.md §0.4), including the amphora rows
 * Octavia's noop amphora drivers would leave (one STANDALONE, or MASTER and
 * BACKUP for ACTIVE_STANDBY) for the admin amphora API. Accepts any flavor
 * and availability-zone metadata, as Octavia's noop driver does.
 */
export function createNoopProviderDriver(options: NoopProviderOptions): ProviderDriver {
  const delay = options.task_delay_ms
  const d = <P>(build: () => Flow<P>) => (): Flow<P> => (delay > 0 ? mapTasks(build(), t => delayedTask(t, delay)) : build())
  return Object.freeze({
    name: 'noop_driver',
    loadbalancerCreate: d(loadBalancerCreateFlow),
    loadbalancerUpdate: d(loadBalancerUpdateFlow),
    loadbalancerDelete: d(loadBalancerDeleteFlow),
    loadbalancerFailover: d(loadBalancerFailoverFlow),
    listenerCreate: d(listenerCreateFlow),
    listenerUpdate: d(listenerUpdateFlow),
    listenerDelete: d(listenerDeleteFlow),
    poolCreate: d(poolCreateFlow),
    poolUpdate: d(poolUpdateFlow),
    poolDelete: d(poolDeleteFlow),
    memberCreate: d(memberCreateFlow),
    memberUpdate: d(memberUpdateFlow),
    memberDelete: d(memberDeleteFlow),
    memberBatchUpdate: d(memberBatchUpdateFlow),
    healthMonitorCreate: d(healthMonitorCreateFlow),
    healthMonitorUpdate: d(healthMonitorUpdateFlow),
    healthMonitorDelete: d(healthMonitorDeleteFlow),
    l7policyCreate: d(l7policyCreateFlow),
    l7policyUpdate: d(l7policyUpdateFlow),
    l7policyDelete: d(l7policyDeleteFlow),
    l7ruleCreate: d(l7ruleCreateFlow),
    l7ruleUpdate: d(l7ruleUpdateFlow),
    l7ruleDelete: d(l7ruleDeleteFlow),
    failoverAmphora: d(amphoraFailoverFlow),
    deleteAmphora: d(amphoraDeleteFlow),
    updateAmphoraAgentConfig: d(amphoraConfigFlow),
    getSupportedFlavorMetadata: () => ({ amp_image_tag: 'The glance image tag to use for this load balancer.' }),
    validateFlavor: () => {},
    getSupportedAvailabilityZoneMetadata: () => ({
      compute_zone: 'The compute availability zone to use for this loadbalancer.',
      volume_zone: 'The volume availability zone to use for this loadbalancer.',
    }),
    validateAvailabilityZone: () => {},
  })
}
