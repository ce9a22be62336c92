/**
 * The agent's heartbeats, decoded by a UDP socket on 127.0.0.1 with the
 * configured key, while a real agent runs real HAProxies: cadence, member
 * health, statistics deltas, seq across an agent restart, and the `failed`
 * flag after a HAProxy master is killed or (as root) after the amphora's
 * network namespace is deleted; and `octavia-ts agent` as its own process
 * configured by its INI file.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { createSocket, type Socket } from 'node:dgram'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { loadBalancerPaths } from '../../src/amphora-api/agent-paths.js'
import { processAlive, signalProcess } from '../../src/agent/haproxy/haproxy-process.js'
import { showProc } from '../../src/agent/haproxy/master-cli.js'
import { AgentClient, agentClientOptions } from '../../src/drivers/amphora/rest/agent-client.js'
import { controllerClientTls } from '../../src/drivers/amphora/rest/client-tls.js'
import { decodeHeartbeat, type Heartbeat } from '../../src/amphora-api/heartbeat-codec.js'
import {
  agentConfig, freePort, startAgentHarness, startBackend, testAddress, testConfig, type AgentHarness, type Backend,
} from './support/agent-harness.js'
import { startAgentProcess } from './support/agent-process.js'
import { eventually, get } from './support/agent-traffic.js'
import { ipQuiet, isRoot } from './support/netns-fixtures.js'

const KEY = 'e2e-heartbeat-key'

/** Every heartbeat received, in arrival order; packets that do not decode with KEY are kept as errors. */
interface Collector {
  readonly port: number
  readonly got: { readonly at: number; readonly msg: Heartbeat }[]
  readonly errors: string[]
  /** Heartbeats of `amp` so far. */
  of(amp: string): Heartbeat[]
  /** The first heartbeat of `amp` arriving from now on that satisfies `pred`. */
  next(amp: string, pred?: (h: Heartbeat) => boolean, ms?: number): Promise<Heartbeat>
  close(): Promise<void>
}

async function collector(): Promise<Collector> {
  const sock: Socket = createSocket('udp4')
  const got: { at: number; msg: Heartbeat }[] = []
  const errors: string[] = []
  sock.on('message', (buf) => {
    try { got.push({ at: Date.now(), msg: decodeHeartbeat(buf, KEY) }) } catch (err) { errors.push((err as Error).message) }
  })
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve))
  return {
    port: sock.address().port, got, errors,
    of: (amp) => got.filter((g) => g.msg.id === amp).map((g) => g.msg),
    async next(amp, pred = () => true, ms = 15_000) {
      const from = got.length
      let found: Heartbeat | undefined
      await eventually(() => {
        found = got.slice(from).map((g) => g.msg).find((m) => m.id === amp && pred(m))
        return found !== undefined
      }, ms)
      return found as Heartbeat
    },
    close: () => new Promise<void>((resolve) => sock.close(() => resolve())),
  }
}

/** An HTTP server on a fixed address and port answering `name` (so a stopped backend can come back on its port). */
async function httpServer(address: string, port: number, name: string): Promise<Server> {
  const srv = createServer((_req, res) => res.end(name))
  await new Promise<void>((resolve, reject) => srv.listen(port, address, resolve).once('error', reject))
  return srv
}
const closeServer = (srv: Server): Promise<void> => new Promise((resolve) => { srv.closeAllConnections(); srv.close(() => resolve()) })

let h: AgentHarness
let rx: Collector
let backend: Backend

before(async () => {
  rx = await collector()
  h = await startAgentHarness({
    OCTAVIA_TS__health_manager__controller_ip_port_list: `127.0.0.1:${rx.port}`,
    OCTAVIA_TS__health_manager__heartbeat_interval: '1',
    OCTAVIA_TS__health_manager__heartbeat_key: KEY,
    OCTAVIA_TS__amphora_agent__haproxy_watchdog_interval: '1',
  })
  backend = await startBackend('papa')
})
after(async () => {
  // NOTE: a failed before() leaves some unset; the UDP socket must close anyway or the file never ends.
  try {
    await (h as AgentHarness | undefined)?.close()
    await (backend as Backend | undefined)?.close()
  } finally {
    await rx.close()
  }
  assert.deepEqual(rx.errors, [], 'every heartbeat decodes with the configured key')
})

/** A running load balancer with one listener on its own loopback address; `extra` is added to every server line. */
async function runningLb(servers: { id: string; address: string; port: number; weight?: number }[], extra = '') {
  const amp = await h.amphora()
  const lb = randomUUID()
  const address = testAddress()
  const port = await freePort(address)
  const listener = { listenerId: randomUUID(), poolId: randomUUID(), bind: `${address}:${port}`, servers }
  const config = testConfig(h.base, amp, lb, [listener]).replace(/^( {4}server .*)$/gm, `$1${extra}`)
  await h.client.uploadConfig(h.endpoint, amp, lb, config)
  await h.client.action(h.endpoint, amp, lb, 'start')
  const pid = (await h.client.getAmphora(h.endpoint, amp)).loadbalancers[0]?.pid ?? -1
  return { amp, lb, pid, url: `http://${address}:${port}/`, listener: listener.listenerId, pool: `${listener.poolId}:${listener.listenerId}` }
}

const sum = (hs: readonly Heartbeat[], listener: string, k: 'tx' | 'rx' | 'totconns'): number =>
  hs.reduce((n, m) => n + (m.listeners[listener]?.stats?.[k] ?? 0), 0)

function assertSeqIncreasing(hs: readonly Heartbeat[]): void {
  for (let i = 1; i < hs.length; i++) assert.ok((hs[i]?.seq ?? 0) > (hs[i - 1]?.seq ?? 0), `seq ${hs[i]?.seq} after ${hs[i - 1]?.seq}`)
}

describe('amphora agent heartbeats', () => {
  it('when amphorae are registered, then each sends one heartbeat per interval, with or without a running HAProxy', async () => {
    const t = await runningLb([{ id: randomUUID(), address: backend.address, port: backend.port }])
    const idle = await h.amphora()
    await rx.next(t.amp, (m) => t.listener in m.listeners)
    await rx.next(idle)
    const [a0, i0] = [rx.of(t.amp).length, rx.of(idle).length]
    await new Promise((r) => setTimeout(r, 5000))
    const [a, i] = [rx.of(t.amp).length - a0, rx.of(idle).length - i0]
    assert.ok(a >= 3 && a <= 7, `${a} heartbeats of the amphora with a HAProxy in 5 s`)
    assert.ok(i >= 3 && i <= 7, `${i} heartbeats of the amphora without one in 5 s`)
    const last = rx.of(idle).at(-1)
    assert.deepEqual([last?.listeners, last?.pools, last?.failed, last?.ver], [{}, {}, undefined, 3])
    assert.equal(rx.of(t.amp).at(-1)?.listeners[t.listener]?.status, 'OPEN')
    assertSeqIncreasing(rx.of(t.amp))
  })

  it('when a member\'s backend stops, then it is reported DOWN, and UP again once it is back; a weight 0 member is DRAIN', async () => {
    const address = '127.0.0.1'
    const port = await freePort(address)
    let srv = await httpServer(address, port, 'quebec')
    const [up, drained] = [randomUUID(), randomUUID()]
    const t = await runningLb([{ id: up, address, port }, { id: drained, address: backend.address, port: backend.port, weight: 0 }],
      ' check inter 200 fall 1 rise 1')
    try {
      const member = (id: string) => (m: Heartbeat): string | undefined => m.pools[t.pool]?.members[id]
      const first = await rx.next(t.amp, (m) => member(up)(m) === 'UP')
      assert.equal(member(drained)(first), 'DRAIN')
      await closeServer(srv)
      await rx.next(t.amp, (m) => member(up)(m) === 'DOWN')
      srv = await httpServer(address, port, 'quebec')
      const back = await rx.next(t.amp, (m) => member(up)(m) === 'UP')
      assert.equal(back.pools[t.pool]?.status, 'UP')
    } finally {
      await closeServer(srv)
    }
  })

  it('when traffic flows and the agent restarts, then the listener deltas add up to the traffic and seq keeps increasing', async () => {
    const t = await runningLb([{ id: randomUUID(), address: backend.address, port: backend.port }])
    await rx.next(t.amp, (m) => t.listener in m.listeners)
    const settled = async (requests: number): Promise<void> => {
      await eventually(() => sum(rx.of(t.amp), t.listener, 'totconns') >= requests, 15_000)
      await rx.next(t.amp)
      const stats = (await h.client.stats(h.endpoint, t.amp)).listeners[t.listener]?.stats
      const hs = rx.of(t.amp)
      assert.equal(sum(hs, t.listener, 'totconns'), requests)
      assert.equal(stats?.totconns, requests)
      assert.equal(sum(hs, t.listener, 'rx'), stats?.rx, 'bytes in: deltas add up to the absolute counter')
      assert.equal(sum(hs, t.listener, 'tx'), stats?.tx, 'bytes out: deltas add up to the absolute counter')
      assert.equal(hs.at(-1)?.listeners[t.listener]?.stats?.conns, 0)
    }
    for (let i = 0; i < 25; i++) assert.equal((await get(t.url)).status, 200)
    await settled(25)
    const before = rx.of(t.amp).length
    await h.restartAgent()
    for (let i = 0; i < 10; i++) assert.equal((await get(t.url)).status, 200)
    await settled(35)
    assert.ok(rx.of(t.amp).length > before)
    assertSeqIncreasing(rx.of(t.amp))
  })

  it('when the HAProxy master is killed, then it runs again and the heartbeats carry `failed`, also after an agent restart, until the amphora is deleted', async () => {
    const t = await runningLb([{ id: randomUUID(), address: backend.address, port: backend.port }])
    const ok = await rx.next(t.amp, (m) => t.listener in m.listeners)
    assert.equal(ok.failed, undefined)
    signalProcess(t.pid, 'SIGKILL')
    const failed = await rx.next(t.amp, (m) => m.failed !== undefined && t.listener in m.listeners)
    assert.match(failed.failed ?? '', new RegExp(`haproxy of load balancer ${t.lb} died`))
    const state = (await h.client.getAmphora(h.endpoint, t.amp)).loadbalancers[0]
    assert.equal(state?.running, true)
    assert.notEqual(state?.pid, t.pid)
    assert.deepEqual(await get(t.url), { status: 200, body: 'papa' })
    await h.restartAgent()
    assert.equal((await rx.next(t.amp)).failed, failed.failed, 'the failure survives an agent restart')
    await h.client.deleteAmphora(h.endpoint, t.amp)
    const count = rx.of(t.amp).length
    await new Promise((r) => setTimeout(r, 2500))
    assert.ok(rx.of(t.amp).length <= count + 1, 'a deleted amphora sends no more heartbeats')
  })
})

describe('amphora agent heartbeats with network namespaces', { skip: !isRoot() && 'needs root: network namespaces (netns mode)' }, () => {
  const netns = `octts-hb-${process.pid}`
  before(() => {
    execFileSync('ip', ['netns', 'add', netns])
    execFileSync('ip', ['netns', 'exec', netns, 'ip', 'link', 'set', 'lo', 'up'])
  })
  after(() => { ipQuiet(['netns', 'del', netns]) })

  it('when the amphora\'s namespace is deleted, then its HAProxy processes are stopped and its heartbeats carry `failed`', async () => {
    const amp = await h.amphora(netns)
    const lb = randomUUID()
    const listener = randomUUID()
    const config = testConfig(h.base, amp, lb, []) +
      `frontend ${listener}\n    mode http\n    bind 127.0.0.1:8080\n    http-request return status 200 content-type text/plain string inside\n`
    await h.client.uploadConfig(h.endpoint, amp, lb, config)
    await h.client.action(h.endpoint, amp, lb, 'start')
    const pid = (await h.client.getAmphora(h.endpoint, amp)).loadbalancers[0]?.pid ?? -1
    const workers = (await showProc(loadBalancerPaths(h.base, amp, lb).masterSocket)).workers
    assert.ok(workers.length > 0)
    const ok = await rx.next(amp, (m) => m.listeners[listener]?.status === 'OPEN')
    assert.equal(ok.failed, undefined)

    execFileSync('ip', ['netns', 'delete', netns])
    const failed = await rx.next(amp, (m) => m.failed !== undefined)
    assert.match(failed.failed ?? '', new RegExp(`network namespace ${netns} vanished`))
    await eventually(async () => !(await processAlive(pid)), 5000)
    for (const w of workers) assert.equal(await processAlive(w), false, `worker ${w} is gone`)
    const state = await h.client.getAmphora(h.endpoint, amp)
    assert.deepEqual(state.loadbalancers, [{ id: lb, running: false, pid: null }], 'still registered, nothing running')
    const later = await rx.next(amp)
    assert.deepEqual([later.failed, later.listeners], [failed.failed, {}])
    await h.client.deleteAmphora(h.endpoint, amp)
  })
})

describe('octavia-ts agent process heartbeats', () => {
  it('when `octavia-ts agent` runs from a config file, then it sends the heartbeats of its amphorae as [health_manager] says', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'octavia-hb-proc-'))
    const port = await freePort('127.0.0.1')
    const configFile = join(dir, 'agent.ini')
    await writeFile(configFile, `[DEFAULT]\nstate_dir = ${join(dir, 'state')}\n[amphora_agent]\nbind_port = ${port}\n` +
      `[health_manager]\ncontroller_ip_port_list = 127.0.0.1:${rx.port}\nheartbeat_interval = 1\nheartbeat_key = ${KEY}\n`)
    const agent = await startAgentProcess(configFile, port, null)
    const config = agentConfig(join(dir, 'state'))
    const client = new AgentClient(agentClientOptions(config.haproxy_amphora, await controllerClientTls(config)))
    const ep = { host: '127.0.0.1', port }
    try {
      const amp = randomUUID()
      await client.registerAmphora(ep, amp, { netns: null })
      const first = await rx.next(amp)
      const second = await rx.next(amp)
      assert.ok(second.seq > first.seq)
      assert.deepEqual([first.ver, first.listeners, first.pools], [3, {}, {}])
      await client.deleteAmphora(ep, amp)
    } finally {
      await client.close()
      await agent.stop()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
