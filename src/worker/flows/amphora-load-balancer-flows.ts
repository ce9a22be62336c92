import type { AmphoraFlowDeps } from '../../drivers/provider/amphora/amphora-flow-deps.js'
import type { OperationPayloads } from '../../drivers/provider/operations.js'
import { linear, type Flow } from '../engine/flow.js'
import { registerAmphora, removeLoadBalancerFromAmphorae, reregisterAmphorae, unregisterAmphorae } from '../tasks/agent-tasks.js'
import { plugVip, replugVips, unplugVips } from '../tasks/amphora-network-tasks.js'
import {
  allocateAmphoraPort, createAmphoraRecord, markAmphoraAllocated, markAmphoraeAllocated, markAmphoraeDeleted,
} from '../tasks/amphora-tasks.js'
import { computeBuild, computeDeleteAll, computeRebuildAll } from '../tasks/compute-tasks.js'
import { setOperatingStatuses, updateAmphoraConfigs } from '../tasks/config-tasks.js'
import { deleteLoadBalancerObjects, markLoadBalancerDeleted } from '../tasks/delete-tasks.js'
import { loadBalancerToErrorOnRevert } from '../tasks/lifecycle-tasks.js'
import { releaseLoadBalancerVip } from '../tasks/network-tasks.js'
import { markLoadBalancerActive, markLoadBalancerChildrenActive } from '../tasks/status-tasks.js'

/**
 * One amphora for a SINGLE load balancer (Octavia's get_amphora_for_lb_subflow
 * + VIP plug): row PENDING_CREATE, its own port, instance BOOTING, registered
 * with the agent, VIP plugged, ALLOCATED. Reverts in reverse: unplug,
 * unregister (stops every process), instance deleted, port released, row DELETED.
 */
export const amphoraForLoadBalancerFlow = (d: AmphoraFlowDeps): Flow<{ loadBalancerId: string }> =>
  linear('amphora-for-load-balancer', [
    createAmphoraRecord,
    allocateAmphoraPort,
    computeBuild(d),
    registerAmphora(d),
    plugVip(d),
    markAmphoraAllocated,
  ])

/** Amphora load balancer create: the amphora, the whole configuration (graph included) started, everything ACTIVE. */
export const amphoraLoadBalancerCreateFlow = (d: AmphoraFlowDeps): Flow<OperationPayloads['loadbalancer_create']> =>
  linear('amphora-loadbalancer-create', [
    loadBalancerToErrorOnRevert,
    amphoraForLoadBalancerFlow(d),
    updateAmphoraConfigs(d),
    setOperatingStatuses,
    markLoadBalancerChildrenActive,
    markLoadBalancerActive,
  ])

/** Amphora load balancer update (admin state, name...): configuration re-applied, load balancer ACTIVE. */
export const amphoraLoadBalancerUpdateFlow = (d: AmphoraFlowDeps): Flow<OperationPayloads['loadbalancer_update']> =>
  linear('amphora-loadbalancer-update', [
    loadBalancerToErrorOnRevert,
    updateAmphoraConfigs(d),
    setOperatingStatuses,
    markLoadBalancerActive,
  ])

/**
 * Amphora load balancer delete (cascade): HAProxy stopped and removed,
 * amphorae unregistered, VIP unplugged, instances deleted, amphorae DELETED
 * (their ports released), children deleted, VIP released, load balancer
 * DELETED. Nothing of it stays on the host.
 */
export const amphoraLoadBalancerDeleteFlow = (d: AmphoraFlowDeps): Flow<OperationPayloads['loadbalancer_delete']> =>
  linear('amphora-loadbalancer-delete', [
    loadBalancerToErrorOnRevert,
    removeLoadBalancerFromAmphorae(d),
    unregisterAmphorae(d),
    unplugVips(d),
    computeDeleteAll(d),
    markAmphoraeDeleted(d),
    deleteLoadBalancerObjects,
    releaseLoadBalancerVip,
    markLoadBalancerDeleted,
  ])

/**
 * Amphora load balancer failover (simplified for local amphorae): every
 * amphora rebuilt in place (instance, registration, VIP plug converge),
 * ALLOCATED, configuration re-applied, load balancer ACTIVE.
 */
export const amphoraLoadBalancerFailoverFlow = (d: AmphoraFlowDeps): Flow<OperationPayloads['loadbalancer_failover']> =>
  linear('amphora-loadbalancer-failover', [
    loadBalancerToErrorOnRevert,
    computeRebuildAll(d),
    reregisterAmphorae(d),
    replugVips(d),
    markAmphoraeAllocated,
    updateAmphoraConfigs(d),
    setOperatingStatuses,
    markLoadBalancerActive,
  ])
