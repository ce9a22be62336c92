import type { OperationPayloads } from '../../bus/operations.js'
import { linear, type Flow } from '../engine/flow.js'
import {
  amphoraConfigLifecycle, amphoraDeleteToErrorOnRevert, amphoraFailoverToErrorOnRevert, markAmphoraLoadBalancerActive,
} from '../tasks/amphora-lifecycle-tasks.js'
import { deleteNoopAmphora, failoverNoopAmphora } from '../tasks/noop-amphora-tasks.js'
import { noopDataPlaneTask } from '../tasks/noop-tasks.js'

/** Noop amphora failover: a new amphora in the old one's place, the load balancer ACTIVE. */
export const amphoraFailoverFlow = (): Flow<OperationPayloads['failover_amphora']> =>
  linear('amphora-failover', [
    amphoraFailoverToErrorOnRevert,
    failoverNoopAmphora,
    markAmphoraLoadBalancerActive,
  ])

/** Noop amphora delete: the amphora DELETED. */
export const amphoraDeleteFlow = (): Flow<OperationPayloads['delete_amphora']> =>
  linear('amphora-delete', [
    amphoraDeleteToErrorOnRevert,
    noopDataPlaneTask('delete-amphora-compute'),
    deleteNoopAmphora,
  ])

/** Noop amphora agent config update: nothing to push. */
export const amphoraConfigFlow = (): Flow<OperationPayloads['update_amphora_agent_config']> =>
  linear('amphora-agent-config', [
    amphoraConfigLifecycle,
    noopDataPlaneTask('update-amphora-agent-config'),
  ])
