import { createPool, type PoolOptions } from 'mysql2'
import { Kysely, MysqlDialect } from 'kysely'
import type { Database } from './database.js'
import type { DB } from './schema.js'

/**
 * The mysql2 pool options of an SQLAlchemy-style MySQL/MariaDB URL, as
 * Octavia users write them: `mysql+pymysql://user:pass@host:port/db?charset=utf8`
 * (any `mysql` or `mariadb` scheme, any `+driver`). Understood query options:
 * `unix_socket` (a socket path instead of host and port); `charset` is
 * accepted and ignored, since the connection always speaks utf8mb4 (a
 * superset of `utf8`). Throws, without the password, on a malformed URL.
 */
export function mysqlPoolOptions(url: string): PoolOptions {
  let parsed: URL
  try {
    parsed = new URL(url.replace(/^[^:]+:/, 'mysql:'))
  } catch {
    throw new Error(`malformed [database] connection '${redactUrl(url)}'`)
  }
  const socketPath = parsed.searchParams.get('unix_socket') ?? undefined
  return {
    host: parsed.hostname || 'localhost',
    port: parsed.port ? Number(parsed.port) : 3306,
    ...(socketPath ? { socketPath } : {}),
    user: decodeURIComponent(parsed.username) || undefined,
    password: decodeURIComponent(parsed.password) || undefined,
    database: decodeURIComponent(parsed.pathname.slice(1)) || undefined,
    charset: 'utf8mb4_general_ci',
    // NOTE: counters (bigint) fit in a JS number; DECIMAL sums come back as numbers too.
    supportBigNumbers: false,
    decimalNumbers: true,
    connectionLimit: 10,
  }
}

/**
 * Opens MySQL/MariaDB through Kysely's MysqlDialect on a mysql2 pool.
 * mysql2 connects with CLIENT_FOUND_ROWS, so an UPDATE reports the rows it
 * matched (as SQLite and PostgreSQL do), which the status guards rely on.
 * Every connection runs READ COMMITTED, PostgreSQL's default: a read after
 * a lock (the quota row, a guarded status) sees what the previous holder
 * committed, where InnoDB's REPEATABLE READ would show the transaction's
 * first snapshot.
 */
export function openMysql(url: string): Database {
  const pool = createPool(mysqlPoolOptions(url))
  pool.on('connection', conn => {
    // NOTE: as for pg, a dropped idle connection must not crash the process; the pool reconnects.
    conn.on('error', () => {})
    conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED')
  })
  const db = new Kysely<DB>({ dialect: new MysqlDialect({ pool }) })
  return { db, dialect: 'mysql', close: () => db.destroy() }
}

/** The URL with its user and password replaced by `***` (for errors and logs). */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@]*@/, '//***@')
}
