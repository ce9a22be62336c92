import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { silentLogger } from '../../src/common/logging.js'
import { DatabaseCleanup } from '../../src/housekeeping/db-cleanup.js'
import type { Database } from '../../src/db/database.js'
import { freshDatabase, testDialects } from '../support/databases.js'

const DAY = 86400
const NOW = new Date('2026-11-25T12:00:00.000Z')
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString().slice(0, 23)
const settings = {
  cleanup_interval: 30, load_balancer_expiry_age: 7 * DAY, amphora_expiry_age: 7 * DAY, job_expiry_age: DAY,
  cert_interval: 3600, cert_expiry_buffer: 14 * DAY, cert_rotate_threads: 10, remove_orphan_amphorae: true, orphan_interval: 60,
}

async function lb(database: Database, id: string, status: string, updated: string): Promise<void> {
  await database.db.insertInto('load_balancer').values({
    id, project_id: 'p', name: null, description: null, provisioning_status: status, operating_status: 'OFFLINE',
    enabled: 1, topology: 'SINGLE', provider: 'noop_driver', flavor_id: null, availability_zone: null,
    created_at: ago(30 * DAY), updated_at: updated,
  }).execute()
}

async function amphora(database: Database, id: string, lbId: string, status: string, updated: string): Promise<void> {
  await database.db.insertInto('amphora').values({
    id, load_balancer_id: lbId, compute_id: null, status, lb_network_ip: null, vrrp_ip: null, ha_ip: null,
    vrrp_port_id: null, ha_port_id: null, role: 'STANDALONE', cert_expiration: null, cert_busy: 0,
    vrrp_interface: null, vrrp_id: null, vrrp_priority: null, cached_zone: null, image_id: null,
    compute_flavor: null, created_at: ago(30 * DAY), updated_at: updated,
  }).execute()
}

async function job(database: Database, id: string, state: string, updated: string): Promise<void> {
  await database.db.insertInto('job').values({
    id, operation: 'loadbalancer_create', provider: 'noop_driver', load_balancer_id: null, payload: '{}', state,
    step: 0, results: '{}', attempts: 0, lease_owner: null, lease_expires_at: null, error: null,
    created_at: ago(30 * DAY), updated_at: updated,
  }).execute()
}

const ids = async (database: Database, table: 'load_balancer' | 'amphora' | 'job') =>
  (await database.db.selectFrom(table).select('id').orderBy('id').execute()).map(r => r.id)

for (const dialect of testDialects) {
  describe(`housekeeping database cleanup (${dialect})`, () => {
    let db: Awaited<ReturnType<typeof freshDatabase>>
    before(async () => { db = await freshDatabase(dialect) })
    after(async () => { await db.drop() })

    it('when rows are past their expiry age, then exactly the expired DELETED and finished ones are purged', async () => {
      const d = db.database
      await lb(d, 'lb-old-deleted', 'DELETED', ago(8 * DAY))
      await lb(d, 'lb-recent-deleted', 'DELETED', ago(DAY))
      await lb(d, 'lb-old-active', 'ACTIVE', ago(8 * DAY))
      await lb(d, 'lb-old-deleted-kept-amp', 'DELETED', ago(8 * DAY))
      await amphora(d, 'amp-old-deleted', 'lb-old-deleted', 'DELETED', ago(8 * DAY))
      await amphora(d, 'amp-recent-deleted', 'lb-old-deleted-kept-amp', 'DELETED', ago(DAY))
      await amphora(d, 'amp-old-allocated', 'lb-old-active', 'ALLOCATED', ago(8 * DAY))
      await d.db.insertInto('amphora_health').values(['amp-old-deleted', 'amp-recent-deleted', 'amp-old-allocated']
        .map(id => ({ amphora_id: id, last_update: NOW.getTime() - 8 * DAY * 1000, busy: 0 }))).execute()
      await job(d, 'job-old-done', 'DONE', ago(2 * DAY))
      await job(d, 'job-old-failed', 'FAILED', ago(2 * DAY))
      await job(d, 'job-recent-done', 'DONE', ago(60))
      await job(d, 'job-old-running', 'RUNNING', ago(2 * DAY))

      const cleanup = new DatabaseCleanup(settings, { database: d, log: silentLogger() })
      assert.deepEqual(await cleanup.runOnce(NOW), { loadBalancers: 1, amphorae: 1, jobs: 2 })
      assert.deepEqual(await ids(d, 'load_balancer'), ['lb-old-active', 'lb-old-deleted-kept-amp', 'lb-recent-deleted'])
      assert.deepEqual(await ids(d, 'amphora'), ['amp-old-allocated', 'amp-recent-deleted'])
      assert.deepEqual(await ids(d, 'job'), ['job-old-running', 'job-recent-done'])
      assert.deepEqual((await d.db.selectFrom('amphora_health').select('amphora_id').orderBy('amphora_id').execute()).map(r => r.amphora_id),
        ['amp-old-allocated', 'amp-recent-deleted'], 'the purged amphora\'s health row went with it')
      assert.deepEqual(await cleanup.runOnce(NOW), { loadBalancers: 0, amphorae: 0, jobs: 0 }, 'a second round finds nothing')
    })

    it('when the database is closed, then a round logs and returns null instead of throwing', async () => {
      const closed = await freshDatabase(dialect)
      await closed.drop()
      const cleanup = new DatabaseCleanup(settings, { database: closed.database, log: silentLogger() })
      assert.equal(await cleanup.runOnce(NOW), null)
    })
  })
}
