import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { RabbitMqBus } from '../../src/bus/rabbitmq-bus.js'
import { silentLogger } from '../../src/common/logging.js'
import type { Database } from '../../src/db/database.js'
import { freePort } from '../e2e/support/service-process.js'
import { freshDatabase } from '../support/databases.js'
import { BrokerRelay, localTransport, scratchQueue, type ScratchQueue } from '../support/rabbitmq.js'
import { insertJobRow, insertLoadBalancer, startTestWorker, testConfig, waitForJob, type TestWorker } from './worker-fixtures.js'

// When the controller worker acknowledges a RabbitMQ message: once the job it
// announces no longer runs there. The worker's bus reaches the real broker
// through a relay the test cuts: on a cut the broker requeues what was not
// acknowledged, so the queue's ready count shows what the worker still held.
// The database poll is a minute: the worker acts on messages only.

describe('controller worker on the RabbitMQ bus: acknowledgements', () => {
  let q: ScratchQueue
  let relay: BrokerRelay
  let database: Database
  let drop: () => Promise<void>
  let worker: TestWorker
  let publisher: RabbitMqBus

  const ready = async (): Promise<number> => (await q.counts()).ready
  const cut = async (): Promise<void> => {
    await relay.shut()
    await sleep(300) // the broker notices the closed connection and requeues
  }
  const reconnect = async (): Promise<void> => {
    await relay.open()
    for (let i = 0; i < 200 && (await q.counts()).consumers === 0; i++) await sleep(25)
  }

  before(async () => {
    q = await scratchQueue()
    relay = new BrokerRelay(await freePort())
    await relay.open()
    ;({ database, drop } = await freshDatabase('sqlite'))
    const config = testConfig({ controller_worker: { job_poll_interval_ms: '60000', workers: '2' }, noop_provider: { task_delay_ms: '400' } })
    const transport = localTransport()
    const bus = new RabbitMqBus({
      transport: { ...transport, hosts: [{ ...transport.hosts[0]!, port: relay.port }] },
      prefetch: 2, log: silentLogger(), queue: q.name, backoff: { initialMs: 50, maxMs: 200 },
    })
    publisher = new RabbitMqBus({ transport, prefetch: 1, log: silentLogger(), queue: q.name })
    worker = await startTestWorker(database, { config, bus })
    for (let i = 0; i < 200 && (await q.counts()).consumers === 0; i++) await sleep(25)
    await sleep(100) // the worker's first scan is over
  })
  after(async () => {
    await worker?.stop()
    await worker?.bus.close()
    await publisher?.close()
    await relay?.shut()
    await drop?.()
    await q?.dispose()
  })

  it('when a message names no unfinished job, then it is acknowledged and dropped', async () => {
    publisher.publish('00000000-0000-4000-8000-00000000dead')
    await sleep(500)
    await cut()
    assert.equal(await ready(), 0)
    await reconnect()
  })

  it('when the announced job runs here, then its message stays unacknowledged until the job is DONE', async () => {
    await insertLoadBalancer(database.db, 'lb-ack')
    const jobId = await insertJobRow(database.db, 'loadbalancer_create', 'lb-ack', { loadBalancerId: 'lb-ack' })
    publisher.publish(jobId)
    await waitForJob(database.db, jobId, ['RUNNING'])
    await cut()
    assert.equal(await ready(), 1, 'held while running: requeued by the cut')
    await reconnect() // redelivered: the job runs here still, so the message is held again
    assert.equal((await waitForJob(database.db, jobId, ['DONE'], 15_000)).state, 'DONE')
    await sleep(300)
    await cut()
    assert.equal(await ready(), 0, 'acknowledged once DONE')
    await reconnect()
  })

  it('when the worker running an announced job stops gracefully, then the requeued message wakes another worker, which finishes the job', async () => {
    const config = testConfig({ controller_worker: { job_poll_interval_ms: '60000', workers: '2' }, noop_provider: { task_delay_ms: '400' } })
    const other = await startTestWorker(database, {
      config, bus: new RabbitMqBus({ transport: localTransport(), prefetch: 2, log: silentLogger(), queue: q.name }),
    })
    try {
      for (let i = 0; i < 200 && (await q.counts()).consumers < 2; i++) await sleep(25)
      await sleep(100) // the new worker's first scan is over
      await insertLoadBalancer(database.db, 'lb-stop')
      const jobId = await insertJobRow(database.db, 'loadbalancer_create', 'lb-stop', { loadBalancerId: 'lb-stop' })
      publisher.publish(jobId)
      const running = await waitForJob(database.db, jobId, ['RUNNING'])
      const [owner, survivor] = running.lease_owner === worker.id ? [worker, other] : [other, worker]
      assert.equal(running.lease_owner, owner.id)
      await owner.stop()
      const done = await waitForJob(database.db, jobId, ['DONE'], 15_000)
      assert.equal(done.state, 'DONE')
      const claimedBy = await database.db.selectFrom('job').select('lease_owner').where('id', '=', jobId).executeTakeFirstOrThrow()
      // NOTE: a finished job keeps the owner that finished it (updateOwnedJob matches on it).
      assert.equal(claimedBy.lease_owner, survivor.id)
    } finally {
      await other.stop()
      await other.bus.close()
    }
  })
})
