import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sanitizeL7PolicyArgs } from './sanitize.js'

const msg = (fn: () => unknown): string => { try { fn() } catch (e) { return (e as Error).message } return '' }

test('when a target is given, then it implies its action and clears the others', () => {
  assert.deepEqual(sanitizeL7PolicyArgs({ redirect_pool_id: 'p' }, false),
    { redirect_pool_id: 'p', action: 'REDIRECT_TO_POOL', redirect_url: null, redirect_prefix: null, redirect_http_code: null })
  assert.deepEqual(sanitizeL7PolicyArgs({ redirect_url: 'http://a' }, false),
    { redirect_url: 'http://a', action: 'REDIRECT_TO_URL', redirect_pool_id: null, redirect_prefix: null, redirect_http_code: 302 })
  assert.deepEqual(sanitizeL7PolicyArgs({ redirect_prefix: 'http://a', redirect_http_code: 301 }, false),
    { redirect_prefix: 'http://a', action: 'REDIRECT_PREFIX', redirect_pool_id: null, redirect_url: null, redirect_http_code: 301 })
  assert.deepEqual(sanitizeL7PolicyArgs({ action: 'REJECT', redirect_url: 'http://a', redirect_http_code: 301 }, true),
    { action: 'REJECT', redirect_url: null, redirect_pool_id: null, redirect_prefix: null, redirect_http_code: null })
  const named: { name: string; action?: string } = { name: 'x' }
  assert.deepEqual(sanitizeL7PolicyArgs(named, false), { name: 'x' })
})

test('when arguments conflict or are missing, then Octavia\'s messages are thrown', () => {
  assert.equal(msg(() => sanitizeL7PolicyArgs({ redirect_pool_id: 'p', redirect_url: 'http://a' }, false)),
    'Invalid L7 Policy arguments: Cannot specify redirect_pool_id and redirect_url or redirect_prefix at the same time')
  assert.equal(msg(() => sanitizeL7PolicyArgs({ action: 'REDIRECT_TO_URL' }, true)), 'Invalid L7 Policy arguments: redirect_url must not be None')
  assert.equal(msg(() => sanitizeL7PolicyArgs({ action: 'NOPE' }, true)), 'Invalid L7 Policy action specified: NOPE')
  assert.equal(msg(() => sanitizeL7PolicyArgs({ action: null }, false)), 'Invalid L7 Policy action specified: None')
  assert.equal(msg(() => sanitizeL7PolicyArgs({}, true)), 'Invalid L7 Policy action specified: None')
  assert.equal(msg(() => sanitizeL7PolicyArgs({}, false)), 'Invalid L7 Policy arguments: Invalid update options')
})
