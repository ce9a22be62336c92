import type { Config } from '../../../common/config/schema.js'
import { LbaasError } from '../../../common/errors.js'
import type { ProviderCapabilities, ProviderCatalog } from '../../../model/provider-capabilities.js'

/**
 * Resolves a provider name the way Octavia's driver factory does: it must be
 * listed in `[api_settings] enabled_provider_drivers` (else 400 `Provider '<p>'
 * is not enabled.`) and be a driver octavia-ts has (else 501 `Provider '<p>'
 * was not found.`). Returns what the driver tells the API about itself.
 */
export function resolveProvider(
  deps: { readonly config: Pick<Config, 'api_settings'>; readonly providers: ProviderCatalog }, name: string,
): ProviderCapabilities {
  if (!Object.hasOwn(deps.config.api_settings.enabled_provider_drivers, name)) {
    throw new LbaasError('provider_not_enabled', 400, `Provider '${name}' is not enabled.`)
  }
  const driver = deps.providers.find(name)
  if (!driver) throw new LbaasError('provider_not_found', 501, `Provider '${name}' was not found.`)
  return driver
}

/** Enabled providers with their configured descriptions, in configuration order. */
export const enabledProviders = (settings: Config['api_settings']): { name: string; description: string }[] =>
  Object.entries(settings.enabled_provider_drivers).map(([name, description]) => ({ name, description }))
