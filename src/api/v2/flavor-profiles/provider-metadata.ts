import { invalidOption, LbaasError } from '../../../common/errors.js'
import type { ApiDeps } from '../../deps.js'
import { resolveProvider } from '../providers/provider-catalog.js'

/** Which metadata a profile carries. */
export type MetadataKind = 'flavor' | 'availability_zone'

/**
 * Parses a profile's `flavor_data` / `availability_zone_data` text as JSON,
 * as Octavia's "basic JSON validation": 400 `<text> is not a valid option
 * for <option>` when it is not JSON.
 */
export function parseProfileData(text: string, option: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw invalidOption(text, option)
  }
}

/**
 * Octavia's get_driver + validate_flavor / validate_availability_zone: the
 * provider must be enabled (400 `Provider '<p>' is not enabled.`) and
 * implemented (501 `Provider '<p>' was not found.`), and its driver must
 * accept the metadata (the driver's LbaasError, e.g. 501 `Provider '<p>'
 * does not support a requested option: …`; any other failure is 500
 * `Provider '<p>' reports error: …`). The noop driver accepts anything.
 */
export function validateProfileData(deps: ApiDeps, provider: string, kind: MetadataKind, data: unknown): void {
  const driver = resolveProvider(deps, provider)
  const metadata = data as Readonly<Record<string, unknown>>
  try {
    if (kind === 'flavor') driver.validateFlavor(metadata)
    else driver.validateAvailabilityZone(metadata)
  } catch (err) {
    if (err instanceof LbaasError) throw err
    throw new LbaasError('provider_error', 500, `Provider '${provider}' reports error: ${(err as Error)?.message ?? String(err)}`)
  }
}
