/**
 * The operations the API hands to a provider, by octavia-lib method name, with
 * the payload each job carries (ids and small options only; the worker re-reads
 * the database). A provider turns each into a flow (src/worker).
 */
export interface OperationPayloads {
  loadbalancer_create: { loadBalancerId: string }
  loadbalancer_update: { loadBalancerId: string }
  loadbalancer_delete: { loadBalancerId: string; cascade: boolean }
  loadbalancer_failover: { loadBalancerId: string }
  listener_create: { listenerId: string }
  listener_update: { listenerId: string }
  listener_delete: { listenerId: string }
  pool_create: { poolId: string }
  pool_update: { poolId: string }
  pool_delete: { poolId: string }
  member_create: { memberId: string }
  member_update: { memberId: string }
  member_delete: { memberId: string }
  /** Members already written by the API: new ones PENDING_CREATE, changed PENDING_UPDATE, removed PENDING_DELETE. */
  member_batch_update: { poolId: string; created: string[]; updated: string[]; deleted: string[] }
  health_monitor_create: { healthMonitorId: string }
  health_monitor_update: { healthMonitorId: string }
  health_monitor_delete: { healthMonitorId: string }
  l7policy_create: { l7policyId: string }
  l7policy_update: { l7policyId: string }
  l7policy_delete: { l7policyId: string }
  l7rule_create: { l7ruleId: string }
  l7rule_update: { l7ruleId: string }
  l7rule_delete: { l7ruleId: string }
  /**
   * Amphora operations of the admin API. octavia-lib has no such provider
   * methods (Octavia casts them straight to its amphora worker): here they
   * are operations of the provider that owns the amphora's load balancer.
   */
  failover_amphora: { amphoraId: string }
  delete_amphora: { amphoraId: string }
  update_amphora_agent_config: { amphoraId: string }
}

export type Operation = keyof OperationPayloads
