import { deleteUnlessUsedByLoadBalancers } from './delete-unless-used.js'
import { sql, type Kysely } from 'kysely'
import type { Dialect, Executor } from '../database.js'
import { applyListSpec, type ListColumn, type ListSpec } from '../list-query.js'
import type { AvailabilityZoneRow, DB } from '../schema.js'
import { NIL_UUID } from './flavor-profile-repository.js'
import { isUniqueViolation } from './port-repository.js'

/** API attribute → column, for filters and sorting of availability zone lists. */
export const AVAILABILITY_ZONE_COLUMNS: Readonly<Record<string, ListColumn>> = {
  name: { column: 'name', type: 'string' },
  description: { column: 'description', type: 'string' },
  enabled: { column: 'enabled', type: 'bool' },
  availability_zone_profile_id: { column: 'availability_zone_profile_id', type: 'string' },
}

/** An availability zone with what a load balancer create needs of its profile. */
export interface ZoneWithProfile {
  readonly zone: AvailabilityZoneRow
  readonly providerName: string
  readonly zoneData: string
}

/** One availability zone by name, or undefined. */
export async function findAvailabilityZone(db: Executor, name: string): Promise<AvailabilityZoneRow | undefined> {
  return db.selectFrom('availability_zone').selectAll().where('name', '=', name).executeTakeFirst()
}

/**
 * An availability zone with its profile's provider and data, or undefined;
 * `lockIn: 'postgres'` share-locks the rows as findFlavorWithProfile does.
 */
export async function findZoneWithProfile(db: Executor, name: string, lockIn?: Dialect): Promise<ZoneWithProfile | undefined> {
  let q = db.selectFrom('availability_zone')
    .innerJoin('availability_zone_profile', 'availability_zone_profile.id', 'availability_zone.availability_zone_profile_id')
    .selectAll('availability_zone')
    .select(['availability_zone_profile.provider_name as profile_provider_name',
      'availability_zone_profile.availability_zone_data as profile_zone_data'])
    .where('availability_zone.name', '=', name)
  if (lockIn === 'postgres') q = q.forShare()
  // NOTE: MariaDB has no FOR SHARE; LOCK IN SHARE MODE is the same lock.
  if (lockIn === 'mysql') q = q.modifyEnd(sql`LOCK IN SHARE MODE`)
  const row = await q.executeTakeFirst()
  if (!row) return undefined
  const { profile_provider_name: providerName, profile_zone_data: zoneData, ...zone } = row
  return { zone, providerName, zoneData }
}

/** A page of availability zones (limit + 1 when limited), oldest first by default. */
export async function listAvailabilityZones(db: Executor, spec: ListSpec): Promise<AvailabilityZoneRow[]> {
  const q = db.selectFrom('availability_zone').selectAll().where('name', '!=', NIL_UUID)
  return applyListSpec(q, 'availability_zone', spec, ['created_at', 'name']).execute()
}

/** Inserts an availability zone; false when the name is taken. Throws the foreign-key error for an unknown profile. */
export async function insertAvailabilityZone(db: Executor, row: AvailabilityZoneRow): Promise<boolean> {
  try {
    await db.insertInto('availability_zone').values(row).execute()
    return true
  } catch (err) {
    if (isUniqueViolation(err)) return false
    throw err
  }
}

/** Applies a patch of description and enabled (nothing when empty). */
export async function updateAvailabilityZone(
  db: Executor, name: string, patch: Partial<Pick<AvailabilityZoneRow, 'description' | 'enabled'>>,
): Promise<void> {
  if (Object.keys(patch).length === 0) return
  await db.updateTable('availability_zone').set(patch).where('name', '=', name).execute()
}

/** Deletes it unless a load balancer (not DELETED) uses it (see deleteUnlessUsedByLoadBalancers). */
export const deleteUnusedAvailabilityZone = (db: Kysely<DB>, name: string): Promise<'deleted' | 'missing' | 'in_use'> =>
  deleteUnlessUsedByLoadBalancers(db, { table: 'availability_zone', key: name })
