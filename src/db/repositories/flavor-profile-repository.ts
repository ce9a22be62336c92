import type { Executor } from '../database.js'
import { applyListSpec, type ListColumn, type ListSpec } from '../list-query.js'
import type { FlavorProfileRow } from '../schema.js'

/** Octavia's reserved placeholder id: never listed, 404 when named. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000'

/** API attribute → column, for filters and sorting of flavor profile lists. */
export const FLAVOR_PROFILE_COLUMNS: Readonly<Record<string, ListColumn>> = {
  id: { column: 'id', type: 'string' },
  name: { column: 'name', type: 'string' },
  provider_name: { column: 'provider_name', type: 'string' },
  flavor_data: { column: 'flavor_data', type: 'string' },
}

/** One flavor profile, or undefined. */
export async function findFlavorProfile(db: Executor, id: string): Promise<FlavorProfileRow | undefined> {
  return db.selectFrom('flavor_profile').selectAll().where('id', '=', id).executeTakeFirst()
}

/** A page of flavor profiles (limit + 1 when limited), oldest first by default. */
export async function listFlavorProfiles(db: Executor, spec: ListSpec): Promise<FlavorProfileRow[]> {
  const q = db.selectFrom('flavor_profile').selectAll().where('id', '!=', NIL_UUID)
  return applyListSpec(q, 'flavor_profile', spec).execute()
}

export async function insertFlavorProfile(db: Executor, row: FlavorProfileRow): Promise<void> {
  await db.insertInto('flavor_profile').values(row).execute()
}

/** Applies a patch of name, provider_name and flavor_data (nothing when empty). */
export async function updateFlavorProfile(
  db: Executor, id: string, patch: Partial<Pick<FlavorProfileRow, 'name' | 'provider_name' | 'flavor_data'>>,
): Promise<void> {
  if (Object.keys(patch).length === 0) return
  await db.updateTable('flavor_profile').set(patch).where('id', '=', id).execute()
}

/** How many flavors use a flavor profile. */
export async function countFlavorsOfProfile(db: Executor, profileId: string): Promise<number> {
  const row = await db.selectFrom('flavor').select(eb => eb.fn.countAll<number>().as('n'))
    .where('flavor_profile_id', '=', profileId).executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** Deletes a flavor profile; false when there was none. Throws the foreign-key error when a flavor uses it. */
export async function deleteFlavorProfile(db: Executor, id: string): Promise<boolean> {
  const res = await db.deleteFrom('flavor_profile').where('id', '=', id).executeTakeFirst()
  return Number(res.numDeletedRows) === 1
}
