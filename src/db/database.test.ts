import { test } from 'node:test'
import assert from 'node:assert/strict'
import { freshDatabase, testDialects } from '../../test/support/databases.js'
import { transitionOrThrow } from './repositories/status-guard.js'
import { nowIso } from '../common/time.js'

for (const dialect of testDialects) {
  test(`${dialect}: when two writers guard one load balancer, then exactly one wins`, async () => {
    const { database, drop } = await freshDatabase(dialect)
    try {
      await database.db.insertInto('load_balancer').values({
        id: 'lb1', project_id: 'p', name: null, description: null, provisioning_status: 'ACTIVE',
        operating_status: 'ONLINE', enabled: 1, topology: 'SINGLE', provider: 'noop_driver', flavor_id: null,
        availability_zone: null, created_at: nowIso(), updated_at: null,
      }).execute()
      const attempt = () => database.db.transaction().execute(tx =>
        transitionOrThrow(tx, 'load_balancer', 'lb1', { from: ['ACTIVE'], to: 'PENDING_UPDATE', resource: 'Load Balancer' }))
      const results = await Promise.allSettled([attempt(), attempt()])
      assert.equal(results.filter(r => r.status === 'fulfilled').length, 1)
      const rejected = results.find(r => r.status === 'rejected') as PromiseRejectedResult
      assert.equal(rejected.reason.status, 409)
      assert.equal(rejected.reason.message, 'Load Balancer lb1 is immutable and cannot be updated.')
      await assert.rejects(database.db.transaction().execute(tx =>
        transitionOrThrow(tx, 'load_balancer', 'nope', { from: ['ACTIVE'], to: 'PENDING_UPDATE', resource: 'Load Balancer' })),
      { status: 404, message: 'Load Balancer nope not found.' })
    } finally {
      await drop()
    }
  })
}
