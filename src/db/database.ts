import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely'
import type { DB } from './schema.js'
import { openMysql, redactUrl } from './mysql-database.js'

export type Dialect = 'sqlite' | 'postgres' | 'mysql'

/** The database handle every repository takes: Kysely plus the dialect it speaks. */
export interface Database {
  readonly db: Kysely<DB>
  readonly dialect: Dialect
  close(): Promise<void>
}

/** Either the root handle or an open transaction; repositories accept both. */
export type Executor = Kysely<DB> | Transaction<DB>

/** Runs `SELECT 1` (the API's database healthcheck); rejects when the database cannot answer. Reads and writes nothing. */
export async function selectOne(db: Executor): Promise<void> {
  await sql`SELECT 1`.execute(db)
}

/**
 * Opens a database from an SQLAlchemy-style URL, as in octavia.conf:
 * `sqlite:///relative.db`, `sqlite:////absolute.db`, `sqlite://` (memory),
 * `postgresql://user:pass@host:port/db`, `mysql://user:pass@host:port/db`
 * or `mariadb://…` (a `+driver` suffix such as `+pymysql` is ignored).
 */
export function openDatabase(url: string): Database {
  const scheme = url.slice(0, url.indexOf(':')).split('+')[0]
  if (scheme === 'sqlite') return openSqlite(url)
  if (scheme === 'postgresql' || scheme === 'postgres') return openPostgres(url.replace(/^[^:]+:/, 'postgresql:'))
  if (scheme === 'mysql' || scheme === 'mariadb') return openMysql(url)
  throw new Error(`unsupported [database] connection '${redactUrl(url)}': use sqlite:///, postgresql:// or mysql+pymysql://`)
}

function openSqlite(url: string): Database {
  const rest = url.replace(/^sqlite(\+\w+)?:\/\//, '')
  const path = rest === '' || rest === '/' ? ':memory:' : rest.startsWith('//') ? rest.slice(1) : resolve(rest.slice(1))
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const sqlite = new BetterSqlite3(path)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('synchronous = NORMAL')
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) })
  return { db, dialect: 'sqlite', close: () => db.destroy() }
}

function openPostgres(url: string): Database {
  // NOTE: bigint columns come back as strings from pg by default; counters fit in a JS number.
  pg.types.setTypeParser(20, v => Number(v))
  const pool = new pg.Pool({ connectionString: url, max: 10 })
  // NOTE: an idle (or closing) client whose server connection dies makes the pool emit 'error';
  // unheard, that would crash the process. The pool already dropped the client; the next query reconnects.
  pool.on('error', () => {})
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  return { db, dialect: 'postgres', close: () => db.destroy() }
}
