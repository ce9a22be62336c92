import type { Config } from '../../common/config/schema.js'
import { TerminalError } from '../../common/errors.js'
import { createNoopProviderDriver } from './noop/noop-provider-driver.js'
import type { ProviderDriver } from './provider-driver.js'

/**
 * Every provider octavia-ts knows, by the name used in
 * `[api_settings] enabled_provider_drivers` (STYLE.md R3). Only the enabled
 * ones are built. (`amphora`/`octavia` join when the amphora provider lands.)
 */
export const providerDriverFactories = {
  noop_driver: (c: Config) => createNoopProviderDriver(c.noop_provider),
} satisfies Record<string, (c: Config) => ProviderDriver>

/** The enabled provider drivers. */
export interface ProviderRegistry {
  /** Names of the providers that are enabled and implemented. */
  readonly names: readonly string[]
  has(name: string): boolean
  /** Throws TerminalError when `name` is not enabled or not implemented. */
  get(name: string): ProviderDriver
}

/** A registry over given drivers (tests add their own providers this way). */
export function providerRegistryOf(drivers: readonly ProviderDriver[]): ProviderRegistry {
  const byName = new Map(drivers.map(d => [d.name, d]))
  return Object.freeze({
    names: Object.freeze([...byName.keys()]),
    has: (name: string) => byName.has(name),
    get: (name: string) => {
      const d = byName.get(name)
      if (!d) throw new TerminalError(`provider '${name}' is not enabled`)
      return d
    },
  })
}

/**
 * Builds the drivers named in `[api_settings] enabled_provider_drivers` that
 * octavia-ts implements; `onUnknown` hears about the others (they are left out).
 */
export function createProviderRegistry(config: Config, onUnknown: (name: string) => void = () => {}): ProviderRegistry {
  const drivers: ProviderDriver[] = []
  for (const name of Object.keys(config.api_settings.enabled_provider_drivers)) {
    if (Object.hasOwn(providerDriverFactories, name)) {
      drivers.push(providerDriverFactories[name as keyof typeof providerDriverFactories](config))
    } else {
      onUnknown(name)
    }
  }
  return providerRegistryOf(drivers)
}
