import type { AmphoraFlowDeps } from '../../drivers/provider/amphora/amphora-flow-deps.js'
import type { OperationPayloads } from '../../drivers/provider/operations.js'
import { linear, type Flow } from '../engine/flow.js'
import {
  deleteAmphoraResources, reapplyAfterRebuild, rebuildAmphora, refreshAmphoraRegistration,
} from '../tasks/amphora-admin-tasks.js'
import {
  amphoraConfigLifecycle, amphoraDeleteToErrorOnRevert, amphoraFailoverToErrorOnRevert, markAmphoraLoadBalancerActive,
} from '../tasks/amphora-lifecycle-tasks.js'

/**
 * The admin amphora operations of the amphora provider (the lifecycle tasks
 * are the noop provider's: same statuses on failure).
 */

/** Amphora failover: rebuilt in place, its load balancer's configuration applied again, the load balancer ACTIVE. */
export const amphoraProviderFailoverAmphoraFlow = (d: AmphoraFlowDeps): Flow<OperationPayloads['failover_amphora']> =>
  linear('amphora-provider-failover-amphora', [
    amphoraFailoverToErrorOnRevert,
    rebuildAmphora(d),
    reapplyAfterRebuild(d),
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
