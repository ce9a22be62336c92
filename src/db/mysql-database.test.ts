import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createConnection } from 'mysql2/promise'
import { sql } from 'kysely'
import { openDatabase, selectOne, type Database } from './database.js'
import { migrateToLatest } from './migrate.js'
import { mysqlPoolOptions } from './mysql-database.js'
import { MYSQL_ADMIN_URL, freshDatabase, testDialects } from '../../test/support/databases.js'

const withMysql = { skip: !testDialects.includes('mysql') && 'mysql is not among OCTAVIA_TEST_DIALECTS' }

test('when an Octavia MySQL URL is given, then user, password, host, port, database and the socket are understood', () => {
  const o = mysqlPoolOptions('mysql+pymysql://octavia:s%40cr%2Fet@db.example:3307/octavia?charset=utf8')
  assert.deepEqual([o.user, o.password, o.host, o.port, o.database, o.socketPath], ['octavia', 's@cr/et', 'db.example', 3307, 'octavia', undefined])
  const s = mysqlPoolOptions('mariadb://octavia@localhost/octavia?unix_socket=/run/mysqld/mysqld.sock')
  assert.deepEqual([s.user, s.password, s.port, s.database, s.socketPath], ['octavia', undefined, 3306, 'octavia', '/run/mysqld/mysqld.sock'])
})

test('when a URL is refused, then its password is not in the error', () => {
  assert.throws(() => openDatabase('oracle://octavia:hunter2@db/octavia'), (err: Error) =>
    err.message.includes("'oracle://***@db/octavia'") && !err.message.includes('hunter2'))
  assert.throws(() => mysqlPoolOptions('mysql://octavia:hunter2@[bad/octavia'), (err: Error) => !err.message.includes('hunter2'))
})

test('when MariaDB refuses the credentials, then the error does not carry the password', withMysql, async () => {
  const database = openDatabase('mysql+pymysql://octavia_nobody:hunter2@127.0.0.1:3306/octavia')
  try {
    await assert.rejects(selectOne(database.db), (err: Error) => /access denied/i.test(err.message) && !String(err.stack).includes('hunter2'))
  } finally {
    await database.close()
  }
})

test('when a database defaults to a case-insensitive collation, then migrating makes its text binary (as on SQLite and PostgreSQL)', withMysql, async () => {
  const name = `octavia_test_${randomBytes(6).toString('hex')}`
  await admin(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`)
  const url = new URL(MYSQL_ADMIN_URL)
  url.pathname = `/${name}`
  const database = openDatabase(url.toString())
  try {
    await migrateToLatest(database.db)
    await database.db.insertInto('tag').values([{ resource_id: 'r', tag: 'Red' }, { resource_id: 'r', tag: 'red' }]).execute()
    const rows = await database.db.selectFrom('tag').select('tag').where('tag', '=', 'red').execute()
    assert.deepEqual(rows, [{ tag: 'red' }])
    const reference = await freshDatabase('mysql')
    try {
      const keys = await foreignKeysOf(database)
      assert.ok(keys.length >= 10, `the schema's foreign keys: ${keys.length}`)
      assert.deepEqual(keys, await foreignKeysOf(reference.database), 'every foreign key is back')
    } finally {
      await reference.drop()
    }
  } finally {
    await database.close()
    await admin(`DROP DATABASE IF EXISTS ${name}`)
  }
})

async function admin(statement: string): Promise<void> {
  const u = new URL(MYSQL_ADMIN_URL)
  const c = await createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) })
  try { await c.query(statement) } finally { await c.end() }
}

/** Name, table, referenced table and rules of every foreign key, in a stable order. */
async function foreignKeysOf(database: Database): Promise<unknown[]> {
  const { rows } = await sql`SELECT constraint_name, table_name, referenced_table_name, delete_rule, update_rule
    FROM information_schema.referential_constraints WHERE constraint_schema = DATABASE()
    ORDER BY table_name, constraint_name`.execute(database.db)
  return rows
}
