import type { AmphoraFlowDeps } from '../../drivers/amphora-flow-deps.js'
import type { OperationPayloads } from '../../bus/operations.js'
import { linear, type Flow } from '../engine/flow.js'
import { removeLoadBalancerFromAmphorae, unregisterAmphorae } from '../tasks/agent-tasks.js'
import { unplugVips } from '../tasks/amphora-network-tasks.js'
import { markAmphoraeDeleted } from '../tasks/amphora-tasks.js'
import { computeDeleteAll } from '../tasks/compute-tasks.js'
import { planLoadBalancerFailover } from '../tasks/failover-tasks.js'
import { configureVrrp } from '../tasks/vrrp-tasks.js'
import { amphoraForSlotFlow, replaceAmphoraFlow } from './amphora-build-flows.js'
import { setOperatingStatuses, updateAmphoraConfigs } from '../tasks/config-tasks.js'
import { deleteLoadBalancerObjects, markLoadBalancerDeleted } from '../tasks/delete-tasks.js'
import { loadBalancerToErrorOnRevert } from '../tasks/lifecycle-tasks.js'
import { releaseLoadBalancerVip } from '../tasks/network-tasks.js'
import { markLoadBalancerActive, markLoadBalancerChildrenActive } from '../tasks/status-tasks.js'

/**
 * Amphora load balancer create: its amphorae (SINGLE: one STANDALONE;
 * ACTIVE_STANDBY: a MASTER and a BACKUP), the whole configuration (graph
 * included) started, keepalived for ACTIVE_STANDBY, everything ACTIVE.
 */
export const amphoraLoadBalancerCreateFlow = (d: AmphoraFlowDeps): Flow<OperationPayloads['loadbalancer_create']> =>
  linear('amphora-loadbalancer-create', [
    loadBalancerToErrorOnRevert,
    amphoraForSlotFlow(d, 0, 'now'),
    amphoraForSlotFlow(d, 1, 'now'),
    updateAmphoraConfigs(d),
    configureVrrp(d),
    setOperatingStatuses(d),
    markLoadBalancerChildrenActive,
    markLoadBalancerActive,
  ])

/** Amphora load balancer update (admin state, name...): configuration re-applied, load balancer ACTIVE. */
export const amphoraLoadBalancerUpdateFlow = (d: AmphoraFlowDeps): Flow<OperationPayloads['loadbalancer_update']> =>
  linear('amphora-loadbalancer-update', [
    loadBalancerToErrorOnRevert,
    updateAmphoraConfigs(d),
    setOperatingStatuses(d),
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
 * Amphora load balancer failover: every amphora replaced by a new one, one
 * after the other (ACTIVE_STANDBY: the one not holding the VIP first; roles
 * missing after an earlier failure built anew), load balancer ACTIVE.
 */
export const amphoraLoadBalancerFailoverFlow = (d: AmphoraFlowDeps): Flow<OperationPayloads['loadbalancer_failover']> =>
  linear('amphora-loadbalancer-failover', [
    loadBalancerToErrorOnRevert,
    planLoadBalancerFailover(d),
    replaceAmphoraFlow(d, 0),
    replaceAmphoraFlow(d, 1),
    setOperatingStatuses(d),
    markLoadBalancerActive,
  ])
