/**
 * What the API knows of a provider driver: octavia-lib's capability and
 * validation methods, and the API-time option checks. The worker's provider
 * drivers implement it; src/cmd hands the enabled ones to the API, which
 * never sees flows or the worker. Every check throws LbaasError, Octavia's
 * 501 `Provider '<p>' does not support a requested option: …`.
 */
export interface ProviderCapabilities {
  /** The name jobs and load balancers carry (`[api_settings] enabled_provider_drivers`). */
  readonly name: string
  /** Flavor metadata key → description, in the driver's order. */
  readonly flavorMetadata: Readonly<Record<string, string>>
  /** Availability-zone metadata key → description. */
  readonly availabilityZoneMetadata: Readonly<Record<string, string>>
  /** Throws when the flavor metadata is not acceptable. */
  validateFlavor(metadata: Readonly<Record<string, unknown>>): void
  /** Throws when the availability-zone metadata is not acceptable. */
  validateAvailabilityZone(metadata: Readonly<Record<string, unknown>>): void
  /** Listener create: throws for a protocol the provider cannot serve. */
  checkListener(protocol: string): void
  /** Pool create and update: throws for a protocol or certificate the provider cannot serve. */
  checkPool(pool: PoolOptions): void
  /** Load balancer create: throws for a topology the provider cannot build here. */
  checkTopology(topology: string): void
}

/** What a pool create or update asks for that a provider may refuse. */
export interface PoolOptions {
  readonly protocol: string
  readonly tlsContainerRef?: string | null
  readonly caTlsContainerRef?: string | null
  readonly crlContainerRef?: string | null
}

/** The providers that are enabled and implemented. */
export interface ProviderCatalog {
  /** The provider of this name, or undefined when it is not enabled or not implemented. */
  find(name: string): ProviderCapabilities | undefined
}
