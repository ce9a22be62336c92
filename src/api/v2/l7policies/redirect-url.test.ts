import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isValidRedirectUrl } from './redirect-url.js'

test('when a redirect URL is an absolute http(s) URL of RFC 3986 characters, then it is accepted', () => {
  for (const u of ['http://www.example.com', 'https://example.com:8443/a?b=c#d', 'http://[2001:db8::1]/',
    'http://user:pw@host/', 'http://a/%20b', 'http://192.0.2.1', "http://a/!$&'()*+,;=:@"]) {
    assert.equal(isValidRedirectUrl(u), true, u)
  }
})

test('when a redirect URL has controls, spaces, other schemes or bad parts, then it is refused', () => {
  for (const u of ['bad url', 'bad-url', '/relative', 'HTTP://x', 'ftp://x', 'http://', 'http:/x', 'http://a/\n',
    'http://a/\t', 'http://a/\u0085', 'http://a/ b', 'http://a/%zz', 'http://a/%', 'http://ä.example', 'http://a/"',
    'http://a/\\', 'http://a/<x>', 'http://a/{x}', 'http://a/|', 'http://999.1.1.1', 'http://[zz]/', 'http://a:99999',
    'http://a:b/']) {
    assert.equal(isValidRedirectUrl(u), false, JSON.stringify(u))
  }
})
