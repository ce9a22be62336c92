/**
 * An agent restart never touches the HAProxies it manages: running ones are
 * re-adopted (same pid, traffic never stops), ones that died while it was
 * away are started again, ones stopped on purpose stay stopped, ones whose
 * registration is gone are listed as unregistered (and ended on request).
 * While it runs, its watchdog restarts a HAProxy that dies.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { after, before, describe, it } from 'node:test'
import { processAlive, signalGroup, waitForExit } from '../../src/agent/haproxy/haproxy-process.js'
import { amphoraDir } from '../../src/amphora-api/agent-paths.js'
import { freePort, startAgentHarness, startBackend, testAddress, testConfig, type AgentHarness, type Backend } from './support/agent-harness.js'
import { eventually, get, requestLoop } from './support/agent-traffic.js'

let h: AgentHarness
let backend: Backend

before(async () => {
  h = await startAgentHarness({ OCTAVIA_TS__amphora_agent__haproxy_watchdog_interval: '1' })
  backend = await startBackend('kilo')
})
after(async () => {
  await h.close()
  await backend.close()
})

async function runningLoadBalancer(): Promise<{ amp: string; lb: string; url: string; pid: number; backendName: string; member: string }> {
  const amp = await h.amphora()
  const lb = randomUUID()
  const address = testAddress()
  const port = await freePort(address)
  const listener = { listenerId: randomUUID(), poolId: randomUUID(), bind: `${address}:${port}`, servers: [{ id: randomUUID(), address: backend.address, port: backend.port }] }
  await h.client.uploadConfig(h.endpoint, amp, lb, testConfig(h.base, amp, lb, [listener]))
  await h.client.action(h.endpoint, amp, lb, 'start')
  const pid = (await h.client.getAmphora(h.endpoint, amp)).loadbalancers[0]?.pid ?? -1
  return { amp, lb, url: `http://${address}:${port}/`, pid, backendName: `${listener.poolId}:${listener.listenerId}`, member: listener.servers[0]?.id ?? '' }
}

describe('amphora agent restart', () => {
  it('when the agent restarts, then it re-adopts the running HAProxy with the same pid and traffic never stops', async () => {
    const t = await runningLoadBalancer()
    const keepAlive = requestLoop(t.url, { keepAlive: true })
    const fresh = requestLoop(t.url, { keepAlive: false })
    await new Promise((r) => setTimeout(r, 200))
    await h.restartAgent(async () => {
      await new Promise((r) => setTimeout(r, 300))
      assert.equal(await processAlive(t.pid), true, 'HAProxy outlives the agent')
    })
    await new Promise((r) => setTimeout(r, 200))
    const [ka, nc] = [await keepAlive.stop(), await fresh.stop()]
    assert.deepEqual([...ka.errors, ...nc.errors], [])
    assert.equal(ka.retried, 0)
    const state = await h.client.getAmphora(h.endpoint, t.amp)
    assert.deepEqual(state.loadbalancers, [{ id: t.lb, running: true, pid: t.pid }])
    // The adopted HAProxy is fully managed: runtime API, statistics, reload.
    await h.client.updateServers(h.endpoint, t.amp, t.lb, [{ backend: t.backendName, server: t.member, weight: 7 }])
    assert.ok(Object.keys((await h.client.stats(h.endpoint, t.amp)).listeners).length === 1)
    await h.client.action(h.endpoint, t.amp, t.lb, 'reload')
    assert.equal((await h.client.getAmphora(h.endpoint, t.amp)).loadbalancers[0]?.pid, t.pid)
    assert.deepEqual(await get(t.url), { status: 200, body: 'kilo' })
  })

  it('when HAProxy died while the agent was away, then the agent starts it again', async () => {
    const t = await runningLoadBalancer()
    await h.restartAgent(async () => {
      signalGroup(t.pid, 'SIGKILL')
      assert.ok(await waitForExit(t.pid, 3000))
    })
    const state = await h.client.getAmphora(h.endpoint, t.amp)
    assert.equal(state.loadbalancers[0]?.running, true)
    assert.notEqual(state.loadbalancers[0]?.pid, t.pid)
    assert.deepEqual(await get(t.url), { status: 200, body: 'kilo' })
  })

  it('when a load balancer was stopped on purpose, then an agent restart leaves it stopped', async () => {
    const t = await runningLoadBalancer()
    await h.client.action(h.endpoint, t.amp, t.lb, 'stop')
    await h.restartAgent()
    const state = await h.client.getAmphora(h.endpoint, t.amp)
    assert.deepEqual(state.loadbalancers, [{ id: t.lb, running: false, pid: null }])
    await assert.rejects(get(t.url), /ECONNREFUSED/)
  })

  it('when an amphora\'s registration is lost while the agent was away, then the agent lists its HAProxy as unregistered and DELETE ends it', async () => {
    const t = await runningLoadBalancer()
    await h.restartAgent(async () => { await rm(amphoraDir(h.base, t.amp), { recursive: true, force: true }) })
    const inventory = await h.client.listAmphorae(h.endpoint)
    assert.ok(!inventory.registered.includes(t.amp))
    const leftover = inventory.unregistered.find((u) => u.id === t.amp)
    assert.ok(leftover?.pids.includes(t.pid), `the master ${t.pid} among ${JSON.stringify(leftover)}`)
    assert.ok((leftover?.pids.length ?? 0) >= 2, 'its worker too')
    assert.deepEqual(await get(t.url), { status: 200, body: 'kilo' }, 'it still serves: nothing is ended by looking')
    await h.client.deleteAmphora(h.endpoint, t.amp)
    for (const pid of leftover?.pids ?? []) assert.equal(await processAlive(pid), false, `process ${pid} ended`)
    assert.equal((await h.client.listAmphorae(h.endpoint)).unregistered.some((u) => u.id === t.amp), false)
    await assert.rejects(get(t.url), /ECONNREFUSED/)
  })

  it('when HAProxy dies while the agent runs, then the watchdog starts it again', async () => {
    const t = await runningLoadBalancer()
    signalGroup(t.pid, 'SIGKILL')
    await eventually(async () => {
      const lb = (await h.client.getAmphora(h.endpoint, t.amp)).loadbalancers[0]
      return lb?.running === true && lb.pid !== t.pid
    }, 8000)
    assert.deepEqual(await get(t.url), { status: 200, body: 'kilo' })
  })
})
