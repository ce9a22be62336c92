import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openDatabase, type Database, type Dialect } from '../../src/db/database.js'
import { migrateToLatest } from '../../src/db/migrate.js'

/** PostgreSQL server for tests (trust auth on loopback here and in CI). */
export const PG_ADMIN_URL = process.env.OCTAVIA_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'

/** Dialects every component test runs on; OCTAVIA_TEST_DIALECTS=sqlite limits them. */
export const testDialects: readonly Dialect[] =
  (process.env.OCTAVIA_TEST_DIALECTS?.split(',') as Dialect[] | undefined) ?? ['sqlite', 'postgres']

/**
 * A fresh, migrated database: SQLite in memory, or a new PostgreSQL database
 * that `drop()` removes. Each test file gets its own, so files run in parallel.
 */
export async function freshDatabase(dialect: Dialect): Promise<{ database: Database; url: string; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const database = openDatabase('sqlite://')
    await migrateToLatest(database.db)
    return { database, url: 'sqlite://', drop: () => database.close() }
  }
  const name = `octavia_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`)
  const database = openDatabase(url)
  await migrateToLatest(database.db)
  return {
    database, url,
    drop: async () => {
      await database.close()
      const c = new pg.Client({ connectionString: PG_ADMIN_URL })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    },
  }
}
