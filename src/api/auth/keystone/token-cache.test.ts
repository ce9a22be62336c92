import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { TokenCache, tokenKey } from './token-cache.js'
import { parseTokenInfo } from './token-info.js'

describe('token cache', () => {
  it('when a token is keyed, then the key is its SHA-256 and not the token', () => {
    const k = tokenKey('gAAAAAB-secret')
    assert.match(k, /^[0-9a-f]{64}$/)
    assert.ok(!k.includes('secret'))
  })

  it('when an entry reaches its deadline, then it is gone', () => {
    const c = new TokenCache<string>()
    c.set('a', 'x', 1000, 0)
    assert.equal(c.get('a', 999), 'x')
    assert.equal(c.get('a', 1000), undefined)
    c.set('b', 'y', 5, 10)
    assert.equal(c.get('b', 0), undefined, 'a deadline in the past stores nothing')
  })

  it('when the cache is full, then the least recently used entry is dropped', () => {
    const c = new TokenCache<number>(2)
    c.set('a', 1, 100, 0)
    c.set('b', 2, 100, 0)
    c.get('a', 1)
    c.set('c', 3, 100, 0)
    assert.equal(c.size, 2)
    assert.equal(c.get('b', 1), undefined)
    assert.equal(c.get('a', 1), 1)
    assert.equal(c.get('c', 1), 3)
  })
})

describe('token contents', () => {
  it('when Keystone returns a project-scoped token, then user, project, roles, domains and expiry are read', () => {
    const info = parseTokenInfo({
      token: {
        user: { id: 'u', name: 'alice', domain: { id: 'default' } }, project: { id: 'p', name: 'alpha', domain: { id: 'd2' } },
        roles: [{ id: '1', name: 'member' }, { id: '2', name: 'reader' }], expires_at: '2030-01-01T00:00:00.000000Z',
      },
    })
    assert.deepEqual(info, {
      userId: 'u', userName: 'alice', projectId: 'p', projectName: 'alpha', roles: ['member', 'reader'],
      expiresAt: Date.UTC(2030, 0, 1), userDomainId: 'default', projectDomainId: 'd2', domainId: null, systemScope: null,
    })
  })

  it('when a token is system-scoped, then it has no project and system scope all', () => {
    const info = parseTokenInfo({ token: { user: { id: 'u' }, system: { all: true }, roles: [], expires_at: '2030-01-01T00:00:00Z' } })
    assert.equal(info?.projectId, null)
    assert.equal(info?.systemScope, 'all')
  })

  it('when the body is not a v3 token, then it is not usable', () => {
    assert.equal(parseTokenInfo(null), null)
    assert.equal(parseTokenInfo({ access: {} }), null)
    assert.equal(parseTokenInfo({ token: { user: { id: 'u' }, expires_at: 'never' } }), null)
    assert.equal(parseTokenInfo({ token: { user: {}, expires_at: '2030-01-01T00:00:00Z' } }), null)
  })
})
