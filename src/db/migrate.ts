import { Migrator, type Kysely, type Migration } from 'kysely'
import * as initial from './migrations/0001-initial.js'
import * as quotasFlavorsAzs from './migrations/0002-quotas-flavors-azs.js'
import * as amphoraHealth from './migrations/0003-amphora-health.js'
import * as secretStore from './migrations/0004-secret-store.js'
import * as mysqlBinaryCollation from './migrations/0005-mysql-binary-collation.js'
import * as mysqlIpamLock from './migrations/0006-mysql-ipam-lock.js'

/** Every migration, in order. Add new files here; never edit a released one. */
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-quotas-flavors-azs': quotasFlavorsAzs,
  '0003-amphora-health': amphoraHealth,
  '0004-secret-store': secretStore,
  '0005-mysql-binary-collation': mysqlBinaryCollation,
  '0006-mysql-ipam-lock': mysqlIpamLock,
}

/** Brings the schema to the newest version. Idempotent; throws on a failed step. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'octavia_ts_migration',
    migrationLockTableName: 'octavia_ts_migration_lock',
  })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw new Error(`database migration failed: ${(error as Error).message ?? error}`, { cause: error })
  return (results ?? []).filter(r => r.status === 'Success').map(r => r.migrationName)
}
