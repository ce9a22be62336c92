import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isRetryable } from './retryable.js'

const withCode = (code: string, message = code): Error => Object.assign(new Error(message), { code })

describe('isRetryable', () => {
  it('when the agent cannot be reached yet, then the call is retried', () => {
    assert.equal(isRetryable(withCode('ECONNREFUSED')), true)
    assert.equal(isRetryable(withCode('UND_ERR_CONNECT_TIMEOUT')), true)
    assert.equal(isRetryable(new Error('fetch failed', { cause: withCode('EHOSTUNREACH') })), true)
  })

  it('when TLS verification fails or the answer times out, then it is not', () => {
    assert.equal(isRetryable(withCode('UNABLE_TO_VERIFY_LEAF_SIGNATURE')), false)
    assert.equal(isRetryable(withCode('ERR_TLS_CERT_ALTNAME_INVALID')), false)
    assert.equal(isRetryable(withCode('UND_ERR_HEADERS_TIMEOUT')), false)
    assert.equal(isRetryable('ECONNREFUSED'), false)
  })
})
