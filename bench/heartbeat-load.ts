// Child process of bench/health-manager.ts: plays every simulated amphora's
// agent, sending signed v3 heartbeats over UDP to 127.0.0.1:<port>, each
// amphora once per round, `rate` heartbeats per second in total (0: as fast
// as the socket takes them), for `seconds`. Runs as a process of its own (on
// the machine's second core) so that building and signing heartbeats does
// not load the health manager's event loop. Gets its LoadSpec as the first
// IPC message, answers 'started' when it sends the first heartbeat and
// { sent, lastSeq } when done, then exits.
import { createSocket } from 'node:dgram'
import { encodeHeartbeat, type Heartbeat } from '../src/amphora-api/heartbeat-codec.js'

/** One simulated amphora: its id and the ids its heartbeat reports. */
export interface SimulatedAmphora {
  readonly id: string
  readonly listenerIds: readonly string[]
  readonly poolIds: readonly string[]
  readonly memberIds: readonly (readonly string[])[]
}

export interface LoadSpec {
  readonly port: number
  readonly key: string
  readonly amphorae: readonly SimulatedAmphora[]
  /** Heartbeats per second in total; 0: unpaced. */
  readonly rate: number
  readonly seconds: number
  /** seq of every amphora's first heartbeat (strictly above any seq sent before to the same receiver). */
  readonly seqStart: number
  /** Percent of heartbeats that report their first member DOWN (status changes to write). */
  readonly flapPercent: number
}

function heartbeat(a: SimulatedAmphora, seq: number, flap: boolean): Heartbeat {
  const stats = { rx: 1200, tx: 48000, conns: 3, totconns: 10, ereq: 0 }
  return {
    id: a.id, seq, ver: 3,
    listeners: Object.fromEntries(a.listenerIds.map(l => [l, { status: 'OPEN', stats }])),
    pools: Object.fromEntries(a.poolIds.map((p, i) => [`${p}:${a.listenerIds[i]}`, {
      status: 'UP', members: Object.fromEntries(a.memberIds[i]!.map((m, j) => [m, flap && j === 0 ? 'DOWN' : 'UP'])),
    }])),
  }
}

async function run(spec: LoadSpec): Promise<{ sent: number; lastSeq: number }> {
  const socket = createSocket('udp4')
  process.send?.('started')
  const deadline = Date.now() + spec.seconds * 1000
  const started = Date.now()
  let sent = 0
  let pending = 0
  let seq = spec.seqStart
  let i = 0
  while (Date.now() < deadline) {
    const due = spec.rate > 0 ? Math.floor(((Date.now() - started) / 1000) * spec.rate) : sent + 64
    while (sent < due && pending < 256) {
      const a = spec.amphorae[i]!
      const packet = encodeHeartbeat(heartbeat(a, seq, Math.random() * 100 < spec.flapPercent), spec.key)
      pending++
      socket.send(packet, spec.port, '127.0.0.1', () => { pending-- })
      sent++
      i++
      if (i === spec.amphorae.length) { i = 0; seq++ }
    }
    await new Promise(r => (spec.rate > 0 ? setTimeout(r, 2) : setImmediate(r)))
  }
  while (pending > 0) await new Promise(r => setTimeout(r, 1))
  socket.close()
  return { sent, lastSeq: seq }
}

if (process.send) {
  process.once('message', (spec: LoadSpec) => {
    void run(spec).then(r => process.send!(r, () => process.exit(0)))
  })
}
