import type { Config } from '../../../common/config/schema.js'
import { LbaasError } from '../../../common/errors.js'
import { providerDriverFactories } from '../../../drivers/provider/registry.js'

/** What a provider driver tells the API about itself: the flavor and AZ metadata keys it supports. */
export interface ProviderCapabilities {
  /** Flavor metadata key → description, in the driver's order. */
  readonly flavor: Readonly<Record<string, string>>
  /** Availability zone metadata key → description. */
  readonly availabilityZone: Readonly<Record<string, string>>
}

const NOOP: ProviderCapabilities = {
  flavor: { amp_image_tag: 'The glance image tag to use for this load balancer.' },
  availabilityZone: {
    compute_zone: 'The compute availability zone to use for this loadbalancer.',
    volume_zone: 'The volume availability zone to use for this loadbalancer.',
  },
}

const AMPHORA: ProviderCapabilities = {
  flavor: {
    loadbalancer_topology: 'The load balancer topology. One of: SINGLE - One amphora per load balancer. ACTIVE_STANDBY - Two amphora per load balancer.',
    compute_flavor: 'The compute driver flavor ID.',
    amp_image_tag: 'The amphora image tag.',
    sriov_vip: 'When true, the VIP port will be created using an SR-IOV VF port.',
    allow_member_sriov: 'When true, users can request a member port be SR-IOV enabled at member creation time.',
  },
  availabilityZone: {
    compute_zone: 'The compute availability zone.',
    volume_zone: 'The volume availability zone.',
    management_network: 'The management network ID for the amphora.',
    valid_vip_networks: 'List of network IDs that are allowed for VIP use. This overrides/replaces the list of allowed networks configured in `octavia.conf`.',
  },
}

/** What the API shows of each provider driver, by the names Octavia registers them under. */
const CAPABILITIES: Readonly<Record<string, ProviderCapabilities>> = {
  noop_driver: NOOP,
  amphora: AMPHORA,
  octavia: AMPHORA,
}

const NONE: ProviderCapabilities = { flavor: {}, availabilityZone: {} }

/** Whether the worker has a driver of this name (src/drivers/provider/registry.ts). */
const implemented = (name: string): boolean => Object.hasOwn(providerDriverFactories, name)

/**
 * Resolves a provider name the way Octavia's driver factory does: it must be
 * listed in `[api_settings] enabled_provider_drivers` (else 400 `Provider '<p>'
 * is not enabled.`) and be a driver the worker has (else 501 `Provider '<p>'
 * was not found.`). Returns what the driver advertises.
 */
export function resolveProvider(settings: Config['api_settings'], name: string): ProviderCapabilities {
  if (!Object.hasOwn(settings.enabled_provider_drivers, name)) {
    throw new LbaasError('provider_not_enabled', 400, `Provider '${name}' is not enabled.`)
  }
  if (!implemented(name)) throw new LbaasError('provider_not_found', 501, `Provider '${name}' was not found.`)
  return Object.hasOwn(CAPABILITIES, name) ? CAPABILITIES[name] : NONE
}

/** Enabled providers with their configured descriptions, in configuration order. */
export const enabledProviders = (settings: Config['api_settings']): { name: string; description: string }[] =>
  Object.entries(settings.enabled_provider_drivers).map(([name, description]) => ({ name, description }))
