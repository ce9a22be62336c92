/**
 * The agent as its own process: unprivileged in the host namespace (the
 * loopback mode needs no root), surviving a real restart of the agent
 * process, and — when run as root — HAProxy inside a network namespace.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { chown, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { agentBaseDir } from '../../src/amphora-api/agent-paths.js'
import { processAlive } from '../../src/agent/haproxy/haproxy-process.js'
import { AgentClient, agentClientOptions } from '../../src/drivers/amphora/rest/agent-client.js'
import { controllerClientTls } from '../../src/drivers/amphora/rest/client-tls.js'
import { agentConfig, freePort, startAgentHarness, startBackend, testAddress, testConfig, type Backend } from './support/agent-harness.js'
import { startAgentProcess } from './support/agent-process.js'
import { get, requestLoop } from './support/agent-traffic.js'

const isRoot = process.getuid?.() === 0
const NOBODY = 65534

async function uidOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  return Number(/^Uid:\s+(\d+)/m.exec(status)?.[1])
}

describe('agent process', { skip: !isRoot && 'needs root to switch to the nobody user' }, () => {
  let dir: string
  let backend: Backend
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'octavia-agent-proc-'))
    await chown(dir, NOBODY, NOBODY)
    backend = await startBackend('lima')
  })
  after(async () => {
    await backend.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('when run as an unprivileged user, then it serves load balancers and a restarted agent process re-adopts them', async () => {
    const port = await freePort('127.0.0.1')
    const configFile = join(dir, 'agent.ini')
    await writeFile(configFile, `[DEFAULT]\nstate_dir = ${join(dir, 'state')}\n[amphora_agent]\nbind_port = ${port}\nhaproxy_stop_timeout = 2\n`)
    let agent = await startAgentProcess(configFile, port, 'nobody')
    const config = agentConfig(join(dir, 'state'))
    const client = new AgentClient(agentClientOptions(config.haproxy_amphora, await controllerClientTls(config)))
    const ep = { host: '127.0.0.1', port }
    try {
      const amp = randomUUID()
      const lb = randomUUID()
      await client.registerAmphora(ep, amp, { netns: null })
      const address = testAddress()
      const listenPort = await freePort(address)
      const base = agentBaseDir('', join(dir, 'state'))
      await client.uploadConfig(ep, amp, lb, testConfig(base, amp, lb, [{ listenerId: randomUUID(), poolId: randomUUID(),
        bind: `${address}:${listenPort}`, servers: [{ id: randomUUID(), address: backend.address, port: backend.port }] }]))
      await client.action(ep, amp, lb, 'start')
      const url = `http://${address}:${listenPort}/`
      assert.deepEqual(await get(url), { status: 200, body: 'lima' })
      const pid = (await client.getAmphora(ep, amp)).loadbalancers[0]?.pid ?? -1
      assert.equal(await uidOf(pid), NOBODY, 'HAProxy runs as the agent user')
      assert.equal((await stat(join(dir, 'state', 'pki', 'ca-key.pem'))).uid, NOBODY)

      const loop = requestLoop(url, { keepAlive: false })
      await agent.stop()
      assert.equal(await processAlive(pid), true, 'HAProxy outlives the agent process')
      agent = await startAgentProcess(configFile, port, 'nobody')
      const traffic = await loop.stop()
      assert.deepEqual(traffic.errors, [])
      assert.deepEqual((await client.getAmphora(ep, amp)).loadbalancers, [{ id: lb, running: true, pid }])
      await client.action(ep, amp, lb, 'reload')
      await client.deleteAmphora(ep, amp)
      assert.equal(await processAlive(pid), false)
      // run/ (sockets) and heartbeats.json[.tmp] (the heartbeat sender's state) are the agent's, not the amphora's.
      assert.deepEqual((await readdir(base)).filter((d) => d !== 'run' && !d.startsWith('heartbeats.json')), [])
    } finally {
      await client.close()
      await agent.stop()
    }
  })
})

describe('agent with network namespaces', { skip: !isRoot && 'network namespaces need root' }, () => {
  const netns = `octts-agent-${process.pid}`
  before(() => {
    execFileSync('ip', ['netns', 'add', netns])
    execFileSync('ip', ['netns', 'exec', netns, 'ip', 'link', 'set', 'lo', 'up'])
  })
  after(() => {
    execFileSync('ip', ['netns', 'del', netns])
  })

  it('when the amphora has a network namespace, then its HAProxy runs and serves inside it', async () => {
    const h = await startAgentHarness()
    try {
      const amp = await h.amphora(netns)
      const lb = randomUUID()
      const listener = randomUUID()
      const config = testConfig(h.base, amp, lb, []) +
        `frontend ${listener}\n    mode http\n    bind 127.0.0.1:8080\n    http-request return status 200 content-type text/plain string inside\n`
      await h.client.uploadConfig(h.endpoint, amp, lb, config)
      await h.client.action(h.endpoint, amp, lb, 'start')
      const pid = (await h.client.getAmphora(h.endpoint, amp)).loadbalancers[0]?.pid ?? -1
      assert.equal((await stat(`/proc/${pid}/ns/net`)).ino, (await stat(`/run/netns/${netns}`)).ino)
      const body = execFileSync('ip', ['netns', 'exec', netns, 'curl', '-s', '--max-time', '5', 'http://127.0.0.1:8080/'], { encoding: 'utf8' })
      assert.equal(body, 'inside')
      assert.equal((await h.client.stats(h.endpoint, amp)).listeners[listener]?.status, 'OPEN')
      await h.client.action(h.endpoint, amp, lb, 'reload')
      await h.client.deleteAmphora(h.endpoint, amp)
      assert.equal(await processAlive(pid), false)
    } finally {
      await h.close()
    }
  })
})
