import { conflict } from '../../common/errors.js'
import { nowIso } from '../../common/time.js'
import type { Executor } from '../database.js'
import { applyListSpec, type ListSpec } from '../list-query.js'
import type { MemberRow } from '../schema.js'

/** Columns a member write may change (identity, pool and timestamps excluded). */
export type MemberPatch = Partial<Omit<MemberRow, 'id' | 'pool_id' | 'created_at' | 'updated_at'>>

/** 409 `Another member on this pool is already using ip <ip> on protocol_port <p>` */
export const duplicateMember = (ip: string, port: number) =>
  conflict(`Another member on this pool is already using ip ${ip} on protocol_port ${port}`, 'duplicate_member')

/** One member, or undefined (also for a DELETED row). */
export async function findMember(db: Executor, id: string): Promise<MemberRow | undefined> {
  const row = await db.selectFrom('member').selectAll().where('id', '=', id).executeTakeFirst()
  return row && row.provisioning_status !== 'DELETED' ? row : undefined
}

/** The member of a pool at (address, port), if any. */
export async function findMemberByEndpoint(db: Executor, poolId: string, ip: string, port: number): Promise<MemberRow | undefined> {
  return db.selectFrom('member').selectAll()
    .where('pool_id', '=', poolId).where('ip_address', '=', ip).where('protocol_port', '=', port)
    .executeTakeFirst()
}

/** All members of a pool, oldest first. */
export async function membersOfPool(db: Executor, poolId: string): Promise<MemberRow[]> {
  return db.selectFrom('member').selectAll().where('pool_id', '=', poolId)
    .where('provisioning_status', '!=', 'DELETED').orderBy('created_at').orderBy('id').execute()
}

/** A page of a pool's members (fetches `limit + 1` rows: see applyListSpec). */
export async function listMembers(db: Executor, poolId: string, spec: ListSpec): Promise<MemberRow[]> {
  const q = db.selectFrom('member').selectAll().where('member.pool_id', '=', poolId)
    .where('member.provisioning_status', '!=', 'DELETED')
  return applyListSpec(q, 'member', spec).execute()
}

/**
 * Inserts a member row. The unique (pool, address, port) index backs the
 * caller's duplicate check: a concurrent insert of the same endpoint becomes
 * Octavia's 409 instead of a 500.
 */
export async function insertMemberRow(tx: Executor, row: MemberRow): Promise<void> {
  try {
    await tx.insertInto('member').values(row).execute()
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateMember(row.ip_address, row.protocol_port)
    throw err
  }
}

/** Applies a patch and stamps updated_at. */
export async function updateMemberRow(tx: Executor, id: string, patch: MemberPatch): Promise<void> {
  await tx.updateTable('member').set({ ...patch, updated_at: nowIso() }).where('id', '=', id).execute()
}

/** Unique-constraint violation on SQLite (better-sqlite3) or PostgreSQL (pg). */
function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505'
}
