import type { Flow } from '../../worker/engine/flow.js'
import type { OperationPayloads } from './operations.js'

type FlowOf<O extends keyof OperationPayloads> = (payload: OperationPayloads[O]) => Flow<OperationPayloads[O]>

/**
 * A provider driver, in octavia-lib's shape: one method per operation. Each
 * returns the flow that realises the operation; the worker runs it as a
 * durable job (the flow must depend only on the payload). Metadata methods
 * serve the flavor and availability-zone APIs.
 */
export interface ProviderDriver {
  readonly name: string
  readonly loadbalancerCreate: FlowOf<'loadbalancer_create'>
  readonly loadbalancerUpdate: FlowOf<'loadbalancer_update'>
  readonly loadbalancerDelete: FlowOf<'loadbalancer_delete'>
  readonly loadbalancerFailover: FlowOf<'loadbalancer_failover'>
  readonly listenerCreate: FlowOf<'listener_create'>
  readonly listenerUpdate: FlowOf<'listener_update'>
  readonly listenerDelete: FlowOf<'listener_delete'>
  readonly poolCreate: FlowOf<'pool_create'>
  readonly poolUpdate: FlowOf<'pool_update'>
  readonly poolDelete: FlowOf<'pool_delete'>
  readonly memberCreate: FlowOf<'member_create'>
  readonly memberUpdate: FlowOf<'member_update'>
  readonly memberDelete: FlowOf<'member_delete'>
  readonly memberBatchUpdate: FlowOf<'member_batch_update'>
  readonly healthMonitorCreate: FlowOf<'health_monitor_create'>
  readonly healthMonitorUpdate: FlowOf<'health_monitor_update'>
  readonly healthMonitorDelete: FlowOf<'health_monitor_delete'>
  readonly l7policyCreate: FlowOf<'l7policy_create'>
  readonly l7policyUpdate: FlowOf<'l7policy_update'>
  readonly l7policyDelete: FlowOf<'l7policy_delete'>
  readonly l7ruleCreate: FlowOf<'l7rule_create'>
  readonly l7ruleUpdate: FlowOf<'l7rule_update'>
  readonly l7ruleDelete: FlowOf<'l7rule_delete'>
  /**
   * Replaces a failed amphora (its load balancer, if any, was set
   * PENDING_UPDATE by the API and ends ACTIVE; on failure the amphora and the
   * load balancer end ERROR). A DELETED amphora is left alone.
   */
  readonly failoverAmphora: FlowOf<'failover_amphora'>
  /** Removes an ERROR amphora the API set PENDING_DELETE; it ends DELETED. */
  readonly deleteAmphora: FlowOf<'delete_amphora'>
  /** Re-renders and pushes the amphora agent's configuration; changes no status. */
  readonly updateAmphoraAgentConfig: FlowOf<'update_amphora_agent_config'>
  /** Flavor metadata keys this provider understands, with descriptions. */
  getSupportedFlavorMetadata(): Readonly<Record<string, string>>
  /** Throws LbaasError (providerUnsupported) when the flavor metadata is not acceptable. */
  validateFlavor(metadata: Readonly<Record<string, unknown>>): void
  /** Availability-zone metadata keys this provider understands, with descriptions. */
  getSupportedAvailabilityZoneMetadata(): Readonly<Record<string, string>>
  /** Throws LbaasError (providerUnsupported) when the availability-zone metadata is not acceptable. */
  validateAvailabilityZone(metadata: Readonly<Record<string, unknown>>): void
}
