import { TerminalError } from '../../common/errors.js'
import type { Flow } from '../../worker/engine/flow.js'
import type { Operation, OperationPayloads } from './operations.js'
import type { ProviderDriver } from './provider-driver.js'

const dispatch: { readonly [O in Operation]: (d: ProviderDriver, p: OperationPayloads[O]) => Flow<OperationPayloads[O]> } = {
  loadbalancer_create: (d, p) => d.loadbalancerCreate(p),
  loadbalancer_update: (d, p) => d.loadbalancerUpdate(p),
  loadbalancer_delete: (d, p) => d.loadbalancerDelete(p),
  loadbalancer_failover: (d, p) => d.loadbalancerFailover(p),
  listener_create: (d, p) => d.listenerCreate(p),
  listener_update: (d, p) => d.listenerUpdate(p),
  listener_delete: (d, p) => d.listenerDelete(p),
  pool_create: (d, p) => d.poolCreate(p),
  pool_update: (d, p) => d.poolUpdate(p),
  pool_delete: (d, p) => d.poolDelete(p),
  member_create: (d, p) => d.memberCreate(p),
  member_update: (d, p) => d.memberUpdate(p),
  member_delete: (d, p) => d.memberDelete(p),
  member_batch_update: (d, p) => d.memberBatchUpdate(p),
  health_monitor_create: (d, p) => d.healthMonitorCreate(p),
  health_monitor_update: (d, p) => d.healthMonitorUpdate(p),
  health_monitor_delete: (d, p) => d.healthMonitorDelete(p),
  l7policy_create: (d, p) => d.l7policyCreate(p),
  l7policy_update: (d, p) => d.l7policyUpdate(p),
  l7policy_delete: (d, p) => d.l7policyDelete(p),
  l7rule_create: (d, p) => d.l7ruleCreate(p),
  l7rule_update: (d, p) => d.l7ruleUpdate(p),
  l7rule_delete: (d, p) => d.l7ruleDelete(p),
  failover_amphora: (d, p) => d.failoverAmphora(p),
  delete_amphora: (d, p) => d.deleteAmphora(p),
  update_amphora_agent_config: (d, p) => d.updateAmphoraAgentConfig(p),
}

/** True when `name` is a known operation. */
export const isOperation = (name: string): name is Operation => Object.hasOwn(dispatch, name)

/** The flow `driver` runs for a recorded job. Throws TerminalError for an unknown operation. */
export function flowForOperation(driver: ProviderDriver, operation: string, payload: unknown): Flow {
  if (!isOperation(operation)) throw new TerminalError(`unknown operation '${operation}'`)
  return (dispatch[operation] as (d: ProviderDriver, p: unknown) => Flow)(driver, payload)
}
