import type { Transaction } from 'kysely'
import type { Config } from '../../../common/config/schema.js'
import { badRequest, validationFailure } from '../../../common/errors.js'
import type { Executor } from '../../../db/database.js'
import { findZoneWithProfile, type ZoneWithProfile } from '../../../db/repositories/availability-zone-repository.js'
import { findFlavorWithProfile, type FlavorWithProfile } from '../../../db/repositories/flavor-repository.js'
import type { DB } from '../../../db/schema.js'
import type { ApiDeps } from '../../deps.js'
import { validateProfileData } from '../flavor-profiles/provider-metadata.js'

type Metadata = Readonly<Record<string, unknown>>

/** What a load balancer create takes from its flavor and availability zone. */
export interface FlavorZoneChoice {
  /** The flavor named by the request (null: none). */
  readonly flavorId: string | null
  readonly flavor: FlavorWithProfile | undefined
  /** The availability zone named by the request (null: none). */
  readonly zoneName: string | null
  readonly zone: ZoneWithProfile | undefined
  /** The flavor's metadata ({} without a flavor). */
  readonly flavorData: Metadata
  /** The availability zone's metadata ({} without one). */
  readonly zoneData: Metadata
  /** The flavor's `loadbalancer_topology`, else `[controller_worker] loadbalancer_topology`. */
  readonly topology: string
  /** `direct` when the flavor asks for an SR-IOV VIP (`sriov_vip: true`). */
  readonly vnicType: 'normal' | 'direct'
  /** The zone's `valid_vip_networks` (replaces `[networking] valid_vip_networks`), or null. */
  readonly validVipNetworks: readonly string[] | null
}

const parse = (text: string | undefined): Metadata => {
  if (text === undefined) return {}
  const v: unknown = JSON.parse(text)
  return v !== null && typeof v === 'object' ? v as Metadata : {}
}

/**
 * Reads the flavor and availability zone a create names, without judging
 * them yet (Octavia validates the VIP request first, but the VIP needs the
 * flavor's topology).
 */
export async function readFlavorAndZone(
  db: Executor, config: Pick<Config, 'controller_worker'>,
  flavorId: string | null | undefined, zoneName: string | null | undefined,
): Promise<FlavorZoneChoice> {
  const flavor = flavorId ? await findFlavorWithProfile(db, flavorId) : undefined
  const zone = zoneName != null ? await findZoneWithProfile(db, zoneName) : undefined
  const flavorData = parse(flavor?.flavorData)
  const zoneData = parse(zone?.zoneData)
  const wanted = flavorData.loadbalancer_topology
  const networks = zoneData.valid_vip_networks
  return {
    flavorId: flavorId ?? null,
    flavor,
    zoneName: zoneName ?? null,
    zone,
    flavorData,
    zoneData,
    topology: wanted === 'SINGLE' || wanted === 'ACTIVE_STANDBY' ? wanted : config.controller_worker.loadbalancer_topology,
    vnicType: flavorData.sriov_vip === true ? 'direct' : 'normal',
    validVipNetworks: Array.isArray(networks) ? networks.map(String) : null,
  }
}

/**
 * Octavia's _validate_flavor, _validate_availability_zone and _get_provider:
 * the flavor must exist (400 `Validation failure: Invalid flavor_id.`) and be
 * enabled (400 `The selected flavor is not allowed in this deployment:
 * <id>`), likewise the zone (`Invalid availability zone.`, `The selected
 * availability_zone is not allowed…`). Returns the provider: the flavor's,
 * which a requested provider must equal (400 `Flavor '<f>' is not compatible
 * with provider '<p>'`), else the requested one, else the default.
 */
export function chooseProvider(choice: FlavorZoneChoice, requested: string | null | undefined, defaultProvider: string): string {
  if (choice.flavorId !== null) {
    if (!choice.flavor) throw validationFailure('Invalid flavor_id.')
    if (choice.flavor.flavor.enabled !== 1) {
      throw badRequest(`The selected flavor is not allowed in this deployment: ${choice.flavorId}`, 'disabled_option')
    }
  }
  if (choice.zoneName !== null) {
    if (!choice.zone) throw validationFailure('Invalid availability zone.')
    if (choice.zone.zone.enabled !== 1) {
      throw badRequest(`The selected availability_zone is not allowed in this deployment: ${choice.zoneName}`, 'disabled_option')
    }
  }
  const flavorProvider = choice.flavor?.providerName
  if (flavorProvider === undefined) return requested ?? defaultProvider
  if (requested != null && requested !== flavorProvider) {
    throw badRequest(`Flavor '${choice.flavorId}' is not compatible with provider '${requested}'`, 'provider_flavor_mismatch')
  }
  return flavorProvider
}

/**
 * Inside the create transaction, after the quota check: holds the flavor and
 * zone (share-locked on PostgreSQL, so that deleting them waits for this
 * create; gone by now is 400 `Invalid flavor_id.` / `Invalid
 * availability_zone.`, disabled as in chooseProvider), then asks the
 * provider's driver to accept their metadata (skipped when empty, as Octavia).
 */
export async function confirmFlavorAndZone(
  tx: Transaction<DB>, deps: ApiDeps, choice: FlavorZoneChoice, provider: string,
): Promise<void> {
  const dialect = deps.database.dialect
  if (choice.flavorId !== null) {
    const flavor = await findFlavorWithProfile(tx, choice.flavorId, dialect)
    if (!flavor) throw validationFailure('Invalid flavor_id.')
    chooseProvider({ ...choice, flavor, zoneName: null }, provider, provider)
  }
  if (choice.zoneName !== null) {
    const zone = await findZoneWithProfile(tx, choice.zoneName, dialect)
    if (!zone) throw validationFailure('Invalid availability_zone.')
    chooseProvider({ ...choice, flavorId: null, zone }, provider, provider)
  }
  if (Object.keys(choice.flavorData).length > 0) validateProfileData(deps, provider, 'flavor', choice.flavorData)
  if (Object.keys(choice.zoneData).length > 0) validateProfileData(deps, provider, 'availability_zone', choice.zoneData)
}
