import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import BetterSqlite3 from 'better-sqlite3'
import type { FastifyInstance } from 'fastify'
import { Kysely, SqliteDialect } from 'kysely'
import { buildApi } from '../../src/api/app.js'
import type { ApiDeps } from '../../src/api/deps.js'
import { openDatabase, type Database, type Dialect } from '../../src/db/database.js'
import type { DB } from '../../src/db/schema.js'
import { startHarness, type Harness } from '../support/api-harness.js'
import { freshDatabase, testDialects } from '../support/databases.js'

const REQ_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const UNAVAILABLE = 'The Octavia database is unavailable.'

/** A SQLite database on `path` that opens lazily and fails while the file does not exist. */
function sqliteOnFile(path: string): Database {
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: async () => new BetterSqlite3(path, { fileMustExist: true }) }) })
  return { db, dialect: 'sqlite', close: () => db.destroy() }
}

/** A database whose every query fails: SQLite on a missing file, or PostgreSQL or MariaDB on a port nobody listens on. */
function unreachableDatabase(dialect: Dialect): Database {
  if (dialect === 'postgres') return openDatabase('postgresql://postgres@127.0.0.1:1/octavia_unreachable')
  if (dialect === 'mysql') return openDatabase('mysql+pymysql://root@127.0.0.1:1/octavia_unreachable')
  return sqliteOnFile(join(tmpdir(), `octavia-missing-${process.pid}`, 'none.db'))
}

/** A working database and a way to make it unreachable (and to clean up after). */
async function vanishingDatabase(dialect: Dialect): Promise<{ database: Database; vanish(): Promise<void>; cleanup(): Promise<void> }> {
  if (dialect !== 'sqlite') {
    const fresh = await freshDatabase(dialect)
    return { database: fresh.database, vanish: () => fresh.database.close(), cleanup: () => fresh.drop() }
  }
  const dir = mkdtempSync(join(tmpdir(), 'octavia-hc-db-'))
  const path = join(dir, 'octavia.db')
  new BetterSqlite3(path).close()
  const database = sqliteOnFile(path)
  return {
    database,
    vanish: async () => {
      await database.close()
      rmSync(path)
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** Another API over the harness's dependencies with some configuration groups replaced. */
async function apiWith(h: Harness, change: { healthcheck?: Partial<ApiDeps['config']['healthcheck']>; api_settings?: Partial<ApiDeps['config']['api_settings']>; database?: Database }): Promise<FastifyInstance> {
  const config = {
    ...h.config,
    api_settings: { ...h.config.api_settings, healthcheck_enabled: true, ...change.api_settings },
    healthcheck: { ...h.config.healthcheck, ...change.healthcheck },
  }
  const app = buildApi({ ...h.deps, config, database: change.database ?? h.deps.database })
  await app.ready()
  return app
}

for (const dialect of testDialects) {
  describe(`healthcheck (${dialect})`, () => {
    let h: Harness
    let disabled: Harness
    before(async () => {
      h = await startHarness(dialect, { api_settings: { healthcheck_enabled: 'true' } })
      disabled = await startHarness(dialect)
    })
    after(async () => {
      await h.close()
      await disabled.close()
    })

    it('when healthcheck_enabled is false (the default), then GET and HEAD are 404', async () => {
      assert.equal((await disabled.request('GET', '/healthcheck')).status, 404)
      assert.equal((await disabled.request('HEAD', '/healthcheck')).status, 404)
      assert.equal((await disabled.request('GET', '/healthcheck', undefined, { accept: 'text/html' })).status, 404)
    })

    it('when enabled and the database answers, then GET is 200 "OK" in text/plain with a request id', async () => {
      for (const path of ['/healthcheck', '/load-balancer/healthcheck']) {
        const r = await h.request('GET', path)
        assert.equal(r.status, 200)
        assert.equal(r.body, 'OK')
        assert.equal(r.headers['content-type'], 'text/plain; charset=UTF-8')
        assert.match(String(r.headers['x-openstack-request-id']), REQ_ID)
      }
    })

    it('when HEAD, then 204 without a body', async () => {
      const r = await h.request('HEAD', '/healthcheck')
      assert.equal(r.status, 204)
      assert.equal(r.body, null)
    })

    it('when Accept asks for JSON, then {"detailed": false, "reasons": ["OK"]}', async () => {
      const r = await h.request('GET', '/healthcheck', undefined, { accept: 'application/json' })
      assert.equal(r.status, 200)
      assert.match(String(r.headers['content-type']), /^application\/json/)
      assert.deepEqual(r.body, { detailed: false, reasons: ['OK'] })
    })

    it('when Accept weighs the types, then the best acceptable one wins and an unknown type gets text/plain (never 406)', async () => {
      const json = await h.request('GET', '/healthcheck', undefined, { accept: 'text/html;q=0.5, application/json' })
      assert.deepEqual(json.body, { detailed: false, reasons: ['OK'] })
      const html = await h.request('GET', '/healthcheck', undefined, { accept: 'text/html' })
      assert.equal(html.headers['content-type'], 'text/html; charset=UTF-8')
      assert.match(html.body, /<H2>Result of 1 checks:<\/H2>/)
      assert.match(html.body, /<TD>OK<\/TD>/)
      const other = await h.request('GET', '/healthcheck', undefined, { accept: 'image/png' })
      assert.equal(other.status, 200)
      assert.equal(other.body, 'OK')
    })

    it('when another method is used, then 405', async () => {
      for (const method of ['POST', 'PUT', 'DELETE']) {
        assert.equal((await h.request(method, '/healthcheck', { foo: 'bar' })).status, 405, method)
      }
    })

    it('when detailed, then JSON reasons carry class and details, and HTML shows the server status', async () => {
      const app = await apiWith(h, { healthcheck: { detailed: true } })
      try {
        const r = await app.inject({ method: 'GET', url: '/healthcheck', headers: { accept: 'application/json' } })
        const body = r.json()
        assert.equal(body.detailed, true)
        assert.deepEqual(body.reasons, [{ class: 'OctaviaDBCheckResult', details: '', reason: 'OK' }])
        assert.match(body.now, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/)
        assert.equal(typeof body.platform, 'string')
        const html = await app.inject({ method: 'GET', url: '/healthcheck', headers: { accept: 'text/html' } })
        assert.match(html.body, /<H1>Server status<\/H1>/)
        assert.match(html.body, /<TD>OctaviaDBCheckResult<\/TD>/)
        const text = await app.inject({ method: 'GET', url: '/healthcheck' })
        assert.equal(text.body, 'OK')
      } finally {
        await app.close()
      }
    })

    it('when the database is unreachable, then 503 with Octavia\'s reason (text, JSON, detailed JSON, HEAD)', async () => {
      const broken = unreachableDatabase(dialect)
      const app = await apiWith(h, { database: broken, healthcheck: { detailed: false } })
      const detailedApp = await apiWith(h, { database: broken, healthcheck: { detailed: true } })
      try {
        const text = await app.inject({ method: 'GET', url: '/healthcheck' })
        assert.equal(text.statusCode, 503)
        assert.equal(text.body, UNAVAILABLE)
        assert.match(String(text.headers['x-openstack-request-id']), REQ_ID)
        assert.equal((await app.inject({ method: 'HEAD', url: '/healthcheck' })).statusCode, 503)
        const json = await app.inject({ method: 'GET', url: '/healthcheck', headers: { accept: 'application/json' } })
        assert.deepEqual(json.json(), { detailed: false, reasons: [UNAVAILABLE] })
        const detailed = (await detailedApp.inject({ method: 'GET', url: '/healthcheck', headers: { accept: 'application/json' } })).json()
        assert.equal(detailed.reasons[0].class, 'OctaviaDBCheckResult')
        assert.equal(detailed.reasons[0].reason, UNAVAILABLE)
        assert.match(detailed.reasons[0].details, /^Database health check failed due to: .+\.$/)
      } finally {
        await app.close()
        await detailedApp.close()
        await broken.close()
      }
    })

    it('when the database goes away, then the last result is reused for healthcheck_refresh_interval seconds', async () => {
      const target = await vanishingDatabase(dialect)
      const app = await apiWith(h, { database: target.database, api_settings: { healthcheck_refresh_interval: 2 } })
      try {
        const start = Date.now()
        assert.equal((await app.inject({ method: 'GET', url: '/healthcheck' })).statusCode, 200)
        await target.vanish()
        const cached = await app.inject({ method: 'GET', url: '/healthcheck' })
        if (Date.now() - start < 2000) assert.equal(cached.statusCode, 200)
        await new Promise(r => setTimeout(r, Math.max(0, 2100 - (Date.now() - start))))
        const r = await app.inject({ method: 'GET', url: '/healthcheck' })
        assert.equal(r.statusCode, 503)
        assert.equal(r.body, UNAVAILABLE)
      } finally {
        await app.close()
        await target.cleanup()
      }
    })

    it('when the disable_by_file backend finds its file, then 503 "DISABLED BY FILE" after the database\'s OK', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'octavia-hc-'))
      const path = join(dir, 'disable')
      const app = await apiWith(h, { healthcheck: { backends: ['octavia_db_check', 'disable_by_file'], disable_by_file_path: path } })
      try {
        assert.equal((await app.inject({ method: 'GET', url: '/healthcheck' })).body, 'OK\nOK')
        writeFileSync(path, '')
        const r = await app.inject({ method: 'GET', url: '/healthcheck', headers: { accept: 'application/json' } })
        assert.equal(r.statusCode, 503)
        assert.deepEqual(r.json(), { detailed: false, reasons: ['OK', 'DISABLED BY FILE'] })
      } finally {
        await app.close()
        rmSync(dir, { recursive: true, force: true })
      }
    })
  })
}
