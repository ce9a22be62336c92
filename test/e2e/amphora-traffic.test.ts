import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { httpGet, startEchoServer, startHttpBackend, tcpRoundTrip, waitServing, type Backend } from './support/amphora-backends.js'
import { assertNothingLeft, hostTraces } from './support/amphora-leftovers.js'
import { startAmphoraStack, type AmphoraStack, type StackMode } from './support/amphora-stack.js'

// The amphora provider end to end: real agent, real HAProxy, real backends,
// in netns mode (root: a namespace per amphora behind a bridge) and loopback mode.

const isRoot = process.geteuid?.() === 0
/** HTTP listener port: 80 as root; unprivileged HAProxies cannot bind below 1024. */
const HTTP_PORT = isRoot ? 80 : 10080

/** Listener statistics once two reads a few collector rounds apart agree. */
async function settledStats(stack: AmphoraStack, path: string): Promise<any> {
  let last = (await stack.request('GET', path)).body.stats
  for (let i = 0; i < 20; i++) {
    await new Promise(r => setTimeout(r, 1000))
    const now = (await stack.request('GET', path)).body.stats
    if (JSON.stringify(now) === JSON.stringify(last)) return now
    last = now
  }
  throw new Error(`statistics of ${path} never settled`)
}
const modes: StackMode[] = (process.env.OCTAVIA_E2E_MODES?.split(',') as StackMode[] | undefined) ?? (isRoot ? ['netns', 'loopback'] : ['loopback'])

for (const mode of modes) {
  describe(`amphora provider, ${mode} mode`, () => {
    let stack: AmphoraStack
    const backends: Backend[] = []
    let echo: { port: number; close(): Promise<void> }
    let lbId = ''
    let vip = ''
    let httpListenerId = ''
    let poolId = ''
    let amphoraId = ''

    before(async () => {
      stack = await startAmphoraStack({ mode })
      for (const name of ['b1', 'b2', 'b3']) backends.push(await startHttpBackend(name, stack.backendHost))
      echo = await startEchoServer(stack.backendHost)
    })
    after(async () => {
      for (const b of backends) await b.close()
      await echo?.close()
      await stack?.close()
    })

    it('when a load balancer with an HTTP listener and 3 members is created, then it becomes ACTIVE and ONLINE with a real amphora', async () => {
      const r = await stack.request('POST', '/v2/lbaas/loadbalancers', {
        loadbalancer: {
          name: 'e2e', vip_subnet_id: stack.subnetId,
          listeners: [{
            name: 'web', protocol: 'HTTP', protocol_port: HTTP_PORT,
            default_pool: {
              name: 'web-pool', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN',
              members: backends.map(b => ({ address: b.host, protocol_port: b.port, subnet_id: stack.subnetId })),
            },
          }],
        },
      })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      lbId = r.body.loadbalancer.id
      vip = r.body.loadbalancer.vip_address
      const lb = await stack.waitStatus(`/v2/lbaas/loadbalancers/${lbId}`, 'ACTIVE', 30000)
      assert.equal(lb.operating_status, 'ONLINE')
      assert.equal(lb.provider, 'amphora')
      const listeners = await stack.request('GET', `/v2/lbaas/listeners?loadbalancer_id=${lbId}`)
      httpListenerId = listeners.body.listeners[0].id
      poolId = listeners.body.listeners[0].default_pool_id
      assert.equal(listeners.body.listeners[0].operating_status, 'ONLINE')
      const amps = await stack.database.db.selectFrom('amphora').selectAll().where('load_balancer_id', '=', lbId).execute()
      assert.equal(amps.length, 1)
      const amp = amps[0]
      amphoraId = amp.id
      assert.equal(amp.status, 'ALLOCATED')
      assert.equal(amp.role, 'STANDALONE')
      assert.equal(amp.lb_network_ip, '127.0.0.1')
      assert.equal(amp.ha_ip, vip)
      assert.ok(amp.vrrp_ip && amp.vrrp_ip !== vip, 'the amphora has an address of its own')
      assert.ok(amp.cert_expiration && new Date(`${amp.cert_expiration}Z`).getTime() > Date.now(), 'certificate expiry recorded')
      assert.equal(amp.compute_id, mode === 'netns' ? `amp-${amp.id}` : `loopback:${amp.id}`)
      const traces = await hostTraces(stack, amp.id, vip)
      assert.equal(traces.masters.length, 1, 'one HAProxy master runs for the load balancer')
      if (mode === 'netns') assert.ok(traces.namespace, 'the amphora namespace exists')
    })

    it('when 300 requests are sent to the VIP, then the 3 members share them evenly (±10 %)', async () => {
      await waitServing(vip, HTTP_PORT)
      const before = backends.map(b => b.hits())
      const counts = new Map<string, number>()
      for (let i = 0; i < 300; i++) {
        const res = await httpGet(vip, HTTP_PORT)
        assert.equal(res.status, 200)
        counts.set(res.body, (counts.get(res.body) ?? 0) + 1)
      }
      for (const [i, b] of backends.entries()) {
        const got = counts.get(b.name) ?? 0
        assert.ok(got >= 90 && got <= 110, `${b.name} answered ${got} of 300: ${JSON.stringify([...counts])}`)
        assert.equal(b.hits() - before[i], got)
      }
    })

    it('when a TCP listener is added on the live load balancer, then bytes pass both ways through it', async () => {
      const r = await stack.request('POST', '/v2/lbaas/listeners', {
        listener: {
          loadbalancer_id: lbId, protocol: 'TCP', protocol_port: 9000,
          default_pool: { protocol: 'TCP', lb_algorithm: 'LEAST_CONNECTIONS' },
        },
      })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      await stack.waitStatus(`/v2/lbaas/loadbalancers/${lbId}`)
      const m = await stack.request('POST', `/v2/lbaas/pools/${r.body.listener.default_pool_id}/members`, {
        member: { address: stack.backendHost, protocol_port: echo.port },
      })
      assert.equal(m.status, 201, JSON.stringify(m.body))
      await stack.waitStatus(`/v2/lbaas/loadbalancers/${lbId}`)
      const data = randomBytes(1 << 20)
      const back = await tcpRoundTrip(vip, 9000, data)
      assert.equal(back.length, data.length)
      assert.ok(back.equals(data), 'the echo came back unchanged')
    })

    it('when traffic flows, then listener and load balancer statistics count requests and bytes', async () => {
      const path = `/v2/lbaas/listeners/${httpListenerId}/stats`
      const start = await settledStats(stack, path)
      for (let i = 0; i < 20; i++) assert.equal((await httpGet(vip, HTTP_PORT)).status, 200)
      await stack.waitUntil(path, b => b.stats.total_connections >= start.total_connections + 20, 10000)
      const stats = { stats: await settledStats(stack, path) }
      assert.equal(stats.stats.total_connections, start.total_connections + 20)
      assert.ok(stats.stats.bytes_in > start.bytes_in, 'bytes in counted')
      assert.ok(stats.stats.bytes_out > start.bytes_out + 20 * 2, 'bytes out counted')
      const lb = (await stack.request('GET', `/v2/lbaas/loadbalancers/${lbId}/stats`)).body.stats
      assert.ok(lb.total_connections >= stats.stats.total_connections, 'the load balancer sums its listeners')
      assert.ok(lb.bytes_in >= stats.stats.bytes_in + (1 << 20), 'the TCP listener\'s megabyte counts too')
    })

    it('when the load balancer is deleted, then no namespace, process, address or file is left behind', async () => {
      const r = await stack.request('DELETE', `/v2/lbaas/loadbalancers/${lbId}?cascade=true`)
      assert.equal(r.status, 204, JSON.stringify(r.body))
      await stack.waitUntil(`/v2/lbaas/loadbalancers/${lbId}`, b => b?.faultcode !== undefined || b === null || b?.loadbalancer === undefined)
      const amp = await stack.database.db.selectFrom('amphora').selectAll().where('id', '=', amphoraId).executeTakeFirstOrThrow()
      assert.equal(amp.status, 'DELETED')
      await assertNothingLeft(stack, amphoraId, vip)
      void poolId
    })
  })
}
