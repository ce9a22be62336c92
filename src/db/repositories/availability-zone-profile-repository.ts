import type { Executor } from '../database.js'
import { applyListSpec, type ListColumn, type ListSpec } from '../list-query.js'
import type { AvailabilityZoneProfileRow } from '../schema.js'
import { NIL_UUID } from './flavor-profile-repository.js'

/** API attribute → column, for filters and sorting of availability zone profile lists. */
export const AVAILABILITY_ZONE_PROFILE_COLUMNS: Readonly<Record<string, ListColumn>> = {
  id: { column: 'id', type: 'string' },
  name: { column: 'name', type: 'string' },
  provider_name: { column: 'provider_name', type: 'string' },
  availability_zone_data: { column: 'availability_zone_data', type: 'string' },
}

/** One availability zone profile, or undefined. */
export async function findAvailabilityZoneProfile(db: Executor, id: string): Promise<AvailabilityZoneProfileRow | undefined> {
  return db.selectFrom('availability_zone_profile').selectAll().where('id', '=', id).executeTakeFirst()
}

/** A page of availability zone profiles (limit + 1 when limited), oldest first by default. */
export async function listAvailabilityZoneProfiles(db: Executor, spec: ListSpec): Promise<AvailabilityZoneProfileRow[]> {
  const q = db.selectFrom('availability_zone_profile').selectAll().where('id', '!=', NIL_UUID)
  return applyListSpec(q, 'availability_zone_profile', spec).execute()
}

export async function insertAvailabilityZoneProfile(db: Executor, row: AvailabilityZoneProfileRow): Promise<void> {
  await db.insertInto('availability_zone_profile').values(row).execute()
}

/** Applies a patch of name, provider_name and availability_zone_data (nothing when empty). */
export async function updateAvailabilityZoneProfile(
  db: Executor, id: string,
  patch: Partial<Pick<AvailabilityZoneProfileRow, 'name' | 'provider_name' | 'availability_zone_data'>>,
): Promise<void> {
  if (Object.keys(patch).length === 0) return
  await db.updateTable('availability_zone_profile').set(patch).where('id', '=', id).execute()
}

/** How many availability zones use a profile. */
export async function countZonesOfProfile(db: Executor, profileId: string): Promise<number> {
  const row = await db.selectFrom('availability_zone').select(eb => eb.fn.countAll<number>().as('n'))
    .where('availability_zone_profile_id', '=', profileId).executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** Deletes a profile; false when there was none. Throws the foreign-key error when a zone uses it. */
export async function deleteAvailabilityZoneProfile(db: Executor, id: string): Promise<boolean> {
  const res = await db.deleteFrom('availability_zone_profile').where('id', '=', id).executeTakeFirst()
  return Number(res.numDeletedRows) === 1
}
