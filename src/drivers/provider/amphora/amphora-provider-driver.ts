import { providerUnsupported } from '../../../common/errors.js'
import {
  amphoraHealthMonitorCreateFlow, amphoraHealthMonitorDeleteFlow, amphoraHealthMonitorUpdateFlow,
  amphoraL7PolicyCreateFlow, amphoraL7PolicyDeleteFlow, amphoraL7PolicyUpdateFlow,
  amphoraL7RuleCreateFlow, amphoraL7RuleDeleteFlow, amphoraL7RuleUpdateFlow,
  amphoraListenerCreateFlow, amphoraListenerDeleteFlow, amphoraListenerUpdateFlow,
  amphoraMemberBatchUpdateFlow, amphoraMemberCreateFlow, amphoraMemberDeleteFlow, amphoraMemberUpdateFlow,
  amphoraPoolCreateFlow, amphoraPoolDeleteFlow, amphoraPoolUpdateFlow,
} from '../../../worker/flows/amphora-child-flows.js'
import {
  amphoraLoadBalancerCreateFlow, amphoraLoadBalancerDeleteFlow, amphoraLoadBalancerFailoverFlow,
  amphoraLoadBalancerUpdateFlow,
} from '../../../worker/flows/amphora-load-balancer-flows.js'
import {
  amphoraProviderAgentConfigFlow, amphoraProviderDeleteAmphoraFlow, amphoraProviderFailoverAmphoraFlow,
} from '../../../worker/flows/amphora-admin-flows.js'
import type { ProviderDriver } from '../provider-driver.js'
import type { AmphoraFlowDeps } from './amphora-flow-deps.js'

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

/**
 * The `amphora` provider (also registered as `octavia`, as upstream): flows
 * that realise every operation on local amphorae (a namespace or a loopback
 * slot each, with HAProxy managed by the agent). `name` is the name jobs
 * carry (the load balancer's provider column). `deps` is called when a flow
 * is built (never for the metadata methods the API uses), so building the
 * driver itself has no cost and no side effect.
 */
export function createAmphoraProviderDriver(name: string, deps: () => AmphoraFlowDeps): ProviderDriver {
  const f = <P>(build: (d: AmphoraFlowDeps) => P) => (): P => build(deps())
  return Object.freeze({
    name,
    loadbalancerCreate: f(amphoraLoadBalancerCreateFlow),
    loadbalancerUpdate: f(amphoraLoadBalancerUpdateFlow),
    loadbalancerDelete: f(amphoraLoadBalancerDeleteFlow),
    loadbalancerFailover: f(amphoraLoadBalancerFailoverFlow),
    listenerCreate: f(amphoraListenerCreateFlow),
    listenerUpdate: f(amphoraListenerUpdateFlow),
    listenerDelete: f(amphoraListenerDeleteFlow),
    poolCreate: f(amphoraPoolCreateFlow),
    poolUpdate: f(amphoraPoolUpdateFlow),
    poolDelete: f(amphoraPoolDeleteFlow),
    memberCreate: f(amphoraMemberCreateFlow),
    memberUpdate: f(amphoraMemberUpdateFlow),
    memberDelete: f(amphoraMemberDeleteFlow),
    memberBatchUpdate: f(amphoraMemberBatchUpdateFlow),
    healthMonitorCreate: f(amphoraHealthMonitorCreateFlow),
    healthMonitorUpdate: f(amphoraHealthMonitorUpdateFlow),
    healthMonitorDelete: f(amphoraHealthMonitorDeleteFlow),
    l7policyCreate: f(amphoraL7PolicyCreateFlow),
    l7policyUpdate: f(amphoraL7PolicyUpdateFlow),
    l7policyDelete: f(amphoraL7PolicyDeleteFlow),
    l7ruleCreate: f(amphoraL7RuleCreateFlow),
    l7ruleUpdate: f(amphoraL7RuleUpdateFlow),
    l7ruleDelete: f(amphoraL7RuleDeleteFlow),
    failoverAmphora: f(amphoraProviderFailoverAmphoraFlow),
    deleteAmphora: f(amphoraProviderDeleteAmphoraFlow),
    updateAmphoraAgentConfig: f(amphoraProviderAgentConfigFlow),
    getSupportedFlavorMetadata: () => FLAVOR_METADATA,
    validateFlavor: (metadata: Readonly<Record<string, unknown>>) => {
      checkKeys(name, FLAVOR_METADATA, metadata)
      const topology = metadata.loadbalancer_topology
      if (topology !== undefined && topology !== 'SINGLE' && topology !== 'ACTIVE_STANDBY') {
        throw providerUnsupported(name, `loadbalancer_topology ${typeof topology === 'string' ? `'${topology}'` : String(topology)} is not one of ['SINGLE', 'ACTIVE_STANDBY']`)
      }
    },
    getSupportedAvailabilityZoneMetadata: () => AZ_METADATA,
    validateAvailabilityZone: (metadata: Readonly<Record<string, unknown>>) => checkKeys(name, AZ_METADATA, metadata),
  })
}
