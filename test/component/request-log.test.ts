import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { pino } from 'pino'
import { buildApi } from '../../src/api/app.js'
import { loggableUrl } from '../../src/api/request-log.js'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'

const REQ_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const TOKEN = 'gAAAAABsecret-token-value'

describe('loggableUrl', () => {
  it('when a query parameter may carry a credential, then its value is masked; others stay', () => {
    assert.equal(loggableUrl('/v2/lbaas/pools?limit=2&token=abc&x_auth_token=def&name=p'),
      '/v2/lbaas/pools?limit=2&token=***&x_auth_token=***&name=p')
    assert.equal(loggableUrl('/v2/lbaas/pools'), '/v2/lbaas/pools')
    assert.equal(loggableUrl('/x?Password=1&secret'), '/x?Password=***&secret')
  })
})

for (const dialect of testDialects) {
  describe(`request id and request log (${dialect})`, () => {
    let h: Harness
    let app: FastifyInstance
    const lines: string[] = []
    before(async () => {
      h = await startHarness(dialect, { api_settings: { healthcheck_enabled: 'true' } })
      const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(s) })
      app = buildApi({ ...h.deps, log })
      await app.ready()
    })
    after(async () => {
      await app.close()
      await h.close()
    })

    /** Sends one request and returns its answer with the log lines it produced. */
    const send = async (method: string, url: string, headers: Record<string, string> = {}, payload?: string) => {
      const from = lines.length
      const res = await app.inject({ method: method as 'GET', url, headers, payload })
      return { res, logged: lines.slice(from).map(l => JSON.parse(l) as Record<string, unknown>) }
    }

    it('when answers succeed or fail (200, 400, 404, 405, 406, 415, healthcheck, undecodable URL), then each carries its own X-OpenStack-Request-Id and one log line', async () => {
      const seen = new Set<string>()
      const cases: [string, string, Record<string, string>, string | undefined, number][] = [
        ['GET', '/', {}, undefined, 200],
        ['GET', '/v2/lbaas/loadbalancers?limit=x', {}, undefined, 400],
        ['GET', '/v2/lbaas/nothing-here', {}, undefined, 404],
        ['GET', '/v2/lbaas/loadbalancers', { accept: 'text/html' }, undefined, 406],
        ['POST', '/v2/lbaas/loadbalancers', { 'content-type': 'text/plain' }, 'x', 415],
        ['PUT', '/v2/octavia/amphorae/x/bogus', {}, undefined, 405],
        ['GET', '/healthcheck', {}, undefined, 200],
        ['HEAD', '/healthcheck', {}, undefined, 204],
        ['GET', '/v2/lbaas/loadbalancers/%zz', {}, undefined, 400],
      ]
      for (const [method, url, headers, payload, status] of cases) {
        const { res, logged } = await send(method, url, headers, payload)
        assert.equal(res.statusCode, status, `${method} ${url}: ${res.body}`)
        const id = String(res.headers['x-openstack-request-id'])
        assert.match(id, REQ_ID, `${method} ${url}`)
        assert.deepEqual(logged.filter(l => l.msg === 'request').map(l => [l.reqId, l.status]), [[id, status]], `${method} ${url}`)
        assert.ok(!seen.has(id), 'request ids are unique')
        seen.add(id)
      }
    })

    it('when a request is answered, then exactly one "request" line with reqId, method, url, status and ms', async () => {
      const { res, logged } = await send('GET', '/v2.0/lbaas/loadbalancers?limit=1')
      const requestLines = logged.filter(l => l.msg === 'request')
      assert.equal(requestLines.length, 1)
      const line = requestLines[0]
      assert.equal(line.reqId, res.headers['x-openstack-request-id'])
      assert.equal(line.method, 'GET')
      assert.equal(line.url, '/v2.0/lbaas/loadbalancers?limit=1')
      assert.equal(line.status, 200)
      assert.equal(typeof line.ms, 'number')
      assert.equal(line.level, 30)
    })

    it('when a request carries a token (header or query), then it appears in no log line', async () => {
      const { logged } = await send('GET', `/v2/lbaas/loadbalancers?token=${TOKEN}`, { 'x-auth-token': TOKEN, 'x-storage-token': TOKEN })
      assert.ok(logged.length >= 1)
      for (const l of logged) assert.ok(!JSON.stringify(l).includes(TOKEN), JSON.stringify(l))
      assert.equal(logged.find(l => l.msg === 'request')?.url, '/v2/lbaas/loadbalancers?token=***')
    })

    it('when a request fails, then the request line has the error status', async () => {
      const { res, logged } = await send('GET', '/v2/octavia/amphorae/unknown')
      assert.equal(res.statusCode, 404)
      assert.equal(logged.find(l => l.msg === 'request')?.status, 404)
    })
  })
}
