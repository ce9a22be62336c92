import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { PG_ADMIN_URL } from '../../support/databases.js'

/** An empty PostgreSQL database for a service under test (the service migrates it). */
export interface ScratchPgDatabase {
  /** `postgresql://…/octavia_e2e_<hex>`, for `[database] connection`. */
  readonly url: string
  /** Drops the database, closing any connection left (e.g. of a killed service). */
  drop(): Promise<void>
}

const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL })
  await c.connect()
  try { return await fn(c) } finally { await c.end() }
}

/** Creates an empty database on the test PostgreSQL server (127.0.0.1:5432). */
export async function createScratchPgDatabase(): Promise<ScratchPgDatabase> {
  const name = `octavia_e2e_${randomBytes(6).toString('hex')}`
  await admin(c => c.query(`CREATE DATABASE ${name}`))
  return {
    url: PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`),
    drop: () => admin(c => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  }
}
