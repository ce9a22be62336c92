/**
 * The sender against real UDP sockets on 127.0.0.1 and ::1 and stand-in
 * HAProxy stats sockets (unix sockets answering `show stat` after a delay,
 * counting how many are asked at once).
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createSocket, type Socket } from 'node:dgram'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { pino } from 'pino'
import { silentLogger } from '../../common/logging.js'
import { decodeHeartbeat, type Heartbeat } from '../../amphora-api/heartbeat-codec.js'
import { HeartbeatSender, type HeartbeatTarget } from './heartbeat-sender.js'

const KEY = 'sender-test-key'
const HEADER = '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,check_desc'

interface Receiver { readonly port: number; readonly got: Heartbeat[]; close(): Promise<void> }

async function receiver(type: 'udp4' | 'udp6', address: string): Promise<Receiver> {
  const sock: Socket = createSocket(type)
  const got: Heartbeat[] = []
  sock.on('message', (buf) => got.push(decodeHeartbeat(buf, KEY)))
  await new Promise<void>((resolve) => sock.bind(0, address, resolve))
  return { port: sock.address().port, got, close: () => new Promise<void>((resolve) => sock.close(() => resolve())) }
}

/** A stand-in stats socket answering `csv` after `delayMs`; `peak` is the most connections served at once by all of them. */
const load = { now: 0, peak: 0 }
async function statsSocket(path: string, csv: () => string, delayMs: number): Promise<Server> {
  const srv = createServer({ allowHalfOpen: true }, (c) => {
    load.now++
    load.peak = Math.max(load.peak, load.now)
    c.resume()
    c.on('end', () => setTimeout(() => { load.now--; c.end(csv()) }, delayMs))
  })
  await new Promise<void>((resolve) => srv.listen(path, resolve))
  return srv
}

const byId = (got: readonly Heartbeat[], id: string): Heartbeat[] => got.filter((h) => h.id === id)

let dir: string
const servers: Server[] = []
before(async () => { dir = await mkdtemp(join(tmpdir(), 'octavia-hbs-')) })
after(async () => {
  for (const s of servers) await new Promise((r) => s.close(r))
  await rm(dir, { recursive: true, force: true })
})

async function runRounds(targets: readonly HeartbeatTarget[], opts: { destinations: string[]; stateFile: string; rounds: number; intervalMs?: number; concurrency?: number; log?: ReturnType<typeof silentLogger> }): Promise<HeartbeatSender> {
  const sender = new HeartbeatSender({ heartbeatTargets: () => targets }, {
    intervalMs: opts.intervalMs ?? 50, key: KEY, destinations: opts.destinations, stateFile: opts.stateFile,
    log: opts.log ?? silentLogger(), concurrency: opts.concurrency,
  })
  const abort = new AbortController()
  await sender.start(abort.signal)
  const deadline = Date.now() + 30_000
  while (sender.rounds < opts.rounds && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
  abort.abort()
  await sender.stopped
  return sender
}

describe('heartbeat sender', () => {
  it('when it runs, then every amphora sends one heartbeat per round to every destination, IPv4 and IPv6', async () => {
    const v4 = await receiver('udp4', '127.0.0.1')
    const v6 = await receiver('udp6', '::1')
    const csv = `${HEADER}\nl-1,FRONTEND,,,2,5,100,9,100,200,0,0,0,,,,,OPEN,,\npool-1:l-1,m-1,0,0,0,0,,0,0,0,,0,,0,0,0,0,MAINT,1,\npool-1:l-1,BACKEND,0,0,0,0,10,0,0,0,0,0,,0,0,0,0,DOWN,0,\n`
    servers.push(await statsSocket(join(dir, 'a.sock'), () => csv, 0))
    const targets: HeartbeatTarget[] = [
      { id: 'amp-with-lb', failed: null, sources: [{ lbId: 'lb-1', statsSocket: join(dir, 'a.sock') }] },
      { id: 'amp-without-lb', failed: 'haproxy of load balancer x died', sources: [] },
    ]
    try {
      const sender = await runRounds(targets, { destinations: [`127.0.0.1:${v4.port}`, `[::1]:${v6.port}`], stateFile: join(dir, 'one.json'), rounds: 3 })
      await new Promise((r) => setTimeout(r, 100))
      for (const r of [v4, v6]) {
        for (const t of targets) assert.equal(byId(r.got, t.id).length, sender.rounds, `${t.id} once per round`)
      }
      const withLb = byId(v4.got, 'amp-with-lb')
      assert.deepEqual(withLb[0]?.listeners, { 'l-1': { status: 'OPEN', stats: { tx: 200, rx: 100, conns: 2, totconns: 9, ereq: 0 } } })
      assert.deepEqual(withLb[1]?.listeners['l-1']?.stats, { tx: 0, rx: 0, conns: 2, totconns: 0, ereq: 0 })
      assert.deepEqual(withLb[0]?.pools, { 'pool-1:l-1': { status: 'DOWN', members: { 'm-1': 'MAINT' } } })
      assert.equal(withLb[0]?.failed, undefined)
      const without = byId(v6.got, 'amp-without-lb')
      assert.deepEqual([without[0]?.listeners, without[0]?.pools, without[0]?.failed], [{}, {}, 'haproxy of load balancer x died'])
      const seqs = withLb.map((h) => h.seq)
      assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b))
      assert.equal(new Set(seqs).size, seqs.length)
    } finally {
      await v4.close()
      await v6.close()
    }
  })

  it('when reading statistics is slow, then at most `concurrency` amphorae are read at once and rounds never overlap', async () => {
    const v4 = await receiver('udp4', '127.0.0.1')
    const csv = `${HEADER}\nl-1,FRONTEND,,,0,5,100,1,1,1,0,0,0,,,,,OPEN,,\n`
    const targets: HeartbeatTarget[] = []
    for (let i = 0; i < 24; i++) {
      const path = join(dir, `slow-${i}.sock`)
      servers.push(await statsSocket(path, () => csv, 60))
      targets.push({ id: `amp-${i}`, failed: null, sources: [{ lbId: 'lb', statsSocket: path }] })
    }
    try {
      load.peak = 0
      // A round takes about 24 / 4 * 60 ms, far longer than the 20 ms interval.
      const sender = await runRounds(targets, { destinations: [`127.0.0.1:${v4.port}`], stateFile: join(dir, 'slow.json'), rounds: 2, intervalMs: 20, concurrency: 4 })
      await new Promise((r) => setTimeout(r, 100))
      assert.ok(load.peak <= 4 && load.peak >= 2, `peak concurrency ${load.peak}`)
      for (const t of targets) assert.equal(byId(v4.got, t.id).length, sender.rounds, `${t.id}: one heartbeat per round`)
    } finally {
      await v4.close()
    }
  })

  it('when a heartbeat cannot be sent, then the warning is rate-limited and the other amphorae and later rounds go on', async () => {
    const v4 = await receiver('udp4', '127.0.0.1')
    // Thousands of random member ids compress to more than one UDP datagram can hold (EMSGSIZE).
    const rows = Array.from({ length: 4000 }, () => `pool-1:l-1,${randomBytes(16).toString('hex')},0,0,0,0,,0,0,0,,0,,0,0,0,0,UP,1,`)
    const huge = `${HEADER}\nl-1,FRONTEND,,,0,5,100,0,0,0,0,0,0,,,,,OPEN,,\n${rows.join('\n')}\n`
    servers.push(await statsSocket(join(dir, 'huge.sock'), () => huge, 0))
    const lines: string[] = []
    const log = pino({ level: 'warn' }, new Writable({ write(chunk: Buffer, _enc, cb) { lines.push(chunk.toString()); cb() } }))
    const targets: HeartbeatTarget[] = [
      { id: 'amp-huge', failed: null, sources: [{ lbId: 'lb', statsSocket: join(dir, 'huge.sock') }] },
      { id: 'amp-small', failed: null, sources: [] },
    ]
    try {
      const sender = await runRounds(targets, { destinations: [`127.0.0.1:${v4.port}`], stateFile: join(dir, 'huge.json'), rounds: 4, log })
      await new Promise((r) => setTimeout(r, 100))
      assert.equal(byId(v4.got, 'amp-huge').length, 0)
      assert.equal(byId(v4.got, 'amp-small').length, sender.rounds)
      const warnings = lines.filter((l) => l.includes('cannot send heartbeat'))
      assert.equal(warnings.length, 1, 'one warning for several failed rounds')
      assert.match(warnings[0] ?? '', /EMSGSIZE/)
    } finally {
      await v4.close()
    }
  })

  it('when a sender restarts on the saved state, then seq keeps increasing and totals are not sent again', async () => {
    const v4 = await receiver('udp4', '127.0.0.1')
    const csv = `${HEADER}\nl-1,FRONTEND,,,0,5,100,77,7000,8000,0,0,3,,,,,OPEN,,\n`
    servers.push(await statsSocket(join(dir, 'restart.sock'), () => csv, 0))
    const targets: HeartbeatTarget[] = [{ id: 'amp-r', failed: null, sources: [{ lbId: 'lb', statsSocket: join(dir, 'restart.sock') }] }]
    const opts = { destinations: [`127.0.0.1:${v4.port}`], stateFile: join(dir, 'restart.json'), rounds: 2 }
    try {
      await runRounds(targets, opts)
      await runRounds(targets, opts)
      await new Promise((r) => setTimeout(r, 100))
      const got = byId(v4.got, 'amp-r')
      assert.ok(got.length >= 4)
      for (let i = 1; i < got.length; i++) assert.ok((got[i]?.seq ?? 0) > (got[i - 1]?.seq ?? 0), `seq increases at ${i}`)
      const total = got.reduce((n, h) => n + (h.listeners['l-1']?.stats?.totconns ?? 0), 0)
      assert.equal(total, 77, 'the absolute count is sent once in all')
    } finally {
      await v4.close()
    }
  })
})
