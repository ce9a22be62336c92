import type { Kysely } from 'kysely'

/**
 * `amphora_health` (Octavia's table of the same name): one row per amphora
 * that has sent at least one accepted heartbeat. `last_update` is the
 * receive time of the newest accepted heartbeat in epoch milliseconds (a
 * bigint, so "older than the timeout" is one integer comparison that reads
 * the same on SQLite and PostgreSQL, unlike text or timestamp columns);
 * `busy` (0/1) is set by the health manager that claimed the amphora for a
 * failover, so that no other one claims it again. No foreign key to
 * `amphora`, as in Octavia: the failover and delete flows remove the row,
 * housekeeping purges rows left without an amphora. The index serves the
 * stale scan (busy = 0 AND last_update < cutoff).
 *
 * `listener_statistics.last_seq`: the seq of the newest heartbeat whose
 * counter deltas the row includes. Agents send every heartbeat to every
 * health manager; a delta is added only by the first one to write it (its
 * seq is higher than the row's), so health managers sharing a database
 * never count it twice.
 *
 * `member_pool_idx`: the health manager reads the members of a batch's load
 * balancers through their pools every second (`member` had no index on
 * `pool_id`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('amphora_health')
    .addColumn('amphora_id', 'varchar(36)', c => c.primaryKey())
    .addColumn('last_update', 'bigint', c => c.notNull())
    .addColumn('busy', 'integer', c => c.notNull().defaultTo(0))
    .execute()
  await db.schema.createIndex('amphora_health_stale_idx').on('amphora_health').columns(['busy', 'last_update']).execute()
  await db.schema.alterTable('listener_statistics').addColumn('last_seq', 'bigint', c => c.notNull().defaultTo(0)).execute()
  await db.schema.createIndex('member_pool_idx').on('member').column('pool_id').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('member_pool_idx').ifExists().execute()
  await db.schema.alterTable('listener_statistics').dropColumn('last_seq').execute()
  await db.schema.dropTable('amphora_health').ifExists().execute()
}
