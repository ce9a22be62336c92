import { randomBytes } from 'node:crypto'
import { createConnection } from 'mysql2/promise'
import { MYSQL_ADMIN_URL } from '../../support/databases.js'

/** An empty MariaDB database for a service under test (the service migrates it). */
export interface ScratchMysqlDatabase {
  /** `mysql+pymysql://root@127.0.0.1:3306/octavia_e2e_<hex>`, for `[database] connection`. */
  readonly url: string
  /** Drops the database. */
  drop(): Promise<void>
}

const admin = async (statement: string): Promise<void> => {
  const u = new URL(MYSQL_ADMIN_URL)
  const c = await createConnection({
    host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password),
  })
  try { await c.query(statement) } finally { await c.end() }
}

/**
 * Creates an empty database on the test MariaDB server (127.0.0.1:3306), in
 * the server's default collation, as an operator's `CREATE DATABASE octavia`
 * would (migration 0005 makes its tables binary-collated).
 */
export async function createScratchMysqlDatabase(): Promise<ScratchMysqlDatabase> {
  const name = `octavia_e2e_${randomBytes(6).toString('hex')}`
  await admin(`CREATE DATABASE ${name}`)
  const url = new URL(MYSQL_ADMIN_URL)
  url.pathname = `/${name}`
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name}`) }
}
