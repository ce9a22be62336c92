import type { OperationPayloads } from '../../bus/operations.js'
import { linear, type Flow } from '../engine/flow.js'
import { deleteLoadBalancerObjects, markLoadBalancerDeleted } from '../tasks/delete-tasks.js'
import { loadBalancerToErrorOnRevert } from '../tasks/lifecycle-tasks.js'
import { releaseLoadBalancerVip } from '../tasks/network-tasks.js'
import { createNoopAmphorae, failoverNoopAmphorae, markNoopAmphoraeDeleted } from '../tasks/noop-amphora-tasks.js'
import { noopDataPlaneTask } from '../tasks/noop-tasks.js'
import { markLoadBalancerActive, markLoadBalancerChildrenActive } from '../tasks/status-tasks.js'

/** Noop load balancer create: amphora records for the topology; the load balancer and any graph created with it ACTIVE. */
export const loadBalancerCreateFlow = (): Flow<OperationPayloads['loadbalancer_create']> =>
  linear('loadbalancer-create', [
    loadBalancerToErrorOnRevert,
    createNoopAmphorae,
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
 * amphorae and the load balancer DELETED.
 */
export const loadBalancerDeleteFlow = (): Flow<OperationPayloads['loadbalancer_delete']> =>
  linear('loadbalancer-delete', [
    loadBalancerToErrorOnRevert,
    noopDataPlaneTask('delete-amphorae-data-plane'),
    deleteLoadBalancerObjects,
    releaseLoadBalancerVip,
    markNoopAmphoraeDeleted,
    markLoadBalancerDeleted,
  ])

/** Noop load balancer failover: every amphora replaced by a new one in the same role, the load balancer ACTIVE. */
export const loadBalancerFailoverFlow = (): Flow<OperationPayloads['loadbalancer_failover']> =>
  linear('loadbalancer-failover', [
    loadBalancerToErrorOnRevert,
    failoverNoopAmphorae,
    markLoadBalancerActive,
  ])
