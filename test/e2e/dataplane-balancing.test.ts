import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startAmphoraStack, type AmphoraStack } from './support/amphora-stack.js'
import {
  APP_COOKIE_NAME, clientGet, cookiesOf, dataplaneModes, startDataplaneBackend, waitAnswer, type DataplaneBackend,
} from './support/dataplane-backends.js'

// Issue 4, item 1: balancing algorithms and session persistence through real
// HAProxy and real members. One load balancer, one listener per pool, the same
// two members in every pool. Ports ≥ 10080 so unprivileged HAProxies can bind
// them (runuser -u nobody -- env OCTAVIA_E2E_MODES=loopback node --import tsx --test <this file>).

const LEASTCONN_PORT = 10080
const SOURCE_IP_PORT = 10081
const HTTP_COOKIE_PORT = 10082
const APP_COOKIE_PORT = 10083

for (const mode of dataplaneModes()) {
  describe(`balancing and persistence, ${mode} mode`, () => {
    let stack: AmphoraStack
    const backends: DataplaneBackend[] = []
    let lbId = ''
    let vip = ''

    before(async () => {
      stack = await startAmphoraStack({ mode })
      for (const name of ['m1', 'm2']) backends.push(await startDataplaneBackend(name, stack.backendHost))
      const pool = (lb_algorithm: string, session_persistence?: object): object => ({
        name: `${lb_algorithm}-${JSON.stringify(session_persistence ?? null)}`, protocol: 'HTTP', lb_algorithm, ...(session_persistence ? { session_persistence } : {}),
        members: backends.map(b => ({ address: b.host, protocol_port: b.port, subnet_id: stack.subnetId })),
      })
      const r = await stack.request('POST', '/v2/lbaas/loadbalancers', {
        loadbalancer: {
          name: 'dataplane-balancing', vip_subnet_id: stack.subnetId,
          listeners: [
            { protocol: 'HTTP', protocol_port: LEASTCONN_PORT, default_pool: pool('LEAST_CONNECTIONS') },
            { protocol: 'HTTP', protocol_port: SOURCE_IP_PORT, default_pool: pool('ROUND_ROBIN', { type: 'SOURCE_IP' }) },
            { protocol: 'HTTP', protocol_port: HTTP_COOKIE_PORT, default_pool: pool('ROUND_ROBIN', { type: 'HTTP_COOKIE' }) },
            { protocol: 'HTTP', protocol_port: APP_COOKIE_PORT, default_pool: pool('ROUND_ROBIN', { type: 'APP_COOKIE', cookie_name: APP_COOKIE_NAME }) },
          ],
        },
      })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      lbId = r.body.loadbalancer.id
      vip = r.body.loadbalancer.vip_address
      await stack.waitStatus(`/v2/lbaas/loadbalancers/${lbId}`, 'ACTIVE', 30000)
      for (const port of [LEASTCONN_PORT, SOURCE_IP_PORT, HTTP_COOKIE_PORT, APP_COOKIE_PORT]) await waitAnswer(vip, port)
    })
    after(async () => {
      for (const b of backends) await b.close()
      if (lbId && stack) {
        await stack.request('DELETE', `/v2/lbaas/loadbalancers/${lbId}?cascade=true`).catch(() => undefined)
        await stack.waitUntil(`/v2/lbaas/loadbalancers/${lbId}`, b => b?.loadbalancer === undefined, 30000).catch(() => undefined)
      }
      await stack?.close()
    })

    it('when one member holds a long request open, then LEAST_CONNECTIONS sends every new request to the other member', async () => {
      const held = clientGet(vip, LEASTCONN_PORT, '/hold', {}, 20000)
      const deadline = Date.now() + 5000
      while (backends.every(b => b.holding() === 0)) {
        if (Date.now() > deadline) throw new Error('the long request never reached a member')
        await new Promise(r => setTimeout(r, 20))
      }
      const busy = backends.find(b => b.holding() > 0)!
      const idle = backends.find(b => b !== busy)!
      const answers: string[] = []
      for (let i = 0; i < 10; i++) answers.push((await clientGet(vip, LEASTCONN_PORT, '/')).body)
      assert.deepEqual(answers, Array(10).fill(idle.name), `requests while ${busy.name} holds one open`)
      busy.release()
      const longReply = await held
      assert.deepEqual([longReply.status, longReply.body], [200, busy.name])
    })

    it('when one client sends many requests, then SOURCE_IP keeps it on one member', async () => {
      const answers = new Set<string>()
      for (let i = 0; i < 20; i++) {
        const r = await clientGet(vip, SOURCE_IP_PORT, '/')
        assert.equal(r.status, 200)
        answers.add(r.body)
      }
      assert.equal(answers.size, 1, `one client was served by ${[...answers].join(', ')}`)
    })

    it('when the HTTP_COOKIE cookie is sent back, then every request lands on the member that set it', async () => {
      // Without the cookie, round robin alternates: collect each member's cookie.
      const cookieOf = new Map<string, string>()
      for (let i = 0; i < 4; i++) {
        const r = await clientGet(vip, HTTP_COOKIE_PORT, '/')
        assert.equal(r.status, 200)
        const srv = cookiesOf(r).get('SRV')
        assert.ok(srv, `HAProxy set its SRV cookie: ${JSON.stringify(r.headers['set-cookie'])}`)
        cookieOf.set(r.body, srv)
      }
      assert.deepEqual([...cookieOf.keys()].sort(), ['m1', 'm2'], 'without the cookie both members answer')
      for (const [member, srv] of cookieOf) {
        for (let i = 0; i < 10; i++) {
          const r = await clientGet(vip, HTTP_COOKIE_PORT, '/', { cookie: `SRV=${srv}` })
          assert.equal(r.body, member, `cookie SRV=${srv} sticks to ${member}`)
        }
      }
    })

    it('when the application cookie is sent back, then APP_COOKIE keeps the session on its member', async () => {
      const sessions = new Map<string, string>()
      for (let i = 0; i < 4; i++) {
        const r = await clientGet(vip, APP_COOKIE_PORT, '/')
        assert.equal(r.status, 200)
        const value = cookiesOf(r).get(APP_COOKIE_NAME) ?? ''
        assert.ok(value.startsWith(`${r.body}-`), `the member set its session cookie: ${JSON.stringify(r.headers['set-cookie'])}`)
        sessions.set(r.body, value)
      }
      assert.deepEqual([...sessions.keys()].sort(), ['m1', 'm2'], 'without the cookie both members answer')
      for (const [member, value] of sessions) {
        for (let i = 0; i < 10; i++) {
          const r = await clientGet(vip, APP_COOKIE_PORT, '/', { cookie: `${APP_COOKIE_NAME}=${value}` })
          assert.equal(r.body, member, `session ${value} sticks to ${member}`)
        }
      }
    })
  })
}
