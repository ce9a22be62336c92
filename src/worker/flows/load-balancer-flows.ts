import type { OperationPayloads } from '../../drivers/provider/operations.js'
import { linear, type Flow } from '../engine/flow.js'
import {
  deleteLoadBalancerAmphorae, deleteLoadBalancerObjects, markLoadBalancerDeleted,
} from '../tasks/delete-tasks.js'
import { loadBalancerToErrorOnRevert } from '../tasks/lifecycle-tasks.js'
import { releaseLoadBalancerVip } from '../tasks/network-tasks.js'
import { noopDataPlaneTask } from '../tasks/noop-tasks.js'
import { markLoadBalancerActive, markLoadBalancerChildrenActive } from '../tasks/status-tasks.js'

/** Noop load balancer create: the load balancer and any graph created with it ACTIVE. */
export const loadBalancerCreateFlow = (): Flow<OperationPayloads['loadbalancer_create']> =>
  linear('loadbalancer-create', [
    loadBalancerToErrorOnRevert,
    noopDataPlaneTask('create-amphorae'),
    noopDataPlaneTask('configure-load-balancer'),
    markLoadBalancerChildrenActive,
    markLoadBalancerActive,
  ])

/** Noop load balancer update: the load balancer ACTIVE. */
export const loadBalancerUpdateFlow = (): Flow<OperationPayloads['loadbalancer_update']> =>
  linear('loadbalancer-update', [
    loadBalancerToErrorOnRevert,
    noopDataPlaneTask('update-load-balancer'),
    markLoadBalancerActive,
  ])

/**
 * Noop load balancer delete: everything below it deleted (the API refuses a
 * non-cascade delete of a load balancer with children), VIP released,
 * amphorae removed, the load balancer DELETED.
 */
export const loadBalancerDeleteFlow = (): Flow<OperationPayloads['loadbalancer_delete']> =>
  linear('loadbalancer-delete', [
    loadBalancerToErrorOnRevert,
    noopDataPlaneTask('delete-amphorae-data-plane'),
    deleteLoadBalancerObjects,
    releaseLoadBalancerVip,
    deleteLoadBalancerAmphorae,
    markLoadBalancerDeleted,
  ])

/** Noop load balancer failover: the load balancer ACTIVE. */
export const loadBalancerFailoverFlow = (): Flow<OperationPayloads['loadbalancer_failover']> =>
  linear('loadbalancer-failover', [
    loadBalancerToErrorOnRevert,
    noopDataPlaneTask('failover-amphorae'),
    markLoadBalancerActive,
  ])
