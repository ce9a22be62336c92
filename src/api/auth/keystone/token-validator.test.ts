import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { after, before, beforeEach, describe, it } from 'node:test'
import { loadConfig } from '../../../common/config/load.js'
import { silentLogger } from '../../../common/logging.js'
import { IdentityClient, IdentityUnavailable } from './identity-client.js'
import { keystoneSettings, type KeystoneSettings } from './keystone-settings.js'
import { ServiceToken } from './service-token.js'
import { TokenValidator } from './token-validator.js'

// A scripted Identity v3 server on loopback (not a mock of our code: real HTTP),
// counting what the validator asks. The end-to-end tests use a real Keystone.

interface Scripted {
  /** Answers to POST /v3/auth/tokens (service login), in order; the last one repeats. */
  logins: Array<{ status: number; token?: string; expiresInS?: number }>
  /** user token → status (200 with a token body, else the status). */
  tokens: Record<string, { status: number; expiresInS?: number; roles?: string[]; expiresAt?: string }>
  /** service tokens Keystone no longer accepts (→ 401). */
  rejectedService: Set<string>
  validations: Array<{ service: string; subject: string }>
  loginCount: number
}

const tokenBody = (expiresAt: string, roles: string[]) => ({
  token: {
    user: { id: 'u1', name: 'alice', domain: { id: 'default' } },
    project: { id: 'p1', name: 'alpha', domain: { id: 'default' } },
    roles: roles.map((name, i) => ({ id: `r${i}`, name })),
    expires_at: expiresAt,
  },
})

const inSeconds = (n: number): string => new Date(Date.now() + n * 1000).toISOString()

function fakeKeystone(s: Scripted) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers })
      res.end(JSON.stringify(body))
    }
    req.resume()
    req.on('end', () => {
      if (req.method === 'POST' && req.url?.startsWith('/v3/auth/tokens')) {
        const a = s.logins[Math.min(s.loginCount++, s.logins.length - 1)]
        if (a.status !== 201) return send(a.status, { error: { code: a.status } })
        return send(201, tokenBody(inSeconds(a.expiresInS ?? 3600), ['service']), { 'x-subject-token': a.token ?? 'svc' })
      }
      if (req.method === 'GET' && req.url?.startsWith('/v3/auth/tokens')) {
        const service = String(req.headers['x-auth-token'])
        const subject = String(req.headers['x-subject-token'])
        s.validations.push({ service, subject })
        if (s.rejectedService.has(service)) return send(401, { error: { code: 401 } })
        const t = s.tokens[subject]
        if (!t) return send(404, { error: { code: 404, message: `Could not find token: ${subject}` } })
        if (t.status !== 200) return send(t.status, { error: { code: t.status } })
        // NOTE: a token's expiry is fixed when Keystone first sees it, as a real token's is.
        t.expiresAt ??= inSeconds(t.expiresInS ?? 3600)
        return send(200, tokenBody(t.expiresAt, t.roles ?? ['load-balancer_member']), { 'x-subject-token': subject })
      }
      send(404, {})
    })
  }
}

const settingsFor = (url: string, extra: Record<string, string> = {}): KeystoneSettings => keystoneSettings(loadConfig(undefined, {
  OCTAVIA_TS__keystone_authtoken__auth_url: url,
  OCTAVIA_TS__keystone_authtoken__username: 'octavia',
  OCTAVIA_TS__keystone_authtoken__password: 'secret',
  OCTAVIA_TS__keystone_authtoken__project_name: 'service',
  ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [`OCTAVIA_TS__keystone_authtoken__${k}`, v])),
}).keystone_authtoken)

describe('TokenValidator against a scripted Identity server', () => {
  let server: Server
  let url: string
  let s: Scripted
  const opened: IdentityClient[] = []
  const validator = (extra: Record<string, string> = {}) => {
    const settings = settingsFor(url, extra)
    const client = new IdentityClient(settings)
    opened.push(client)
    const log = silentLogger()
    return new TokenValidator({ client, service: new ServiceToken(client, settings, log), settings, log })
  }

  before(async () => {
    server = createServer((req, res) => fakeKeystone(s)(req, res))
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
    const a = server.address()
    url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`
  })
  beforeEach(() => {
    s = { logins: [{ status: 201, token: 'svc-1' }], tokens: {}, rejectedService: new Set(), validations: [], loginCount: 0 }
  })
  after(async () => {
    for (const c of opened) await c.close()
    server.closeAllConnections()
    await new Promise(r => server.close(r))
  })

  it('when a valid token is validated twice, then Keystone is asked once and the service token is sent as X-Auth-Token', async () => {
    s.tokens.good = { status: 200, roles: ['load-balancer_member', 'reader'] }
    const v = validator()
    const first = await v.validate('good')
    assert.deepEqual({ user: first?.userId, project: first?.projectId, roles: first?.roles }, { user: 'u1', project: 'p1', roles: ['load-balancer_member', 'reader'] })
    const second = await v.validate('good')
    assert.equal(second?.userId, 'u1')
    assert.deepEqual(s.validations, [{ service: 'svc-1', subject: 'good' }])
    assert.equal(s.loginCount, 1)
    assert.deepEqual(v.stats, { keystoneValidations: 1, cacheHits: 1 })
  })

  it('when a token is unknown to Keystone (404), then it is invalid and the verdict is cached too', async () => {
    const v = validator()
    assert.equal(await v.validate('bad'), null)
    assert.equal(await v.validate('bad'), null)
    assert.equal(s.validations.length, 1)
  })

  it('when a cached token reaches its expiry, then the cache no longer vouches for it and it is invalid', async () => {
    s.tokens.short = { status: 200, expiresInS: 1 }
    const v = validator()
    assert.ok(await v.validate('short'))
    assert.ok(await v.validate('short'))
    assert.equal(s.validations.length, 1)
    await new Promise(r => setTimeout(r, 1100))
    assert.equal(await v.validate('short'), null)
  })

  it('when Keystone says a token is already expired, then it is invalid', async () => {
    s.tokens.old = { status: 200, expiresInS: -5 }
    assert.equal(await validator().validate('old'), null)
  })

  it('when token_cache_time is -1, then every validation asks Keystone', async () => {
    s.tokens.good = { status: 200 }
    const v = validator({ token_cache_time: '-1' })
    await v.validate('good')
    await v.validate('good')
    assert.equal(s.validations.length, 2)
  })

  it('when one token is validated by concurrent requests, then Keystone is asked once', async () => {
    s.tokens.good = { status: 200 }
    const v = validator()
    const all = await Promise.all([1, 2, 3, 4, 5].map(() => v.validate('good')))
    assert.ok(all.every(i => i?.userId === 'u1'))
    assert.equal(s.validations.length, 1)
    assert.equal(s.loginCount, 1)
  })

  it('when Keystone rejects the service token (401), then a new one is obtained and the validation retried', async () => {
    s.logins = [{ status: 201, token: 'svc-1' }, { status: 201, token: 'svc-2' }]
    s.rejectedService.add('svc-1')
    s.tokens.good = { status: 200 }
    const info = await validator().validate('good')
    assert.equal(info?.userId, 'u1')
    assert.deepEqual(s.validations.map(x => x.service), ['svc-1', 'svc-2'])
    assert.equal(s.loginCount, 2)
  })

  it('when Keystone rejects the renewed service token as well, then Keystone counts as unavailable', async () => {
    s.logins = [{ status: 201, token: 'svc-1' }, { status: 201, token: 'svc-2' }]
    s.rejectedService = new Set(['svc-1', 'svc-2'])
    s.tokens.good = { status: 200 }
    await assert.rejects(validator().validate('good'), IdentityUnavailable)
  })

  it('when the service user cannot log in, then Keystone counts as unavailable and nothing is cached', async () => {
    s.logins = [{ status: 401 }, { status: 201, token: 'svc-9' }]
    s.tokens.good = { status: 200 }
    const v = validator()
    await assert.rejects(v.validate('good'), IdentityUnavailable)
    assert.equal((await v.validate('good'))?.userId, 'u1')
  })

  it('when Keystone answers 500 to a validation, then Keystone counts as unavailable', async () => {
    s.tokens.boom = { status: 500 }
    await assert.rejects(validator().validate('boom'), IdentityUnavailable)
  })

  it('when the service token is about to expire, then a new one is obtained before use', async () => {
    s.logins = [{ status: 201, token: 'svc-1', expiresInS: 2 }, { status: 201, token: 'svc-2' }]
    s.tokens.a = { status: 200 }
    s.tokens.b = { status: 200 }
    const v = validator()
    await v.validate('a')
    await new Promise(r => setTimeout(r, 1100))
    await v.validate('b')
    assert.deepEqual(s.validations.map(x => x.service), ['svc-1', 'svc-2'])
  })

  it('when nothing listens at auth_url, then validation fails as unavailable after the retries', async () => {
    const closed = createServer()
    await new Promise<void>(r => closed.listen(0, '127.0.0.1', r))
    const a = closed.address()
    const port = typeof a === 'object' && a ? a.port : 0
    await new Promise(r => closed.close(r))
    const settings = settingsFor(`http://127.0.0.1:${port}`, { http_request_max_retries: '2' })
    const client = new IdentityClient(settings)
    opened.push(client)
    const v = new TokenValidator({ client, service: new ServiceToken(client, settings, silentLogger()), settings, log: silentLogger() })
    const t0 = Date.now()
    await assert.rejects(v.validate('good'), (err: Error) => err instanceof IdentityUnavailable && /ECONNREFUSED/.test(err.message))
    assert.ok(Date.now() - t0 >= 250, 'retried after 0.1 s and 0.2 s')
  })
})
