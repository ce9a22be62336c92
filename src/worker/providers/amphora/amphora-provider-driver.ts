import { providerUnsupported } from '../../../common/errors.js'
import {
  amphoraHealthMonitorCreateFlow, amphoraHealthMonitorDeleteFlow, amphoraHealthMonitorUpdateFlow,
  amphoraL7PolicyCreateFlow, amphoraL7PolicyDeleteFlow, amphoraL7PolicyUpdateFlow,
  amphoraL7RuleCreateFlow, amphoraL7RuleDeleteFlow, amphoraL7RuleUpdateFlow,
  amphoraListenerCreateFlow, amphoraListenerDeleteFlow, amphoraListenerUpdateFlow,
  amphoraMemberBatchUpdateFlow, amphoraMemberCreateFlow, amphoraMemberDeleteFlow, amphoraMemberUpdateFlow,
  amphoraPoolCreateFlow, amphoraPoolDeleteFlow, amphoraPoolUpdateFlow,
} from '../../flows/amphora-child-flows.js'
import {
  amphoraLoadBalancerCreateFlow, amphoraLoadBalancerDeleteFlow, amphoraLoadBalancerFailoverFlow,
  amphoraLoadBalancerUpdateFlow,
} from '../../flows/amphora-load-balancer-flows.js'
import {
  amphoraProviderAgentConfigFlow, amphoraProviderDeleteAmphoraFlow, amphoraProviderFailoverAmphoraFlow,
} from '../../flows/amphora-admin-flows.js'
import type { ComputeDriverOption } from '../../../common/config/compute-mode.js'
import type { PoolOptions } from '../../../model/provider-capabilities.js'
import type { OperationFlows, ProviderDriver } from '../provider-driver.js'
import { checkAmphoraListenerOptions, checkAmphoraPoolOptions, checkAmphoraTopology } from './amphora-option-checks.js'
import type { AmphoraFlowDeps } from '../../../drivers/amphora-flow-deps.js'

/** Flavor metadata keys of Octavia's amphora driver (provider capabilities API). */
const FLAVOR_METADATA: Readonly<Record<string, string>> = Object.freeze({
  loadbalancer_topology: 'The load balancer topology. One of: SINGLE - One amphora per load balancer. ACTIVE_STANDBY - Two amphora per load balancer.',
  compute_flavor: 'The compute driver flavor ID.',
  amp_image_tag: 'The amphora image tag.',
  sriov_vip: 'When true, the VIP port will be created using an SR-IOV VF port.',
  allow_member_sriov: 'When true, users can request a member port be SR-IOV enabled at member creation time.',
})

/** Availability-zone metadata keys of Octavia's amphora driver. */
const AZ_METADATA: Readonly<Record<string, string>> = Object.freeze({
  compute_zone: 'The compute availability zone.',
  volume_zone: 'The volume availability zone.',
  management_network: 'The management network ID for the amphora.',
  valid_vip_networks: 'List of network IDs that are allowed for VIP use. This overrides/replaces the list of allowed networks configured in `octavia.conf`.',
})

/** Rejects metadata keys the driver does not know, as Octavia's JSON-schema check does (501). */
function checkKeys(provider: string, known: Readonly<Record<string, string>>, metadata: Readonly<Record<string, unknown>>): void {
  for (const key of Object.keys(metadata)) {
    if (!Object.hasOwn(known, key)) throw providerUnsupported(provider, `Additional properties are not allowed ('${key}' was unexpected)`)
  }
}

/** Octavia's amphora flavor check: known keys only, and a topology Octavia knows. */
function validateAmphoraFlavor(provider: string, metadata: Readonly<Record<string, unknown>>): void {
  checkKeys(provider, FLAVOR_METADATA, metadata)
  const topology = metadata.loadbalancer_topology
  if (topology !== undefined && topology !== 'SINGLE' && topology !== 'ACTIVE_STANDBY') {
    throw providerUnsupported(provider, `loadbalancer_topology ${typeof topology === 'string' ? `'${topology}'` : String(topology)} is not one of ['SINGLE', 'ACTIVE_STANDBY']`)
  }
}

/** The amphora provider's operations table; `deps` is called only when a flow is built. */
function amphoraOperations(deps: () => AmphoraFlowDeps): OperationFlows {
  const f = <P>(build: (d: AmphoraFlowDeps) => P) => (): P => build(deps())
  return {
    loadbalancer_create: f(amphoraLoadBalancerCreateFlow),
    loadbalancer_update: f(amphoraLoadBalancerUpdateFlow),
    loadbalancer_delete: f(amphoraLoadBalancerDeleteFlow),
    loadbalancer_failover: f(amphoraLoadBalancerFailoverFlow),
    listener_create: f(amphoraListenerCreateFlow),
    listener_update: f(amphoraListenerUpdateFlow),
    listener_delete: f(amphoraListenerDeleteFlow),
    pool_create: f(amphoraPoolCreateFlow),
    pool_update: f(amphoraPoolUpdateFlow),
    pool_delete: f(amphoraPoolDeleteFlow),
    member_create: f(amphoraMemberCreateFlow),
    member_update: f(amphoraMemberUpdateFlow),
    member_delete: f(amphoraMemberDeleteFlow),
    member_batch_update: f(amphoraMemberBatchUpdateFlow),
    health_monitor_create: f(amphoraHealthMonitorCreateFlow),
    health_monitor_update: f(amphoraHealthMonitorUpdateFlow),
    health_monitor_delete: f(amphoraHealthMonitorDeleteFlow),
    l7policy_create: f(amphoraL7PolicyCreateFlow),
    l7policy_update: f(amphoraL7PolicyUpdateFlow),
    l7policy_delete: f(amphoraL7PolicyDeleteFlow),
    l7rule_create: f(amphoraL7RuleCreateFlow),
    l7rule_update: f(amphoraL7RuleUpdateFlow),
    l7rule_delete: f(amphoraL7RuleDeleteFlow),
    failover_amphora: f(amphoraProviderFailoverAmphoraFlow),
    delete_amphora: f(amphoraProviderDeleteAmphoraFlow),
    update_amphora_agent_config: f(amphoraProviderAgentConfigFlow),
  }
}

/**
 * The `amphora` provider (also registered as `octavia`, as upstream): flows
 * that realise every operation on local amphorae (a namespace or a loopback
 * slot each, with HAProxy managed by the agent). `name` is the name jobs
 * carry (the load balancer's provider column). `deps` is called when a flow
 * is built (never for the capabilities the API uses), so building the
 * driver itself has no cost and no side effect. `worker` is
 * `[controller_worker]`, which decides whether ACTIVE_STANDBY can be built.
 */
export function createAmphoraProviderDriver(
  name: string, deps: () => AmphoraFlowDeps, worker: { readonly compute_driver: ComputeDriverOption },
): ProviderDriver {
  return Object.freeze({
    name,
    operations: amphoraOperations(deps),
    flavorMetadata: FLAVOR_METADATA,
    availabilityZoneMetadata: AZ_METADATA,
    validateFlavor: (metadata: Readonly<Record<string, unknown>>) => validateAmphoraFlavor(name, metadata),
    validateAvailabilityZone: (metadata: Readonly<Record<string, unknown>>) => checkKeys(name, AZ_METADATA, metadata),
    checkListener: (protocol: string) => checkAmphoraListenerOptions(name, protocol),
    checkPool: (pool: PoolOptions) => checkAmphoraPoolOptions(name, pool),
    checkTopology: (topology: string) => checkAmphoraTopology(name, topology, worker),
  })
}
