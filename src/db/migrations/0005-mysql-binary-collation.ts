import { sql, type Kysely } from 'kysely'
import { speaksMysql } from '../executor-dialect.js'
import { withoutForeignKeys } from './mysql-foreign-keys.js'

/** The collation that compares and sorts text by code point, as SQLite and PostgreSQL (C collation) do here. */
const BINARY = 'utf8mb4_bin'

/**
 * MySQL/MariaDB only (a no-op on SQLite and PostgreSQL): makes every table's
 * text binary-collated utf8mb4. The server's default (`utf8mb4_general_ci`
 * on Debian) compares case-insensitively and sorts punctuation apart from
 * code points, so names, tags, filters, sorting and unique keys would behave
 * differently from the other two dialects. Tables created in a database that
 * already defaults to it are skipped; the database's default changes too, for
 * tables of later migrations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!speaksMysql(db)) return
  await convert(db, BINARY)
}

/** Back to the server's usual utf8mb4 collation. */
export async function down(db: Kysely<unknown>): Promise<void> {
  if (!speaksMysql(db)) return
  await convert(db, 'utf8mb4_general_ci')
}

/**
 * Sets the database's default collation and converts the tables not yet in
 * it, their foreign keys dropped meanwhile (MariaDB refuses to change the
 * collation of a key column otherwise).
 */
async function convert(db: Kysely<unknown>, collation: string): Promise<void> {
  await sql`ALTER DATABASE CHARACTER SET utf8mb4 COLLATE ${sql.raw(collation)}`.execute(db)
  const tables = await tablesNotIn(db, collation)
  if (tables.length === 0) return
  await withoutForeignKeys(db, async () => {
    for (const table of tables) {
      await sql`ALTER TABLE ${sql.table(table)} CONVERT TO CHARACTER SET utf8mb4 COLLATE ${sql.raw(collation)}`.execute(db)
    }
  })
}

/** The current database's octavia tables (not the migrator's own) whose collation is not `collation`. */
async function tablesNotIn(db: Kysely<unknown>, collation: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'
      AND table_name NOT LIKE 'octavia\_ts\_migration%' AND table_collation <> ${collation}`.execute(db)
  return rows.map(r => r.name)
}
