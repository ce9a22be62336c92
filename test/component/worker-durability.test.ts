import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { hostname } from 'node:os'
import { freshDatabase, testDialects } from '../support/databases.js'
import { linear } from '../../src/worker/engine/flow.js'
import { listenerToErrorOnRevert } from '../../src/worker/tasks/lifecycle-tasks.js'
import { markListenerActive, markParentsActive } from '../../src/worker/tasks/status-tasks.js'
import { InProcessBus } from '../../src/bus/in-process-bus.js'
import type { Dialect } from '../../src/db/database.js'
import { insertJobRow, insertListener, insertLoadBalancer, startTestWorker, statusOf, testConfig, waitForJob } from './worker-fixtures.js'
import { linesOf, recordingTask, testProviders, type Journal } from './worker-test-provider.js'

const PARENTS = { loadBalancerId: 'lb1', listenerIds: [], poolId: null, l7policyId: null }

async function lbWithPendingListener(db: Parameters<typeof insertLoadBalancer>[0]): Promise<void> {
  await insertLoadBalancer(db, 'lb1', { provisioning_status: 'PENDING_UPDATE', operating_status: 'ONLINE' })
  await insertListener(db, 'li1', 'lb1')
}

const listenerJob = (over: Parameters<typeof insertJobRow>[3] = {}) =>
  ['listener_create', 'lb1', { listenerId: 'li1' }, { provider: 'test_driver', ...over }] as const

async function withDb(dialect: Dialect, fn: (db: Awaited<ReturnType<typeof freshDatabase>>['database']) => Promise<void>): Promise<void> {
  const { database, drop } = await freshDatabase(dialect)
  try { await fn(database) } finally { await drop() }
}

for (const dialect of testDialects) {
  test(`${dialect}: when a task fails terminally, then finished tasks revert in reverse order and the listener is ERROR, the LB ACTIVE`, () =>
    withDb(dialect, async database => {
      const db = database.db
      const journal: Journal = []
      const flow = linear('t', [listenerToErrorOnRevert, recordingTask(journal, 'a'), recordingTask(journal, 'b'),
        recordingTask(journal, 'c', { failTimes: 99, terminal: true }), recordingTask(journal, 'd')])
      const worker = await startTestWorker(database, { providers: testProviders(flow) })
      try {
        await lbWithPendingListener(db)
        const jobId = await insertJobRow(db, ...listenerJob())
        const job = await waitForJob(db, jobId)
        assert.equal(job.state, 'FAILED')
        assert.equal(job.step, 0)
        assert.equal(job.error, 'c: c broke')
        assert.deepEqual(linesOf(journal, jobId), [
          'exec a', 'done a', 'exec b', 'done b', 'exec c', 'revert c null', 'revert b "b-result"', 'revert a "a-result"'])
        assert.equal(await statusOf(db, 'listener', 'li1'), 'ERROR/OFFLINE')
        assert.equal(await statusOf(db, 'load_balancer', 'lb1'), 'ACTIVE/ONLINE')
      } finally { await worker.stop() }
    }))

  test(`${dialect}: when a task throws a plain error, then it is retried and the job still completes`, () =>
    withDb(dialect, async database => {
      const db = database.db
      const journal: Journal = []
      const flow = linear('t', [listenerToErrorOnRevert, recordingTask(journal, 'flaky', { failTimes: 2 }),
        markListenerActive, markParentsActive(listenerToErrorOnRevert)])
      const worker = await startTestWorker(database, { providers: testProviders(flow) })
      try {
        await lbWithPendingListener(db)
        const jobId = await insertJobRow(db, ...listenerJob())
        const job = await waitForJob(db, jobId)
        assert.equal(job.state, 'DONE')
        assert.deepEqual(linesOf(journal, jobId), ['exec flaky', 'exec flaky', 'exec flaky', 'done flaky'])
        assert.equal(await statusOf(db, 'listener', 'li1'), 'ACTIVE/OFFLINE')
      } finally { await worker.stop() }
    }))

  test(`${dialect}: when a task keeps failing, then after the last attempt the flow reverts`, () =>
    withDb(dialect, async database => {
      const db = database.db
      const journal: Journal = []
      const flow = linear('t', [listenerToErrorOnRevert, recordingTask(journal, 'a'), recordingTask(journal, 'bad', { failTimes: 99 })])
      const worker = await startTestWorker(database, { providers: testProviders(flow) })
      try {
        await lbWithPendingListener(db)
        const jobId = await insertJobRow(db, ...listenerJob())
        const job = await waitForJob(db, jobId)
        assert.equal(job.state, 'FAILED')
        assert.deepEqual(linesOf(journal, jobId), ['exec a', 'done a', 'exec bad', 'exec bad', 'exec bad', 'revert bad null', 'revert a "a-result"'])
        assert.equal(await statusOf(db, 'listener', 'li1'), 'ERROR/OFFLINE')
      } finally { await worker.stop() }
    }))

  test(`${dialect}: when a dead worker left a job RUNNING with an expired lease, then a new worker resumes it at the recorded step`, () =>
    withDb(dialect, async database => {
      const db = database.db
      const journal: Journal = []
      let seen: unknown
      const flow = linear('t', [listenerToErrorOnRevert, recordingTask(journal, 'a'),
        recordingTask(journal, 'b', { onExecute: r => { seen = r.a } }), markListenerActive, markParentsActive(listenerToErrorOnRevert)])
      await lbWithPendingListener(db)
      const jobId = await insertJobRow(db, ...listenerJob({
        state: 'RUNNING', step: 2, results: JSON.stringify({ 'listener-to-error-on-revert': PARENTS, a: 'A-from-dead' }),
        lease_owner: 'dead-host/1/00000000', lease_expires_at: Date.now() - 1000,
      }))
      const worker = await startTestWorker(database, { providers: testProviders(flow) })
      try {
        const job = await waitForJob(db, jobId)
        assert.equal(job.state, 'DONE')
        assert.equal(job.lease_owner, worker.id)
        assert.deepEqual(linesOf(journal, jobId), ['exec b', 'done b'])
        assert.equal(seen, 'A-from-dead')
        assert.equal(await statusOf(db, 'listener', 'li1'), 'ACTIVE/OFFLINE')
        assert.equal(await statusOf(db, 'load_balancer', 'lb1'), 'ACTIVE/ONLINE')
      } finally { await worker.stop() }
    }))

  test(`${dialect}: when a dead worker left a job REVERTING, then a new worker reverts only the tasks left`, () =>
    withDb(dialect, async database => {
      const db = database.db
      const journal: Journal = []
      const flow = linear('t', [listenerToErrorOnRevert, recordingTask(journal, 'a'), recordingTask(journal, 'b'), recordingTask(journal, 'c')])
      await lbWithPendingListener(db)
      const jobId = await insertJobRow(db, ...listenerJob({
        state: 'REVERTING', step: 2, results: JSON.stringify({ 'listener-to-error-on-revert': PARENTS, a: 'A', b: 'B' }),
        lease_owner: 'dead-host/1/00000000', lease_expires_at: Date.now() - 1000, error: 'c: boom',
      }))
      const worker = await startTestWorker(database, { providers: testProviders(flow) })
      try {
        const job = await waitForJob(db, jobId)
        assert.equal(job.state, 'FAILED')
        assert.equal(job.error, 'c: boom')
        assert.deepEqual(linesOf(journal, jobId), ['revert a "A"'])
        assert.equal(await statusOf(db, 'listener', 'li1'), 'ERROR/OFFLINE')
        assert.equal(await statusOf(db, 'load_balancer', 'lb1'), 'ACTIVE/ONLINE')
      } finally { await worker.stop() }
    }))

  test(`${dialect}: when another live worker holds a job's lease, then it is left alone until the lease expires`, () =>
    withDb(dialect, async database => {
      const db = database.db
      const journal: Journal = []
      const flow = linear('t', [recordingTask(journal, 'a')])
      const jobId = await insertJobRow(db, ...listenerJob({ state: 'RUNNING', lease_owner: 'other-host/1/00000000', lease_expires_at: Date.now() + 60_000 }))
      const worker = await startTestWorker(database, { providers: testProviders(flow) })
      try {
        await new Promise(r => setTimeout(r, 300))
        assert.equal((await waitForJob(db, jobId, ['RUNNING'])).lease_owner, 'other-host/1/00000000')
        assert.deepEqual(journal, [])
        await db.updateTable('job').set({ lease_expires_at: Date.now() - 1 }).where('id', '=', jobId).execute()
        assert.equal((await waitForJob(db, jobId)).state, 'DONE')
        assert.deepEqual(linesOf(journal, jobId), ['exec a', 'done a'])
      } finally { await worker.stop() }
    }))

  test(`${dialect}: when the lease holder is a dead process of this host, then the job is taken over without waiting for the lease`, () =>
    withDb(dialect, async database => {
      const db = database.db
      const journal: Journal = []
      const flow = linear('t', [recordingTask(journal, 'a'), recordingTask(journal, 'b')])
      const gone = spawnSync(process.execPath, ['-e', '']).pid
      const jobId = await insertJobRow(db, ...listenerJob({
        state: 'RUNNING', step: 1, results: JSON.stringify({ a: 'A' }),
        lease_owner: `${hostname().slice(0, 40)}/${gone}/deadbeef`, lease_expires_at: Date.now() + 60_000,
      }))
      const worker = await startTestWorker(database, { providers: testProviders(flow) })
      try {
        const job = await waitForJob(db, jobId, ['DONE', 'FAILED'], 3000)
        assert.equal(job.state, 'DONE')
        assert.deepEqual(linesOf(journal, jobId), ['exec b', 'done b'])
      } finally { await worker.stop() }
    }))

  test(`${dialect}: when a worker stops mid-flow, then the job pauses with its lease released and another worker finishes it from there`, () =>
    withDb(dialect, async database => {
      const db = database.db
      const journal: Journal = []
      const flow = linear('t', [recordingTask(journal, 'a'), recordingTask(journal, 'slow', { delayMs: 5000 }), recordingTask(journal, 'c')])
      const first = await startTestWorker(database, { providers: testProviders(flow) })
      const jobId = await insertJobRow(db, ...listenerJob())
      first.bus.publish(jobId)
      const deadline = Date.now() + 3000
      while (!journal.includes(`${jobId} exec slow`) && Date.now() < deadline) await new Promise(r => setTimeout(r, 5))
      await first.stop()
      const paused = await waitForJob(db, jobId, ['RUNNING'])
      assert.equal(paused.step, 1)
      assert.equal(paused.lease_expires_at, 0)
      const fast = linear('t', [recordingTask(journal, 'a'), recordingTask(journal, 'slow'), recordingTask(journal, 'c')])
      const second = await startTestWorker(database, { providers: testProviders(fast) })
      try {
        assert.equal((await waitForJob(db, jobId)).state, 'DONE')
        assert.deepEqual(linesOf(journal, jobId), ['exec a', 'done a', 'exec slow', 'exec slow', 'done slow', 'exec c', 'done c'])
      } finally { await second.stop() }
    }))

  test(`${dialect}: when two workers share the jobs, then no job runs twice`, () =>
    withDb(dialect, async database => {
      const db = database.db
      const journal: Journal = []
      const flow = linear('t', [recordingTask(journal, 'a', { delayMs: 5 }), recordingTask(journal, 'b')])
      const bus = new InProcessBus()
      const config = testConfig({ controller_worker: { workers: '3' } })
      const w1 = await startTestWorker(database, { providers: testProviders(flow), bus, config })
      const w2 = await startTestWorker(database, { providers: testProviders(flow), bus, config })
      try {
        const ids: string[] = []
        for (let i = 0; i < 30; i++) {
          const id = await insertJobRow(db, 'listener_create', `lb-${i}`, { listenerId: 'x' }, { provider: 'test_driver' })
          ids.push(id)
          bus.publish(id)
        }
        for (const id of ids) {
          assert.equal((await waitForJob(db, id, ['DONE', 'FAILED'], 15000)).state, 'DONE')
          assert.deepEqual(linesOf(journal, id), ['exec a', 'done a', 'exec b', 'done b'])
        }
        const owners = new Set((await db.selectFrom('job').select('lease_owner').execute()).map(r => r.lease_owner))
        assert.deepEqual([...owners].sort(), [w1.id, w2.id].sort())
      } finally {
        await w1.stop()
        await w2.stop()
      }
    }))

  test(`${dialect}: when a task outlasts the lease, then renewals keep the job with its worker and no other worker runs it`, () =>
    withDb(dialect, async database => {
      const db = database.db
      const journal: Journal = []
      const flow = linear('t', [recordingTask(journal, 'long', { delayMs: 2600 }), recordingTask(journal, 'b')])
      const w1 = await startTestWorker(database, { providers: testProviders(flow) })
      const jobId = await insertJobRow(db, ...listenerJob())
      w1.bus.publish(jobId)
      await waitForJob(db, jobId, ['RUNNING'])
      const w2 = await startTestWorker(database, { providers: testProviders(flow) })
      try {
        const job = await waitForJob(db, jobId, ['DONE', 'FAILED'], 8000)
        assert.equal(job.state, 'DONE')
        assert.equal(job.lease_owner, w1.id)
        assert.deepEqual(linesOf(journal, jobId), ['exec long', 'done long', 'exec b', 'done b'])
      } finally {
        await w1.stop()
        await w2.stop()
      }
    }))

  test(`${dialect}: when one load balancer has several jobs, then they run one after another in creation order`, () =>
    withDb(dialect, async database => {
      const db = database.db
      const journal: Journal = []
      const flow = linear('t', [recordingTask(journal, 'a', { delayMs: 10 }), recordingTask(journal, 'b')])
      const base = Date.parse('2030-01-01T00:00:00Z')
      const ids: string[] = []
      // Inserted newest first: creation order, not insertion order, decides.
      for (let i = 5; i >= 0; i--) {
        const created = new Date(base + i * 1000).toISOString().slice(0, 23)
        ids.unshift(await insertJobRow(db, 'listener_create', 'lb-same', { listenerId: 'x' }, { provider: 'test_driver', created_at: created }))
      }
      const bus = new InProcessBus()
      const w1 = await startTestWorker(database, { providers: testProviders(flow), bus })
      const w2 = await startTestWorker(database, { providers: testProviders(flow), bus })
      try {
        for (const id of ids) assert.equal((await waitForJob(db, id, ['DONE', 'FAILED'], 10000)).state, 'DONE')
        assert.deepEqual(journal, ids.flatMap(id => [`${id} exec a`, `${id} done a`, `${id} exec b`, `${id} done b`]))
      } finally {
        await w1.stop()
        await w2.stop()
      }
    }))

  test(`${dialect}: when a job of a load balancer is running, then no other job of it starts, even one recorded as older`, () =>
    withDb(dialect, async database => {
      const db = database.db
      const journal: Journal = []
      const flow = linear('t', [recordingTask(journal, 'a', { delayMs: 150 }), recordingTask(journal, 'b')])
      const bus = new InProcessBus()
      const w1 = await startTestWorker(database, { providers: testProviders(flow), bus })
      const w2 = await startTestWorker(database, { providers: testProviders(flow), bus })
      try {
        const first = await insertJobRow(db, 'listener_create', 'lb-same', { listenerId: 'x' }, { provider: 'test_driver' })
        bus.publish(first)
        await waitForJob(db, first, ['RUNNING'])
        const older = await insertJobRow(db, 'listener_create', 'lb-same', { listenerId: 'x' },
          { provider: 'test_driver', created_at: '2000-01-01T00:00:00.000' })
        bus.publish(older)
        await waitForJob(db, first)
        await waitForJob(db, older)
        assert.deepEqual(journal, [first, first, first, first, older, older, older, older]
          .map((id, i) => `${id} ${['exec a', 'done a', 'exec b', 'done b'][i % 4]}`))
      } finally {
        await w1.stop()
        await w2.stop()
      }
    }))
}
