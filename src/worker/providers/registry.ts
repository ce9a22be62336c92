import type { Config } from '../../common/config/schema.js'
import { TerminalError } from '../../common/errors.js'
import { silentLogger, type Logger } from '../../common/logging.js'
import type { AmphoraFlowDeps } from '../../drivers/amphora-flow-deps.js'
import { createAmphoraProviderDriver } from './amphora/amphora-provider-driver.js'
import { createAmphoraFlowDeps } from '../../drivers/create-amphora-flow-deps.js'
import { createNoopProviderDriver } from './noop/noop-provider-driver.js'
import type { ProviderCatalog } from '../../model/provider-capabilities.js'
import { CertificateRetrievalError, type CertificateManager } from '../../model/certificate-manager.js'
import type { ProviderDriver } from './provider-driver.js'

/** What provider drivers are built from besides the configuration. */
export interface ProviderDeps {
  readonly log: Logger
  /**
   * The amphora provider's drivers, shared by `amphora` and `octavia`;
   * called when a flow is built. Default: built from
   * the configuration on first use (createAmphoraFlowDeps).
   */
  readonly amphora: () => AmphoraFlowDeps
}

/**
 * Default deps: a silent logger and the amphora drivers from the
 * configuration, built once, reading TLS references from `certificates`
 * (default: none readable; compose() hands in `[certificates] cert_manager`).
 */
export function defaultProviderDeps(config: Config, log: Logger = silentLogger(), certificates: CertificateManager = NO_CERTIFICATES): ProviderDeps {
  let amphora: AmphoraFlowDeps | null = null
  return { log, amphora: () => (amphora ??= createAmphoraFlowDeps(config, log.child({ component: 'amphora-provider' }), certificates)) }
}

/** A certificate manager that can read nothing (provider registries built without one). */
const NO_CERTIFICATES: CertificateManager = Object.freeze({
  getCertificate: async (ref: string) => { throw new CertificateRetrievalError(ref, 'no certificate manager') },
  getSecret: async (ref: string) => { throw new CertificateRetrievalError(ref, 'no certificate manager') },
  grantServiceAccess: async (ref: string) => { throw new CertificateRetrievalError(ref, 'no certificate manager') },
})

/**
 * Every provider octavia-ts knows, by the name used in
 * `[api_settings] enabled_provider_drivers` (STYLE.md R3). Only the enabled
 * ones are built. `octavia` is the amphora provider's alias, as upstream.
 */
export const providerDriverFactories = {
  noop_driver: (c: Config) => createNoopProviderDriver(c.noop_provider),
  amphora: (c: Config, deps: ProviderDeps) => createAmphoraProviderDriver('amphora', deps.amphora, c.controller_worker),
  octavia: (c: Config, deps: ProviderDeps) => createAmphoraProviderDriver('octavia', deps.amphora, c.controller_worker),
} satisfies Record<string, (c: Config, deps: ProviderDeps) => ProviderDriver>

/** The enabled provider drivers (the API sees them as a ProviderCatalog). */
export interface ProviderRegistry extends ProviderCatalog {
  /** Names of the providers that are enabled and implemented. */
  readonly names: readonly string[]
  has(name: string): boolean
  /** Throws TerminalError when `name` is not enabled or not implemented. */
  get(name: string): ProviderDriver
  find(name: string): ProviderDriver | undefined
}

/** A registry over given drivers (tests add their own providers this way). */
export function providerRegistryOf(drivers: readonly ProviderDriver[]): ProviderRegistry {
  const byName = new Map(drivers.map(d => [d.name, d]))
  return Object.freeze({
    names: Object.freeze([...byName.keys()]),
    has: (name: string) => byName.has(name),
    find: (name: string) => byName.get(name),
    get: (name: string) => {
      const d = byName.get(name)
      if (!d) throw new TerminalError(`provider '${name}' is not enabled`)
      return d
    },
  })
}

/**
 * Builds the drivers named in `[api_settings] enabled_provider_drivers` that
 * octavia-ts implements; `onUnknown` hears about the others (they are left
 * out). Building has no side effect (the amphora drivers are made on first use).
 */
export function createProviderRegistry(
  config: Config, onUnknown: (name: string) => void = () => {}, deps: ProviderDeps = defaultProviderDeps(config),
): ProviderRegistry {
  const drivers: ProviderDriver[] = []
  for (const name of Object.keys(config.api_settings.enabled_provider_drivers)) {
    if (Object.hasOwn(providerDriverFactories, name)) {
      drivers.push(providerDriverFactories[name as keyof typeof providerDriverFactories](config, deps))
    } else {
      onUnknown(name)
    }
  }
  return providerRegistryOf(drivers)
}
