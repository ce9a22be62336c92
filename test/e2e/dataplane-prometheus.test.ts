import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startAmphoraStack, type AmphoraStack } from './support/amphora-stack.js'
import { clientGet, dataplaneModes, startDataplaneBackend, waitAnswer, type DataplaneBackend } from './support/dataplane-backends.js'

// Issue 4, item 4: a PROMETHEUS listener serves HAProxy's metrics on the VIP,
// next to an HTTP listener whose traffic the metrics count.

const HTTP_PORT = 10080
const METRICS_PORT = 10090

for (const mode of dataplaneModes()) {
  describe(`PROMETHEUS listener, ${mode} mode`, () => {
    let stack: AmphoraStack
    let backend: DataplaneBackend
    let lbId = ''
    let vip = ''

    before(async () => {
      stack = await startAmphoraStack({ mode })
      backend = await startDataplaneBackend('web', stack.backendHost)
      const r = await stack.request('POST', '/v2/lbaas/loadbalancers', {
        loadbalancer: {
          name: 'dataplane-prometheus', vip_subnet_id: stack.subnetId,
          listeners: [
            { protocol: 'HTTP', protocol_port: HTTP_PORT, default_pool: { name: 'web', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', members: [{ address: backend.host, protocol_port: backend.port, subnet_id: stack.subnetId }] } },
            { name: 'metrics', protocol: 'PROMETHEUS', protocol_port: METRICS_PORT },
          ],
        },
      })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      lbId = r.body.loadbalancer.id
      vip = r.body.loadbalancer.vip_address
      await stack.waitStatus(`/v2/lbaas/loadbalancers/${lbId}`, 'ACTIVE', 30000)
      await waitAnswer(vip, HTTP_PORT)
      await waitAnswer(vip, METRICS_PORT, '/metrics')
    })
    after(async () => {
      await backend?.close()
      if (lbId && stack) {
        await stack.request('DELETE', `/v2/lbaas/loadbalancers/${lbId}?cascade=true`).catch(() => undefined)
        await stack.waitUntil(`/v2/lbaas/loadbalancers/${lbId}`, b => b?.loadbalancer === undefined, 30000).catch(() => undefined)
      }
      await stack?.close()
    })

    it('when GET /metrics is sent to the VIP\'s PROMETHEUS port, then it answers 200 with haproxy_ metrics in the exposition format', async () => {
      for (let i = 0; i < 5; i++) assert.equal((await clientGet(vip, HTTP_PORT, '/')).status, 200)
      const r = await clientGet(vip, METRICS_PORT, '/metrics')
      assert.equal(r.status, 200)
      assert.match(String(r.headers['content-type']), /^text\/plain/)
      assert.match(r.body, /^# HELP haproxy_/m)
      assert.match(r.body, /^# TYPE haproxy_\w+ (gauge|counter)/m)
      assert.match(r.body, /^haproxy_process_/m)
      const sessions = r.body.split('\n').filter(l => l.startsWith('haproxy_frontend_http_requests_total{'))
      assert.ok(sessions.some(l => Number(l.split(' ').at(-1)) >= 5), `the HTTP frontend's requests are counted:\n${sessions.join('\n')}`)
    })

    it('when the listener is asked anything but /metrics, then no member is involved', async () => {
      const before = backend.hits()
      const r = await clientGet(vip, METRICS_PORT, '/')
      assert.equal(r.status, 404)
      assert.equal(backend.hits(), before)
    })
  })
}
