import type { Operation, OperationPayloads } from '../../bus/operations.js'
import type { ProviderCapabilities } from '../../model/provider-capabilities.js'
import type { Flow } from '../engine/flow.js'

/**
 * A provider's operations table: for each operation of the catalogue
 * (src/bus/operations.ts), the flow that realises it. The worker runs the
 * flow as a durable job, so a flow must depend only on its payload.
 */
export type OperationFlows = { readonly [O in Operation]: (payload: OperationPayloads[O]) => Flow<OperationPayloads[O]> }

/**
 * A provider driver, in octavia-lib's shape: its operations table, and the
 * capabilities and checks the API asks of it (ProviderCapabilities).
 * Amphora operations (failover_amphora, delete_amphora,
 * update_amphora_agent_config) have no octavia-lib method (Octavia casts them
 * straight to its amphora worker): here they belong to the provider that owns
 * the amphora's load balancer.
 */
export interface ProviderDriver extends ProviderCapabilities {
  readonly operations: OperationFlows
}
