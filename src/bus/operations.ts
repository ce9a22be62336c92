/**
 * The operations the API hands to a provider, by octavia-lib method name, with
 * the payload each job carries (ids and small options only; the worker re-reads
 * the database). A provider turns each into a flow (src/worker/providers).
 *
 * This object is the one list of operations: its keys are the operation names
 * at run time, and `OperationPayloads` takes the payload types from it.
 */
const payload = <P>(): P => ({}) as P

const CATALOGUE = {
  loadbalancer_create: payload<{ loadBalancerId: string }>(),
  loadbalancer_update: payload<{ loadBalancerId: string }>(),
  loadbalancer_delete: payload<{ loadBalancerId: string; cascade: boolean }>(),
  loadbalancer_failover: payload<{ loadBalancerId: string }>(),
  listener_create: payload<{ listenerId: string }>(),
  listener_update: payload<{ listenerId: string }>(),
  listener_delete: payload<{ listenerId: string }>(),
  pool_create: payload<{ poolId: string }>(),
  pool_update: payload<{ poolId: string }>(),
  pool_delete: payload<{ poolId: string }>(),
  member_create: payload<{ memberId: string }>(),
  member_update: payload<{ memberId: string }>(),
  member_delete: payload<{ memberId: string }>(),
  /** Members already written by the API: new ones PENDING_CREATE, changed PENDING_UPDATE, removed PENDING_DELETE. */
  member_batch_update: payload<{ poolId: string; created: string[]; updated: string[]; deleted: string[] }>(),
  health_monitor_create: payload<{ healthMonitorId: string }>(),
  health_monitor_update: payload<{ healthMonitorId: string }>(),
  health_monitor_delete: payload<{ healthMonitorId: string }>(),
  l7policy_create: payload<{ l7policyId: string }>(),
  l7policy_update: payload<{ l7policyId: string }>(),
  l7policy_delete: payload<{ l7policyId: string }>(),
  l7rule_create: payload<{ l7ruleId: string }>(),
  l7rule_update: payload<{ l7ruleId: string }>(),
  l7rule_delete: payload<{ l7ruleId: string }>(),
  /**
   * Amphora operations of the admin API. octavia-lib has no such provider
   * methods (Octavia casts them straight to its amphora worker): here they
   * are operations of the provider that owns the amphora's load balancer.
   */
  failover_amphora: payload<{ amphoraId: string }>(),
  delete_amphora: payload<{ amphoraId: string }>(),
  update_amphora_agent_config: payload<{ amphoraId: string }>(),
}

/** Each operation's job payload, by operation name. */
export type OperationPayloads = { [O in keyof typeof CATALOGUE]: (typeof CATALOGUE)[O] }

export type Operation = keyof OperationPayloads

/** True when `name` is an operation of the catalogue. */
export const isOperation = (name: string): name is Operation => Object.hasOwn(CATALOGUE, name)
