import type { AmphoraFlowDeps } from '../../drivers/amphora-flow-deps.js'
import type { OperationPayloads } from '../../bus/operations.js'
import { linear, type Flow } from '../engine/flow.js'
import { deleteAmphoraResources, refreshAmphoraRegistration } from '../tasks/amphora-admin-tasks.js'
import { planAmphoraFailover } from '../tasks/failover-tasks.js'
import { replaceAmphoraFlow } from './amphora-build-flows.js'
import {
  amphoraConfigLifecycle, amphoraDeleteToErrorOnRevert, amphoraFailoverToErrorOnRevert, markAmphoraLoadBalancerActive,
} from '../tasks/amphora-lifecycle-tasks.js'

/**
 * The admin amphora operations of the amphora provider (the lifecycle tasks
 * are the noop provider's: same statuses on failure).
 */

/**
 * Amphora failover (the health manager's and `PUT …/amphorae/{id}/failover`):
 * the amphora replaced by a new one with its role (replaceAmphoraFlow), the
 * load balancer ACTIVE. A spare amphora is only removed. On failure the
 * amphora and its load balancer go ERROR.
 */
export const amphoraProviderFailoverAmphoraFlow = (d: AmphoraFlowDeps): Flow<OperationPayloads['failover_amphora']> =>
  linear('amphora-provider-failover-amphora', [
    amphoraFailoverToErrorOnRevert,
    planAmphoraFailover(d),
    replaceAmphoraFlow(d, 0),
    markAmphoraLoadBalancerActive,
  ])

/** Amphora delete: nothing of it left on the host, DELETED. */
export const amphoraProviderDeleteAmphoraFlow = (d: AmphoraFlowDeps): Flow<OperationPayloads['delete_amphora']> =>
  linear('amphora-provider-delete-amphora', [
    amphoraDeleteToErrorOnRevert,
    deleteAmphoraResources(d),
  ])

/** Agent configuration update: the registration sent again (the agent's own configuration is per host). */
export const amphoraProviderAgentConfigFlow = (d: AmphoraFlowDeps): Flow<OperationPayloads['update_amphora_agent_config']> =>
  linear('amphora-provider-agent-config', [
    amphoraConfigLifecycle,
    refreshAmphoraRegistration(d),
  ])
