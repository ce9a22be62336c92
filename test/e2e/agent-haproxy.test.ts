/**
 * The amphora agent against a real HAProxy 2.6, through the controller's
 * real client over mutual TLS: config upload and checks, start/stop/reload,
 * hitless reloads, last-known-good fallback, runtime member changes,
 * statistics and cleanup. Loopback traffic only (127.61.x.y).
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { access, readdir } from 'node:fs/promises'
import { createServer } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { loadBalancerPaths } from '../../src/amphora-api/agent-paths.js'
import { processAlive } from '../../src/agent/haproxy/haproxy-process.js'
import { showProc } from '../../src/agent/haproxy/master-cli.js'
import { AgentRequestError } from '../../src/drivers/amphora/rest/agent-client-errors.js'
import {
  freePort, startAgentHarness, startBackend, testAddress, testConfig, type AgentHarness, type Backend, type TestListener,
} from './support/agent-harness.js'
import { eventually, get, requestLoop } from './support/agent-traffic.js'

let h: AgentHarness
const backends: Backend[] = []

before(async () => { h = await startAgentHarness() })
after(async () => {
  await h.close()
  for (const b of backends) await b.close()
})

/** A load balancer with one listener on its own address, its members on fresh backends. */
async function newLoadBalancer(memberNames: readonly string[]): Promise<{
  amp: string; lb: string; url: string; listener: TestListener; members: string[]; config: (l?: Partial<TestListener>) => string
}> {
  const amp = await h.amphora()
  const lb = randomUUID()
  const started = await Promise.all(memberNames.map((n) => startBackend(n)))
  backends.push(...started)
  const members = started.map(() => randomUUID())
  const address = testAddress()
  const port = await freePort(address)
  const listener: TestListener = {
    listenerId: randomUUID(), poolId: randomUUID(), bind: `${address}:${port}`,
    servers: started.map((b, i) => ({ id: members[i] ?? '', address: b.address, port: b.port })),
  }
  const config = (l: Partial<TestListener> = {}): string => testConfig(h.base, amp, lb, [{ ...listener, ...l }])
  return { amp, lb, url: `http://${address}:${port}/`, listener, members, config }
}

async function workers(amp: string, lb: string): Promise<readonly number[]> {
  return (await showProc(loadBalancerPaths(h.base, amp, lb).masterSocket)).workers
}

async function masterPid(amp: string, lb: string): Promise<number | null> {
  const state = await h.client.getAmphora(h.endpoint, amp)
  return state.loadbalancers.find((l) => l.id === lb)?.pid ?? null
}

describe('amphora agent with HAProxy', () => {
  it('when a config is uploaded and started, then traffic flows and the agent reports the running master', async () => {
    const t = await newLoadBalancer(['alpha'])
    await h.client.uploadConfig(h.endpoint, t.amp, t.lb, t.config())
    assert.equal(await h.client.getConfig(h.endpoint, t.amp, t.lb), t.config())
    const answer = await h.client.action(h.endpoint, t.amp, t.lb, 'start')
    assert.equal(answer.message, 'OK')
    assert.deepEqual(await get(t.url), { status: 200, body: 'alpha' })
    const state = await h.client.getAmphora(h.endpoint, t.amp)
    assert.equal(state.netns, null)
    assert.equal(state.loadbalancers.length, 1)
    assert.equal(state.loadbalancers[0]?.running, true)
    assert.ok(await processAlive(state.loadbalancers[0]?.pid ?? -1))
    assert.equal((await h.client.action(h.endpoint, t.amp, t.lb, 'start')).details?.endsWith('already running'), true)
  })

  it('when an invalid config is uploaded, then it answers 400 with the ALERT lines and the old config keeps serving', async () => {
    const t = await newLoadBalancer(['bravo'])
    await h.client.uploadConfig(h.endpoint, t.amp, t.lb, t.config())
    await h.client.action(h.endpoint, t.amp, t.lb, 'start')
    const err = await h.client.uploadConfig(h.endpoint, t.amp, t.lb, t.config().replace('balance roundrobin', 'balance sideways'))
      .then(() => null, (e: unknown) => e)
    assert.ok(err instanceof AgentRequestError)
    assert.equal(err.agentStatus, 400)
    assert.equal(err.message, 'Invalid request')
    assert.match(err.details ?? '', /\[ALERT\].*balance/)
    assert.equal(await h.client.getConfig(h.endpoint, t.amp, t.lb), t.config())
    await h.client.action(h.endpoint, t.amp, t.lb, 'reload')
    assert.deepEqual(await get(t.url), { status: 200, body: 'bravo' })
  })

  it('when a config names another stats socket, then the upload is refused', async () => {
    const t = await newLoadBalancer(['charlie'])
    const foreign = t.config().replace(/stats socket \S+/, 'stats socket /tmp/elsewhere.sock')
    await assert.rejects(h.client.uploadConfig(h.endpoint, t.amp, t.lb, foreign), (e: AgentRequestError) =>
      e.agentStatus === 400 && /must declare 'stats socket/.test(e.details ?? ''))
    await assert.rejects(h.client.getConfig(h.endpoint, t.amp, t.lb), (e: AgentRequestError) => e.agentStatus === 404)
  })

  it('when reloaded repeatedly under load, then no request fails and the new config takes effect', async () => {
    const t = await newLoadBalancer(['delta'])
    await h.client.uploadConfig(h.endpoint, t.amp, t.lb, t.config())
    await h.client.action(h.endpoint, t.amp, t.lb, 'start')
    const master = await masterPid(t.amp, t.lb)
    const keepAlive = requestLoop(t.url, { keepAlive: true })
    const fresh = requestLoop(t.url, { keepAlive: false })
    const extra = await startBackend('echo')
    backends.push(extra)
    for (let i = 0; i < 6; i++) {
      const servers = i % 2 === 0 ? [...t.listener.servers, { id: randomUUID(), address: extra.address, port: extra.port }] : t.listener.servers
      await h.client.uploadConfig(h.endpoint, t.amp, t.lb, t.config({ servers }))
      await h.client.action(h.endpoint, t.amp, t.lb, 'reload')
      await new Promise((r) => setTimeout(r, 150))
    }
    const [ka, nc] = [await keepAlive.stop(), await fresh.stop()]
    assert.deepEqual(ka.errors, [], `keep-alive loop: ${ka.errors.join(', ')}`)
    assert.deepEqual(nc.errors, [], `new-connection loop: ${nc.errors.join(', ')}`)
    assert.ok(ka.ok > 50 && nc.ok > 50, `requests: ${ka.ok} keep-alive, ${nc.ok} new connections`)
    assert.ok((nc.bodies.get('echo') ?? 0) > 0, 'the added member served requests')
    assert.equal(await masterPid(t.amp, t.lb), master, 'the master stays, only workers change')
  })

  it('when a reload fails at runtime, then it answers 500 and the last known good config keeps serving', async () => {
    const t = await newLoadBalancer(['echo'])
    await h.client.uploadConfig(h.endpoint, t.amp, t.lb, t.config())
    await h.client.action(h.endpoint, t.amp, t.lb, 'start')
    const good = await h.client.getConfig(h.endpoint, t.amp, t.lb)
    const [addr] = t.listener.bind.split(':')
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, addr, resolve))
    const taken = `${addr}:${(blocker.address() as { port: number }).port}`
    try {
      // `haproxy -c` binds nothing, so this passes the check and fails only when HAProxy binds.
      const bad = t.config().replace(`    bind ${t.listener.bind}\n`, `    bind ${t.listener.bind}\n    bind ${taken}\n`)
      await h.client.uploadConfig(h.endpoint, t.amp, t.lb, bad)
      const err = await h.client.action(h.endpoint, t.amp, t.lb, 'reload').then(() => null, (e: unknown) => e)
      assert.ok(err instanceof AgentRequestError)
      assert.equal(err.agentStatus, 500)
      assert.match(err.details ?? '', /cannot bind/)
      assert.equal(await h.client.getConfig(h.endpoint, t.amp, t.lb), good, 'the last known good config is back in place')
      // NOTE: while the failing HAProxy retries its bind (~2 s) the old worker pauses its listeners; it serves again after.
      const after = requestLoop(t.url, { keepAlive: false, maxRequests: 50 })
      await new Promise((r) => setTimeout(r, 300))
      const traffic = await after.stop()
      assert.deepEqual(traffic.errors, [])
      assert.deepEqual([...traffic.bodies.keys()], ['echo'])
      assert.equal((await h.client.getAmphora(h.endpoint, t.amp)).loadbalancers[0]?.running, true)
      await h.client.action(h.endpoint, t.amp, t.lb, 'reload')
    } finally {
      blocker.close()
    }
  })

  it('when member weight, drain, maint and ready are changed at runtime, then traffic follows without a reload', async () => {
    const t = await newLoadBalancer(['m1', 'm2'])
    await h.client.uploadConfig(h.endpoint, t.amp, t.lb, t.config())
    await h.client.action(h.endpoint, t.amp, t.lb, 'start')
    const [master, before] = [await masterPid(t.amp, t.lb), await workers(t.amp, t.lb)]
    const backend = `${t.listener.poolId}:${t.listener.listenerId}`
    const [m1, m2] = t.members as [string, string]
    const spread = async (n: number): Promise<Map<string, number>> => {
      const seen = new Map<string, number>()
      for (let i = 0; i < n; i++) { const r = await get(t.url); seen.set(r.body, (seen.get(r.body) ?? 0) + 1) }
      return seen
    }
    await h.client.updateServers(h.endpoint, t.amp, t.lb, [{ backend, server: m1, weight: 3 }])
    const weighted = await spread(40)
    assert.ok(Math.abs((weighted.get('m1') ?? 0) - 30) <= 2, `m1 got ${weighted.get('m1')} of 40`)
    await h.client.updateServers(h.endpoint, t.amp, t.lb, [{ backend, server: m1, weight: 1 }, { backend, server: m2, state: 'drain' }])
    assert.deepEqual([...(await spread(10))], [['m1', 10]])
    let stats = await h.client.stats(h.endpoint, t.amp)
    assert.equal(stats.pools[backend]?.members[m2], 'DRAIN')
    await h.client.updateServers(h.endpoint, t.amp, t.lb, [{ backend, server: m2, state: 'ready' }, { backend, server: m1, state: 'maint' }])
    assert.deepEqual([...(await spread(10))], [['m2', 10]])
    stats = await h.client.stats(h.endpoint, t.amp)
    assert.equal(stats.pools[backend]?.members[m1], 'MAINT')
    await h.client.updateServers(h.endpoint, t.amp, t.lb, [{ backend, server: m1, state: 'ready' }])
    assert.equal((await spread(10)).size, 2)
    assert.equal(await masterPid(t.amp, t.lb), master)
    assert.deepEqual(await workers(t.amp, t.lb), before, 'same worker: no reload happened')
    await assert.rejects(h.client.updateServers(h.endpoint, t.amp, t.lb, [{ backend, server: randomUUID(), weight: 2 }]),
      (e: AgentRequestError) => e.agentStatus === 404 && /No such server/.test(e.message))
    await assert.rejects(h.client.updateServers(h.endpoint, t.amp, t.lb, [{ backend: 'x;shutdown', server: m1, weight: 2 }]),
      (e: AgentRequestError) => e.agentStatus === 400)
  })

  it('when a runtime change is followed by a reload, then the server state file carries it over', async () => {
    const t = await newLoadBalancer(['keep1', 'keep2'])
    await h.client.uploadConfig(h.endpoint, t.amp, t.lb, t.config())
    await h.client.action(h.endpoint, t.amp, t.lb, 'start')
    const backend = `${t.listener.poolId}:${t.listener.listenerId}`
    await h.client.updateServers(h.endpoint, t.amp, t.lb, [{ backend, server: t.members[1] ?? '', state: 'maint' }])
    await h.client.action(h.endpoint, t.amp, t.lb, 'reload')
    const stats = await h.client.stats(h.endpoint, t.amp)
    assert.equal(stats.pools[backend]?.members[t.members[1] ?? ''], 'MAINT')
  })

  it('when requests are served, then the statistics count them per listener and report pool and members', async () => {
    const t = await newLoadBalancer(['stats'])
    await h.client.uploadConfig(h.endpoint, t.amp, t.lb, t.config())
    await h.client.action(h.endpoint, t.amp, t.lb, 'start')
    for (let i = 0; i < 7; i++) await get(t.url)
    const backend = `${t.listener.poolId}:${t.listener.listenerId}`
    await eventually(async () => (await h.client.stats(h.endpoint, t.amp)).listeners[t.listener.listenerId]?.stats.totconns === 7)
    const stats = await h.client.stats(h.endpoint, t.amp)
    const l = stats.listeners[t.listener.listenerId]
    assert.equal(l?.status, 'OPEN')
    assert.ok((l?.stats.rx ?? 0) > 0 && (l?.stats.tx ?? 0) > 0)
    assert.deepEqual(stats.pools[backend], { status: 'UP', members: { [t.members[0] ?? '']: 'no check' } })
  })

  it('when stopped, then nothing listens; when reloaded while stopped, then it starts again', async () => {
    const t = await newLoadBalancer(['foxtrot'])
    await h.client.uploadConfig(h.endpoint, t.amp, t.lb, t.config())
    await h.client.action(h.endpoint, t.amp, t.lb, 'start')
    const pid = await masterPid(t.amp, t.lb)
    await h.client.action(h.endpoint, t.amp, t.lb, 'stop')
    assert.equal(await processAlive(pid ?? -1), false)
    await assert.rejects(get(t.url), /ECONNREFUSED/)
    assert.deepEqual(await h.client.stats(h.endpoint, t.amp), { listeners: {}, pools: {} })
    assert.match((await h.client.action(h.endpoint, t.amp, t.lb, 'reload')).details ?? '', /started$/)
    assert.deepEqual(await get(t.url), { status: 200, body: 'foxtrot' })
  })

  it('when a load balancer and then its amphora are deleted, then no process, socket or file is left', async () => {
    const t = await newLoadBalancer(['golf'])
    await h.client.uploadConfig(h.endpoint, t.amp, t.lb, t.config())
    await h.client.action(h.endpoint, t.amp, t.lb, 'start')
    const pid = await masterPid(t.amp, t.lb)
    const ws = await workers(t.amp, t.lb)
    const paths = loadBalancerPaths(h.base, t.amp, t.lb)
    await h.client.deleteLoadBalancer(h.endpoint, t.amp, t.lb)
    for (const p of [pid ?? -1, ...ws]) assert.equal(await processAlive(p), false, `process ${p} is gone`)
    for (const f of [paths.dir, paths.statsSocket, paths.masterSocket]) await assert.rejects(access(f), `${f} is removed`)
    await h.client.deleteLoadBalancer(h.endpoint, t.amp, t.lb) // idempotent
    await h.client.deleteAmphora(h.endpoint, t.amp)
    assert.equal((await readdir(h.base)).includes(t.amp), false)
    await assert.rejects(h.client.getAmphora(h.endpoint, t.amp), (e: AgentRequestError) => e.agentStatus === 404)
    await h.client.deleteAmphora(h.endpoint, t.amp) // idempotent
    await h.client.deleteLoadBalancer(h.endpoint, t.amp, t.lb) // idempotent on a deleted amphora too
  })

  it('when an amphora is deleted with a running load balancer, then its HAProxy is stopped', async () => {
    const t = await newLoadBalancer(['hotel'])
    await h.client.uploadConfig(h.endpoint, t.amp, t.lb, t.config())
    await h.client.action(h.endpoint, t.amp, t.lb, 'start')
    const pid = await masterPid(t.amp, t.lb)
    await h.client.deleteAmphora(h.endpoint, t.amp)
    assert.equal(await processAlive(pid ?? -1), false)
  })

  it('when the request is wrong, then the agent answers with the contract\'s errors', async () => {
    const t = await newLoadBalancer(['india'])
    const unknownAmp = randomUUID()
    await assert.rejects(h.client.uploadConfig(h.endpoint, unknownAmp, t.lb, t.config()), (e: AgentRequestError) => e.agentStatus === 404)
    await assert.rejects(h.client.action(h.endpoint, t.amp, t.lb, 'start'), (e: AgentRequestError) => e.agentStatus === 404)
    await h.client.uploadConfig(h.endpoint, t.amp, t.lb, t.config())
    await assert.rejects(h.client.action(h.endpoint, t.amp, t.lb, 'restart' as 'start'),
      (e: AgentRequestError) => e.agentStatus === 400 && e.message === 'Invalid Request' && e.details === 'Unknown action: restart')
    await assert.rejects(h.client.registerAmphora(h.endpoint, 'not..an id', { netns: null }), (e: AgentRequestError) => e.agentStatus === 400)
    await assert.rejects(h.client.registerAmphora(h.endpoint, randomUUID(), { netns: '../etc' }), (e: AgentRequestError) => e.agentStatus === 400)
    await assert.rejects(h.client.updateServers(h.endpoint, t.amp, t.lb, [{ backend: 'b', server: 's', weight: 1 }]),
      (e: AgentRequestError) => e.agentStatus === 409, 'runtime changes need a running HAProxy')
    assert.deepEqual(await h.client.root(h.endpoint), { api_version: '1.0' })
    assert.match((await h.client.info(h.endpoint)).haproxy_version, /^2\.6\./)
  })
})
