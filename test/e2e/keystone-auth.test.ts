import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startService, type ServiceProcess } from './support/service-process.js'
import { haveKeystone } from '../support/keystone.js'
import { shortLivedToken } from '../support/keystone-admin.js'
import { startKeystoneCloud, startOctaviaWithKeystone, type KeystoneCloud } from '../support/keystone-cloud.js'
import { tokenClient, type TokenCall } from '../support/keystone-http.js'

// Token validation of `octavia-ts serve` with auth_strategy = keystone against a
// real Keystone (Debian's package, on loopback, with its own SQLite database).
// token_cache_time is 5 s here so that cache expiry can be observed.

const CACHE_S = 5
const LIST = '/v2/lbaas/loadbalancers'
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

describe('keystone token validation', { skip: !haveKeystone() && 'Debian\'s keystone package is not installed (scripts/setup.sh)' }, () => {
  let cloud: KeystoneCloud
  let svc: ServiceProcess
  let call: TokenCall
  const used: string[] = []
  const token = async (who: Parameters<KeystoneCloud['token']>[0]) => {
    const t = await cloud.token(who)
    used.push(t)
    return t
  }
  const expect401 = (r: Awaited<ReturnType<TokenCall>>) => {
    assert.equal(r.status, 401, JSON.stringify(r.body))
    assert.equal(r.headers.get('www-authenticate'), `Keystone uri="${cloud.keystone.url}/v3"`)
    assert.equal(r.body.faultstring, 'The request you have made requires authentication.')
    assert.equal(r.body.faultcode, 'Client')
    assert.deepEqual(r.body.error, { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' })
  }

  before(async () => {
    cloud = await startKeystoneCloud()
    svc = await startOctaviaWithKeystone(cloud, { DEFAULT: { debug: 'true' }, keystone_authtoken: { token_cache_time: String(CACHE_S) } })
    call = tokenClient(svc.url)
  })
  after(async () => {
    await svc?.dispose()
    await cloud?.dispose()
  })

  it('when the version document is asked for without a token, then it is served', async () => {
    const r = await call('GET', '/')
    assert.equal(r.status, 200)
    assert.ok(Array.isArray(r.body.versions))
  })

  it('when a request has no token, then it is 401 with the WWW-Authenticate header naming Keystone', async () => {
    expect401(await call('GET', LIST))
    expect401(await call('POST', LIST, null, { loadbalancer: { vip_subnet_id: 'x' } }))
    expect401(await call('GET', '/v2.0/subnets'))
  })

  it('when a request has a made-up token, then it is 401', async () => {
    expect401(await call('GET', LIST, 'not-a-token'))
    expect401(await call('GET', LIST, 'gAAAAABpZ3JvdW5kaG9nZGF5'))
  })

  it('when a request has a valid token, then it is served with the token\'s project', async () => {
    const t = await token('alice')
    const r = await call('GET', LIST, t)
    assert.equal(r.status, 200, JSON.stringify(r.body))
    assert.deepEqual(r.body.loadbalancers, [])
    const quota = await call('GET', `/v2/lbaas/quotas/${cloud.users.alice.projectId}`, t)
    assert.notEqual(quota.status, 401, JSON.stringify(quota.body))
  })

  it('when a token was revoked before its first use, then it is 401', async () => {
    const t = await token('bob')
    await cloud.admin.revoke(t)
    expect401(await call('GET', LIST, t))
  })

  it('when a token expires, then it is refused from then on although it was cached', async () => {
    const { token: t, expiresAt } = await shortLivedToken(cloud.keystone.url, cloud.users.alice, 3)
    used.push(t)
    assert.ok(expiresAt - Date.now() < 4000, 'Keystone capped the token at the credential\'s expiry')
    assert.equal((await call('GET', LIST, t)).status, 200)
    await sleep(Math.max(0, expiresAt - Date.now()) + 200)
    expect401(await call('GET', LIST, t))
  })

  it('when a cached token is revoked, then it is accepted until token_cache_time passes, then refused', async () => {
    const t = await token('oscar')
    const first = Date.now()
    assert.equal((await call('GET', LIST, t)).status, 200)
    await cloud.admin.revoke(t)
    assert.equal((await call('GET', LIST, t)).status, 200, 'served from the cache (keystonemiddleware does the same)')
    await sleep(Math.max(0, first + CACHE_S * 1000 - Date.now()) + 300)
    expect401(await call('GET', LIST, t))
  })

  it('when Keystone is down, then a cached token is still served, an unknown one is 503, and all works again once it is back', async () => {
    const cached = await token('alice')
    const unknown = await token('bob')
    assert.equal((await call('GET', LIST, cached)).status, 200)
    await cloud.keystone.stop()
    try {
      assert.equal((await call('GET', LIST, cached)).status, 200, 'validated from the cache, without Keystone')
      const r = await call('GET', LIST, unknown)
      assert.equal(r.status, 503, JSON.stringify(r.body))
      assert.deepEqual(r.body, { faultcode: 'Server', faultstring: 'The Keystone service is temporarily unavailable.', debuginfo: null })
      expect401(await call('GET', LIST))
    } finally {
      await cloud.keystone.start()
    }
    assert.equal((await call('GET', LIST, unknown)).status, 200)
  })

  it('when the service user\'s password is wrong, then requests with a token are 503 and without one 401', async () => {
    const bad = await startService({
      sections: { api_settings: { auth_strategy: 'keystone' }, keystone_authtoken: { ...cloud.authtoken, password: 'wrong' } },
    })
    try {
      const t = await token('alice')
      const c = tokenClient(bad.url)
      assert.equal((await c('GET', LIST, t)).status, 503)
      assert.equal((await c('GET', LIST)).status, 401)
      assert.ok(!bad.logs().includes(cloud.authtoken.password))
    } finally {
      await bad.dispose()
    }
  })

  it('when auth_strategy is keystone and [keystone_authtoken] lacks auth_url, then the service does not start', async () => {
    await assert.rejects(startService({ sections: { api_settings: { auth_strategy: 'keystone' } } }),
      /\[keystone_authtoken\] auth_url: required when \[api_settings\] auth_strategy = keystone/)
  })

  it('when the service ran at debug level, then its log holds neither tokens nor the service password', () => {
    const logs = svc.logs()
    assert.ok(logs.includes('Rejecting request'), 'the log has the rejections')
    for (const t of used) assert.ok(!logs.includes(t), 'a token is in the service log')
    assert.ok(!logs.includes(cloud.authtoken.password), 'the service password is in the log')
  })
})
