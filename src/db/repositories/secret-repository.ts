import type { Executor } from '../database.js'
import type { SecretRow } from '../schema.js'

/** Filters of a secret list (Barbican's: `name`, `alg` and `mode` are SQL LIKE patterns). */
export interface SecretFilters {
  readonly name?: string
  readonly algorithm?: string
  readonly mode?: string
  readonly bitLength?: number
  readonly secretType?: string
}

/** One page of a list and the number of rows of every page. */
export interface Page<T> {
  readonly rows: T[]
  readonly total: number
}

export async function insertSecret(db: Executor, row: SecretRow): Promise<void> {
  await db.insertInto('secret').values(row).execute()
}

/** The secret `id` of any project unless it expired before `now` (ISO text), as Barbican's look-up; else undefined. */
export async function findSecret(db: Executor, id: string, now: string): Promise<SecretRow | undefined> {
  return db.selectFrom('secret').selectAll().where('id', '=', id)
    .where(eb => eb.or([eb('expiration', 'is', null), eb('expiration', '>', now)]))
    .executeTakeFirst()
}

/** A page of a project's unexpired secrets, oldest first, and their total. */
export async function listSecrets(
  db: Executor, projectId: string, filters: SecretFilters, page: { offset: number; limit: number }, now: string,
): Promise<Page<SecretRow>> {
  let q = db.selectFrom('secret').where('project_id', '=', projectId)
    .where(eb => eb.or([eb('expiration', 'is', null), eb('expiration', '>', now)]))
  if (filters.name) q = q.where('name', 'like', filters.name)
  if (filters.algorithm) q = q.where('algorithm', 'like', filters.algorithm)
  if (filters.mode) q = q.where('mode', 'like', filters.mode)
  if (filters.bitLength) q = q.where('bit_length', '=', filters.bitLength)
  if (filters.secretType) q = q.where('secret_type', '=', filters.secretType)
  const counted = await q.select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirst()
  const rows = await q.selectAll().orderBy('created_at').orderBy('id').limit(page.limit).offset(page.offset).execute()
  return { rows, total: Number(counted?.n ?? 0) }
}

/**
 * Stores the payload of a secret that has none (the second step of a
 * two-step store); false when it has one already (or is gone), so that two
 * concurrent PUTs cannot both win.
 */
export async function setSecretPayload(
  db: Executor, id: string,
  payload: Pick<SecretRow, 'payload_sealed' | 'payload_content_type' | 'payload_content_encoding' | 'updated_at'>,
): Promise<boolean> {
  const res = await db.updateTable('secret').set(payload).where('id', '=', id).where('payload_sealed', 'is', null).executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

/**
 * Deletes a secret and, as Barbican does, every container's reference to it
 * (the containers stay). Run it in a transaction. False when there was none.
 */
export async function deleteSecret(db: Executor, id: string): Promise<boolean> {
  await db.deleteFrom('container_secret').where('secret_id', '=', id).execute()
  const res = await db.deleteFrom('secret').where('id', '=', id).executeTakeFirst()
  return Number(res.numDeletedRows) === 1
}
