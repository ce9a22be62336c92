import type { Kysely } from 'kysely'
import { speaksMysql } from '../executor-dialect.js'

/**
 * MySQL/MariaDB only (a no-op on SQLite and PostgreSQL): `ipam_lock`, one
 * row per subnet that the local IPAM locks (`INSERT … ON DUPLICATE KEY
 * UPDATE`, an exclusive row lock until commit) before placing a port, so
 * allocators of one subnet take turns. Without it, concurrent allocators
 * deadlock on InnoDB: duplicate-key checks leave shared gap locks, into
 * which the others' inserts then wait.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!speaksMysql(db)) return
  await db.schema.createTable('ipam_lock').addColumn('subnet_id', 'varchar(36)', c => c.primaryKey()).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!speaksMysql(db)) return
  await db.schema.dropTable('ipam_lock').ifExists().execute()
}
