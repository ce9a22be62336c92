import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startAmphoraStack, type AmphoraStack } from './support/amphora-stack.js'
import { clientGet, dataplaneModes, startDataplaneBackend, waitAnswer, type DataplaneBackend } from './support/dataplane-backends.js'

// Issue 4, item 3: an HTTP health monitor (delay 1, timeout 1, max_retries 1,
// max_retries_down 1) takes a stopped member out of rotation within
// delay × max_retries_down + one interval, no client request fails after that,
// and the member comes back when its backend does; the API's member
// operating_status follows (ERROR, then ONLINE) through the amphora's
// heartbeats and the health manager (1 s heartbeats in the stack).

const PORT = 10080
const DELAY_S = 1
const MAX_RETRIES_DOWN = 1

for (const mode of dataplaneModes()) {
  describe(`health monitor, ${mode} mode`, () => {
    let stack: AmphoraStack
    const backends: DataplaneBackend[] = []
    let lbId = ''
    let vip = ''
    let poolId = ''
    const memberIds = new Map<string, string>()

    before(async () => {
      stack = await startAmphoraStack({ mode })
      for (const name of ['up', 'flaky']) backends.push(await startDataplaneBackend(name, stack.backendHost))
      const r = await stack.request('POST', '/v2/lbaas/loadbalancers', {
        loadbalancer: {
          name: 'dataplane-health', vip_subnet_id: stack.subnetId,
          listeners: [{
            protocol: 'HTTP', protocol_port: PORT,
            default_pool: {
              name: 'checked', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN',
              healthmonitor: { type: 'HTTP', delay: DELAY_S, timeout: 1, max_retries: 1, max_retries_down: MAX_RETRIES_DOWN, url_path: '/', expected_codes: '200' },
              members: backends.map(b => ({ name: b.name, address: b.host, protocol_port: b.port, subnet_id: stack.subnetId })),
            },
          }],
        },
      })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      lbId = r.body.loadbalancer.id
      vip = r.body.loadbalancer.vip_address
      await stack.waitStatus(`/v2/lbaas/loadbalancers/${lbId}`, 'ACTIVE', 30000)
      poolId = (await stack.request('GET', `/v2/lbaas/pools?loadbalancer_id=${lbId}`)).body.pools[0].id
      for (const m of (await stack.request('GET', `/v2/lbaas/pools/${poolId}/members`)).body.members) memberIds.set(m.name, m.id)
      await waitAnswer(vip, PORT)
    })
    after(async () => {
      for (const b of backends) await b.close()
      if (lbId && stack) {
        await stack.request('DELETE', `/v2/lbaas/loadbalancers/${lbId}?cascade=true`).catch(() => undefined)
        await stack.waitUntil(`/v2/lbaas/loadbalancers/${lbId}`, b => b?.loadbalancer === undefined, 30000).catch(() => undefined)
      }
      await stack?.close()
    })

    const memberStatus = (name: string): string => `/v2/lbaas/pools/${poolId}/members/${memberIds.get(name)}`
    const serveAll = async (n: number): Promise<Map<string, number>> => {
      const counts = new Map<string, number>()
      for (let i = 0; i < n; i++) {
        const r = await clientGet(vip, PORT, '/')
        assert.equal(r.status, 200, `request ${i} answered ${r.status} ${r.body.slice(0, 100)}`)
        counts.set(r.body, (counts.get(r.body) ?? 0) + 1)
      }
      return counts
    }

    it('when both backends answer their checks, then both members are ONLINE and share the traffic', async () => {
      for (const name of ['up', 'flaky']) await stack.waitUntil(memberStatus(name), b => b.member?.operating_status === 'ONLINE', 10000)
      const counts = await serveAll(10)
      assert.deepEqual([...counts.keys()].sort(), ['flaky', 'up'])
    })

    it('when a backend stops, then within delay × max_retries_down + one interval it is out of rotation, no request fails and the member turns ERROR', async () => {
      const flaky = backends.find(b => b.name === 'flaky')!
      await flaky.stop()
      const stoppedAt = Date.now()
      await new Promise(r => setTimeout(r, (DELAY_S * MAX_RETRIES_DOWN + DELAY_S) * 1000))
      const counts = await serveAll(30)
      assert.deepEqual([...counts], [['up', 30]], 'only the live member answers')
      const m = await stack.waitUntil(memberStatus('flaky'), b => b.member?.operating_status === 'ERROR', 5000)
      assert.equal(m.member.operating_status, 'ERROR')
      assert.ok(Date.now() - stoppedAt < 8000, 'ERROR reached the API within a few heartbeats')
      const up = (await stack.request('GET', memberStatus('up'))).body.member
      assert.equal(up.operating_status, 'ONLINE')
    })

    it('when the backend is back, then its member returns to ONLINE and receives traffic again', async () => {
      const flaky = backends.find(b => b.name === 'flaky')!
      await flaky.start()
      await stack.waitUntil(memberStatus('flaky'), b => b.member?.operating_status === 'ONLINE', 10000)
      const counts = await serveAll(10)
      assert.ok((counts.get('flaky') ?? 0) >= 4, `the returned member shares the traffic: ${JSON.stringify([...counts])}`)
      const pool = (await stack.request('GET', `/v2/lbaas/pools/${poolId}`)).body.pool
      assert.equal(pool.operating_status, 'ONLINE')
    })
  })
}
