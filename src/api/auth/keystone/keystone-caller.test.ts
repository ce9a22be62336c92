import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { callerFromToken } from './keystone-caller.js'
import type { TokenInfo } from './token-info.js'

const info: TokenInfo = {
  userId: 'u1', userName: 'alice', projectId: 'p1', projectName: 'demo', roles: ['member', 'reader'], expiresAt: Date.now() + 60_000,
  userDomainId: 'default', projectDomainId: 'default', domainId: null, systemScope: null,
}

describe('callerFromToken', () => {
  it('when a token is validated, then the caller carries it for calls on its behalf (the certificate manager\'s ACLs)', () => {
    const caller = callerFromToken(info, 'gAAAA-the-token')
    assert.deepEqual([caller.projectId, caller.userId, caller.isAdmin, caller.authToken], ['p1', 'u1', false, 'gAAAA-the-token'])
    assert.ok(Object.isFrozen(caller))
  })
  it('when no token is given, then the caller has none', () => {
    assert.equal(callerFromToken(info).authToken, null)
  })
})
