import assert from 'node:assert/strict'
import { test } from 'node:test'
import { freshDatabase, testDialects } from '../support/databases.js'
import { insertJobRow, insertLoadBalancer, startTestWorker, testConfig, waitForJob } from './worker-fixtures.js'

// With a slow database poll (a broker announces jobs), a worker that saw a job
// leased by a live worker elsewhere looks again when that lease would expire:
// a worker that died on another host leaves no message to wake anyone.

for (const dialect of testDialects) {
  test(`${dialect}: when another host's worker stops renewing a lease, then a worker with a minute-long poll takes the job over soon after it expires`, async () => {
    const { database, drop } = await freshDatabase(dialect)
    const config = testConfig({ controller_worker: { job_poll_interval_ms: '60000' } })
    let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined
    try {
      await insertLoadBalancer(database.db, 'lb-lease')
      const jobId = await insertJobRow(database.db, 'loadbalancer_create', 'lb-lease', { loadBalancerId: 'lb-lease' }, {
        state: 'RUNNING', lease_owner: 'other-host/1/00000000', lease_expires_at: Date.now() + 1500,
      })
      const started = Date.now()
      worker = await startTestWorker(database, { config })
      const job = await waitForJob(database.db, jobId, ['DONE', 'FAILED'], 8000)
      assert.equal(job.state, 'DONE')
      assert.equal(job.lease_owner, worker.id)
      assert.ok(Date.now() - started >= 1400, 'not before the lease expired')
    } finally {
      await worker?.stop()
      await drop()
    }
  })
}
