import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startAmphoraStack, type AmphoraStack } from './support/amphora-stack.js'
import {
  clientGet, createAndSettle, dataplaneModes, startDataplaneBackend, waitAnswer, type DataplaneBackend,
} from './support/dataplane-backends.js'

// Issue 4, item 2: L7 policies through real HAProxy: every REDIRECT_TO_POOL
// rule type routes to its own pool (each pool has a member answering its own
// name), REDIRECT_TO_URL / REDIRECT_PREFIX answer their code and Location,
// REJECT answers 403, and an inverted rule flips its match. Port 10080 so an
// unprivileged HAProxy can bind it.

const PORT = 10080
/** Pools reached by L7 rules, named like the member behind each. */
const ROUTED = ['path', 'host', 'header', 'cookie', 'file'] as const

for (const mode of dataplaneModes()) {
  describe(`L7 policies, ${mode} mode`, () => {
    let stack: AmphoraStack
    const backends = new Map<string, DataplaneBackend>()
    let lbId = ''
    let vip = ''

    before(async () => {
      stack = await startAmphoraStack({ mode })
      for (const name of ['default', ...ROUTED]) backends.set(name, await startDataplaneBackend(name, stack.backendHost))
      const member = (name: string): object => {
        const b = backends.get(name)!
        return { address: b.host, protocol_port: b.port, subnet_id: stack.subnetId }
      }
      const r = await stack.request('POST', '/v2/lbaas/loadbalancers', {
        loadbalancer: {
          name: 'dataplane-l7', vip_subnet_id: stack.subnetId,
          listeners: [{ name: 'web', protocol: 'HTTP', protocol_port: PORT, default_pool: { name: 'default', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', members: [member('default')] } }],
          pools: ROUTED.map(name => ({ name, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', members: [member(name)] })),
        },
      })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      lbId = r.body.loadbalancer.id
      vip = r.body.loadbalancer.vip_address
      await stack.waitStatus(`/v2/lbaas/loadbalancers/${lbId}`, 'ACTIVE', 30000)
      const listenerId = (await stack.request('GET', `/v2/lbaas/listeners?loadbalancer_id=${lbId}`)).body.listeners[0].id
      const pools = (await stack.request('GET', `/v2/lbaas/pools?loadbalancer_id=${lbId}`)).body.pools as { id: string; name: string }[]
      const poolIds = new Map(pools.map(p => [p.name, p.id]))
      const policy = (body: object): Promise<any> => createAndSettle(stack, lbId, '/v2/lbaas/l7policies', { l7policy: { listener_id: listenerId, ...body } })
      const toPool = (name: string, rule: object): Promise<any> => policy({ action: 'REDIRECT_TO_POOL', redirect_pool_id: poolIds.get(name), rules: [rule] })
      await toPool('path', { type: 'PATH', compare_type: 'STARTS_WITH', value: '/api' })
      await toPool('host', { type: 'HOST_NAME', compare_type: 'EQUAL_TO', value: 'www.example.com' })
      await toPool('header', { type: 'HEADER', compare_type: 'EQUAL_TO', key: 'X-Route', value: 'header' })
      await toPool('cookie', { type: 'COOKIE', compare_type: 'EQUAL_TO', key: 'route', value: 'cookie' })
      await toPool('file', { type: 'FILE_TYPE', compare_type: 'EQUAL_TO', value: 'jpg' })
      await policy({ action: 'REDIRECT_TO_URL', redirect_url: 'http://moved.example.com/new', redirect_http_code: 301, rules: [{ type: 'PATH', compare_type: 'EQUAL_TO', value: '/old' }] })
      await policy({ action: 'REDIRECT_PREFIX', redirect_prefix: 'https://secure.example.com', redirect_http_code: 308, rules: [{ type: 'PATH', compare_type: 'STARTS_WITH', value: '/secure' }] })
      await policy({ action: 'REJECT', rules: [{ type: 'PATH', compare_type: 'STARTS_WITH', value: '/admin' }] })
      // Rules AND: reject /private unless the request carries X-Token: letmein (the inverted rule).
      await policy({
        action: 'REJECT',
        rules: [
          { type: 'PATH', compare_type: 'STARTS_WITH', value: '/private' },
          { type: 'HEADER', compare_type: 'EQUAL_TO', key: 'X-Token', value: 'letmein', invert: true },
        ],
      })
      await waitAnswer(vip, PORT, '/admin', 403)
    })
    after(async () => {
      for (const b of backends.values()) await b.close()
      if (lbId && stack) {
        await stack.request('DELETE', `/v2/lbaas/loadbalancers/${lbId}?cascade=true`).catch(() => undefined)
        await stack.waitUntil(`/v2/lbaas/loadbalancers/${lbId}`, b => b?.loadbalancer === undefined, 30000).catch(() => undefined)
      }
      await stack?.close()
    })

    const served = async (path: string, headers: Record<string, string> = {}): Promise<string> => {
      const r = await clientGet(vip, PORT, path, headers)
      assert.equal(r.status, 200, `GET ${path} ${JSON.stringify(headers)} answered ${r.status}`)
      return r.body
    }

    it('when no rule matches, then the listener\'s default pool answers', async () => {
      assert.equal(await served('/'), 'default')
      assert.equal(await served('/other/page.png', { host: 'other.example.com' }), 'default')
    })

    it('when a PATH, HOST_NAME, HEADER, COOKIE or FILE_TYPE rule matches, then REDIRECT_TO_POOL routes to its pool', async () => {
      assert.equal(await served('/api/v1/things'), 'path')
      assert.equal(await served('/', { host: 'www.example.com' }), 'host')
      assert.equal(await served('/', { 'x-route': 'header' }), 'header')
      assert.equal(await served('/', { cookie: 'a=b; route=cookie' }), 'cookie')
      assert.equal(await served('/images/cat.jpg'), 'file')
      // Near misses stay on the default pool.
      assert.equal(await served('/v1/api'), 'default')
      assert.equal(await served('/', { 'x-route': 'other' }), 'default')
      assert.equal(await served('/', { cookie: 'route=other' }), 'default')
      assert.equal(await served('/images/cat.png'), 'default')
    })

    it('when REDIRECT_TO_URL matches, then the client gets its code and the exact Location', async () => {
      const r = await clientGet(vip, PORT, '/old')
      assert.equal(r.status, 301)
      assert.equal(r.headers.location, 'http://moved.example.com/new')
    })

    it('when REDIRECT_PREFIX matches, then the client gets its code and the prefix before the original path', async () => {
      const r = await clientGet(vip, PORT, '/secure/login?next=1')
      assert.equal(r.status, 308)
      assert.equal(r.headers.location, 'https://secure.example.com/secure/login?next=1')
    })

    it('when REJECT matches, then the client gets 403 and no member sees the request', async () => {
      const before = [...backends.values()].reduce((n, b) => n + b.hits(), 0)
      const r = await clientGet(vip, PORT, '/admin/users')
      assert.equal(r.status, 403)
      assert.equal([...backends.values()].reduce((n, b) => n + b.hits(), 0), before)
    })

    it('when a rule is inverted, then the policy applies exactly when that rule does not match', async () => {
      assert.equal((await clientGet(vip, PORT, '/private/data')).status, 403)
      assert.equal((await clientGet(vip, PORT, '/private/data', { 'x-token': 'wrong' })).status, 403)
      assert.equal(await served('/private/data', { 'x-token': 'letmein' }), 'default')
    })
  })
}
