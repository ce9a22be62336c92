import assert from 'node:assert/strict'
import { createSocket } from 'node:dgram'
import { after, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { pino } from 'pino'
import { randomBytes } from 'node:crypto'
import { encodeHeartbeat, type Heartbeat } from '../../src/amphora-api/heartbeat-codec.js'
import { HeartbeatReceiver, type HeartbeatMeta, type ReceiverDropReason } from '../../src/health-manager/heartbeat-receiver.js'

const KEY = 'test-heartbeat-key'
const randomHex = (bytes: number): string => randomBytes(bytes).toString('hex')
const hb = (id: string, seq: number): Heartbeat => ({
  id, seq, ver: 3, listeners: { 'l-1': { status: 'OPEN' } }, pools: { 'p-1:l-1': { status: 'UP', members: { 'm-1': 'UP' } } },
})

describe('health manager heartbeat receiver (real UDP on 127.0.0.1)', () => {
  const delivered: Array<{ msg: Heartbeat; meta: HeartbeatMeta }> = []
  const warnings: unknown[] = []
  const log = pino({ level: 'warn' }, { write: (line: string) => { warnings.push(JSON.parse(line)) } })
  const ac = new AbortController()
  const receiver = new HeartbeatReceiver({
    bindIp: '127.0.0.1', bindPort: 0, heartbeatKey: KEY, log, logIntervalMs: 60_000,
    onHeartbeat: (msg, meta) => { delivered.push({ msg, meta }) },
  })
  const client = createSocket('udp4')

  const send = async (packet: Buffer): Promise<void> => {
    await new Promise<void>((resolve, reject) =>
      client.send(packet, receiver.address.port, '127.0.0.1', err => (err ? reject(err) : resolve())))
  }
  /** Waits (at most 2 s) until the receiver has seen `n` more datagrams than `base`. */
  const settle = async (base: number, n: number): Promise<void> => {
    for (let i = 0; i < 200; i++) {
      const c = receiver.counters
      if (c.delivered + Object.values(c.dropped).reduce((a, b) => a + b, 0) >= base + n) return
      await sleep(10)
    }
    assert.fail('datagrams did not arrive within 2 s')
  }
  const seen = (): number => {
    const c = receiver.counters
    return c.delivered + Object.values(c.dropped).reduce((a, b) => a + b, 0)
  }
  const dropped = (r: ReceiverDropReason): number => receiver.counters.dropped[r]

  before(async () => { await receiver.start(ac.signal) })
  after(async () => {
    client.close()
    ac.abort()
    await receiver.stopped
  })

  it('when a valid heartbeat arrives, then it is delivered with its receive time and sender', async () => {
    const base = seen()
    const t0 = Date.now()
    await send(encodeHeartbeat(hb('amp-1', 1), KEY))
    await settle(base, 1)
    assert.equal(delivered.length, 1)
    assert.deepEqual(delivered[0]!.msg, hb('amp-1', 1))
    assert.ok(delivered[0]!.meta.recvTime >= t0)
    assert.equal(delivered[0]!.meta.from.address, '127.0.0.1')
  })

  it('when the HMAC is forged, then the packet is dropped and counted as bad_hmac', async () => {
    const base = seen()
    await send(encodeHeartbeat(hb('amp-1', 2), 'wrong-key'))
    await settle(base, 1)
    assert.equal(dropped('bad_hmac'), 1)
    assert.equal(delivered.length, 1)
  })

  it('when packets are truncated, then they are dropped and counted', async () => {
    const base = seen()
    const good = encodeHeartbeat(hb('amp-1', 3), KEY)
    await send(good.subarray(0, 20))
    await send(good.subarray(0, good.length - 10))
    await settle(base, 2)
    assert.equal(dropped('truncated'), 1)
    assert.equal(dropped('bad_hmac'), 2)
    assert.equal(delivered.length, 1)
  })

  it('when the largest IPv4 datagram (65507 bytes, under 64 KiB) carries garbage, then it is dropped as bad_hmac', async () => {
    const base = seen()
    await send(Buffer.alloc(65507, 1))
    await settle(base, 1)
    assert.equal(dropped('bad_hmac'), 3)
    assert.equal(dropped('oversized'), 0)
    assert.equal(delivered.length, 1)
  })

  it('when a datagram exceeds the receiver limit, then it is dropped and counted as oversized', async () => {
    const got: Heartbeat[] = []
    const ac2 = new AbortController()
    const small = new HeartbeatReceiver({
      bindIp: '127.0.0.1', bindPort: 0, heartbeatKey: KEY, log, maxPacketBytes: 1024, onHeartbeat: m => { got.push(m) },
    })
    await small.start(ac2.signal)
    try {
      const padded = encodeHeartbeat({ ...hb('amp-9', 1), listeners: { [randomHex(3000)]: { status: 'OPEN' } } }, KEY)
      assert.ok(padded.length > 1024)
      await new Promise<void>((res, rej) => client.send(padded, small.address.port, '127.0.0.1', e => (e ? rej(e) : res())))
      await new Promise<void>((res, rej) =>
        client.send(encodeHeartbeat(hb('amp-9', 2), KEY), small.address.port, '127.0.0.1', e => (e ? rej(e) : res())))
      for (let i = 0; i < 200 && got.length === 0; i++) await sleep(10)
      assert.equal(small.counters.dropped.oversized, 1)
      assert.deepEqual(got.map(m => m.seq), [2])
    } finally {
      ac2.abort()
      await small.stopped
    }
  })

  it('when a heartbeat is replayed or its seq goes backwards, then it is dropped as replay; a higher seq passes', async () => {
    const base = seen()
    await send(encodeHeartbeat(hb('amp-1', 1), KEY))
    await send(encodeHeartbeat(hb('amp-1', 0), KEY))
    await settle(base, 2)
    assert.equal(dropped('replay'), 2)
    await send(encodeHeartbeat(hb('amp-1', 5), KEY))
    await send(encodeHeartbeat(hb('amp-2', 1), KEY))
    await settle(base, 4)
    assert.deepEqual(delivered.map(d => `${d.msg.id}/${d.msg.seq}`), ['amp-1/1', 'amp-1/5', 'amp-2/1'])
  })

  it('when one reason drops many packets within the log interval, then it is logged once', () => {
    const byReason = (r: string): number => warnings.filter(w => (w as { reason?: string }).reason === r).length
    assert.equal(dropped('bad_hmac'), 3)
    assert.equal(byReason('bad_hmac'), 1)
    assert.equal(byReason('replay'), 1)
  })
})
