import { deleteUnlessUsedByLoadBalancers } from './delete-unless-used.js'
import { sql, type Kysely } from 'kysely'
import type { Dialect, Executor } from '../database.js'
import { applyListSpec, type ListColumn, type ListSpec } from '../list-query.js'
import type { DB, FlavorRow } from '../schema.js'
import { NIL_UUID } from './flavor-profile-repository.js'
import { isUniqueViolation } from './port-repository.js'

/** API attribute → column, for filters and sorting of flavor lists. */
export const FLAVOR_COLUMNS: Readonly<Record<string, ListColumn>> = {
  id: { column: 'id', type: 'string' },
  name: { column: 'name', type: 'string' },
  description: { column: 'description', type: 'string' },
  enabled: { column: 'enabled', type: 'bool' },
  flavor_profile_id: { column: 'flavor_profile_id', type: 'string' },
}

/** A flavor with what a load balancer create needs of its profile. */
export interface FlavorWithProfile {
  readonly flavor: FlavorRow
  readonly providerName: string
  readonly flavorData: string
}

/** Whether a database error is a foreign-key violation (any dialect). */
export { isForeignKeyViolation } from '../constraint-errors.js'

/** One flavor, or undefined. */
export async function findFlavor(db: Executor, id: string): Promise<FlavorRow | undefined> {
  return db.selectFrom('flavor').selectAll().where('id', '=', id).executeTakeFirst()
}

/**
 * A flavor with its profile's provider and data, or undefined. With
 * `lockIn: 'postgres'` or `'mysql'` the rows are share-locked until the caller's
 * transaction ends, so a concurrent flavor delete waits (see deleteUnusedFlavor);
 * SQLite serialises writers anyway.
 */
export async function findFlavorWithProfile(db: Executor, id: string, lockIn?: Dialect): Promise<FlavorWithProfile | undefined> {
  let q = db.selectFrom('flavor').innerJoin('flavor_profile', 'flavor_profile.id', 'flavor.flavor_profile_id')
    .selectAll('flavor')
    .select(['flavor_profile.provider_name as profile_provider_name', 'flavor_profile.flavor_data as profile_flavor_data'])
    .where('flavor.id', '=', id)
  if (lockIn === 'postgres') q = q.forShare()
  // NOTE: MariaDB has no FOR SHARE; LOCK IN SHARE MODE is the same lock.
  if (lockIn === 'mysql') q = q.modifyEnd(sql`LOCK IN SHARE MODE`)
  const row = await q.executeTakeFirst()
  if (!row) return undefined
  const { profile_provider_name: providerName, profile_flavor_data: flavorData, ...flavor } = row
  return { flavor, providerName, flavorData }
}

/** A page of flavors (limit + 1 when limited), oldest first by default. */
export async function listFlavors(db: Executor, spec: ListSpec): Promise<FlavorRow[]> {
  const q = db.selectFrom('flavor').selectAll().where('id', '!=', NIL_UUID)
  return applyListSpec(q, 'flavor', spec).execute()
}

/** Inserts a flavor; false when its name is taken. Throws the foreign-key error for an unknown profile. */
export async function insertFlavor(db: Executor, row: FlavorRow): Promise<boolean> {
  try {
    await db.insertInto('flavor').values(row).execute()
    return true
  } catch (err) {
    if (isUniqueViolation(err)) return false
    throw err
  }
}

/** Applies a patch of name, description, enabled; false when the new name is taken. */
export async function updateFlavor(
  db: Executor, id: string, patch: Partial<Pick<FlavorRow, 'name' | 'description' | 'enabled'>>,
): Promise<boolean> {
  if (Object.keys(patch).length === 0) return true
  try {
    await db.updateTable('flavor').set(patch).where('id', '=', id).execute()
    return true
  } catch (err) {
    if (isUniqueViolation(err)) return false
    throw err
  }
}

/** Deletes it unless a load balancer (not DELETED) uses it (see deleteUnlessUsedByLoadBalancers). */
export const deleteUnusedFlavor = (db: Kysely<DB>, id: string): Promise<'deleted' | 'missing' | 'in_use'> =>
  deleteUnlessUsedByLoadBalancers(db, { table: 'flavor', key: id })
