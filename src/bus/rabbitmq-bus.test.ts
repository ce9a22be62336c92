import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { silentLogger } from '../common/logging.js'
import { freePort } from '../../test/e2e/support/service-process.js'
import { BrokerRelay, localTransport, scratchQueue, type ScratchQueue } from '../../test/support/rabbitmq.js'
import { RabbitMqBus, type RabbitMqBusOptions } from './rabbitmq-bus.js'

// The RabbitMQ bus against the machine's real broker (127.0.0.1:5672), each
// test on a queue of its own that it deletes afterwards.

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))
const FAST = { initialMs: 50, maxMs: 400 }

/** Resolves with the first `n` ids `received` holds, or rejects after `ms`. */
async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await probe()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(25)
  }
}

describe('RabbitMqBus', () => {
  let q: ScratchQueue
  const buses: RabbitMqBus[] = []
  const bus = (o: Partial<RabbitMqBusOptions> = {}): RabbitMqBus => {
    const b = new RabbitMqBus({ transport: localTransport(), prefetch: 4, log: silentLogger(), queue: q.name, backoff: FAST, ...o })
    buses.push(b)
    return b
  }
  const closeAll = () => Promise.all(buses.splice(0).map(b => b.close()))

  before(async () => { q = await scratchQueue() })
  after(async () => {
    await closeAll()
    await q?.dispose()
  })

  it('when a job id is published, then a subscriber gets it and acknowledges it', async () => {
    const got: string[] = []
    bus().subscribe(async id => { got.push(id) })
    bus().publish('job-1')
    await waitFor('delivery', () => (got.length ? got : undefined))
    assert.deepEqual(got, ['job-1'])
    await waitFor('ack', async () => ((await q.counts()).ready === 0 ? true : undefined))
    await closeAll()
  })

  it('when nobody consumes, then the message stays queued (durable, persistent) and is delivered to a later subscriber', async () => {
    const publisher = bus()
    publisher.publish('job-queued')
    await waitFor('queued message', async () => ((await q.counts()).ready === 1 ? true : undefined))
    await publisher.close()
    const got: string[] = []
    bus().subscribe(async id => { got.push(id) })
    await waitFor('late delivery', () => (got.length ? got : undefined))
    assert.deepEqual(got, ['job-queued'])
    await closeAll()
  })

  it('when the consumer\'s process dies before acknowledging, then the message is redelivered to another consumer', async () => {
    const fixture = fileURLToPath(new URL('../../test/support/rabbit-hanging-consumer.ts', import.meta.url))
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, q.name], { stdio: ['ignore', 'pipe', 'inherit'] })
    const exited = new Promise(resolve => child.once('exit', resolve))
    try {
      let out = ''
      child.stdout!.on('data', d => { out += String(d) })
      await waitFor('the consumer process', async () => ((await q.counts()).consumers === 1 ? true : undefined), 20_000)
      bus().publish('job-orphaned')
      await waitFor('delivery to the process', () => (out.includes('got job-orphaned') ? true : undefined))
      assert.equal((await q.counts()).ready, 0, 'delivered, unacknowledged')
      child.kill('SIGKILL')
      await exited
      const got: { id: string }[] = []
      bus().subscribe(async id => { got.push({ id }) })
      await waitFor('redelivery', () => (got.length ? got : undefined))
      assert.deepEqual(got, [{ id: 'job-orphaned' }])
    } finally {
      if (child.exitCode === null && child.signalCode === null) { child.kill('SIGKILL'); await exited }
      await closeAll()
    }
  })

  it('when a handler rejects, then the message is requeued and delivered again', async () => {
    let calls = 0
    bus().subscribe(async () => { if (++calls === 1) throw new Error('not now') })
    bus().publish('job-retry')
    await waitFor('second delivery', () => (calls >= 2 ? true : undefined))
    await closeAll()
  })

  it('when handlers hold their messages, then no more than prefetch are delivered until one is acknowledged', async () => {
    const held: Array<{ id: string; done: () => void }> = []
    bus({ prefetch: 2 }).subscribe(id => new Promise<void>(resolve => { held.push({ id, done: resolve }) }))
    const publisher = bus()
    for (let i = 0; i < 5; i++) publisher.publish(`job-${i}`)
    await waitFor('two deliveries', () => (held.length === 2 ? true : undefined))
    await sleep(300)
    assert.equal(held.length, 2, 'prefetch 2 bounds the unacknowledged messages')
    assert.equal((await q.counts()).ready, 3)
    held[0]!.done()
    await waitFor('a third delivery', () => (held.length === 3 ? true : undefined))
    await sleep(200)
    assert.equal(held.length, 3)
    for (const h of held) h.done()
    await waitFor('the rest', () => (held.length === 5 ? true : undefined))
    for (const h of held) h.done()
    assert.deepEqual(held.map(h => h.id).sort(), ['job-0', 'job-1', 'job-2', 'job-3', 'job-4'])
    await closeAll()
  })

  it('when the first broker of the URL refuses connections, then the bus fails over to the next', async () => {
    const closedPort = await freePort()
    const got: string[] = []
    bus({ transport: localTransport('/', [closedPort]) }).subscribe(async id => { got.push(id) })
    bus({ transport: localTransport('/', [closedPort]) }).publish('job-failover')
    await waitFor('delivery through the second host', () => (got.length ? got : undefined))
    assert.deepEqual(got, ['job-failover'])
    await closeAll()
  })

  it('when the broker is unreachable, then publish neither throws nor waits, and the ids are delivered once it is back', async () => {
    const relay = new BrokerRelay(await freePort())
    try {
      const transport = localTransport('/')
      const viaRelay = { ...transport, hosts: [{ ...transport.hosts[0]!, port: relay.port }] }
      const publisher = bus({ transport: viaRelay })
      const started = Date.now()
      for (let i = 0; i < 3; i++) publisher.publish(`job-offline-${i}`)
      assert.ok(Date.now() - started < 50, 'publish returns at once')
      await sleep(500) // several failed attempts with back-off
      const got: string[] = []
      bus().subscribe(async id => { got.push(id) })
      await relay.open()
      await waitFor('delivery after reconnection', () => (got.length === 3 ? got : undefined))
      assert.deepEqual(got.sort(), ['job-offline-0', 'job-offline-1', 'job-offline-2'])
      // the connection is cut: announcements made meanwhile arrive after the next reconnection
      await relay.shut()
      publisher.publish('job-after-cut')
      await sleep(300)
      await relay.open()
      await waitFor('delivery after the cut', () => (got.length === 4 ? got : undefined))
      assert.equal(got[3], 'job-after-cut')
    } finally {
      await closeAll()
      await relay.shut()
    }
  })
})
