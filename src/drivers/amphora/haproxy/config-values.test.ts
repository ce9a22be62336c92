import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  cidr, domainName, expectedCodes, fetchArgument, headerUrl, integer, ipAddress, objectId, timeoutMs, urlPath,
} from './config-values.js'
import { RenderError } from './render-error.js'

const rejects = (f: () => unknown): void => { assert.throws(f, RenderError) }

test('when an id is a UUID, then it is accepted; anything with other characters is rejected', () => {
  assert.equal(objectId('x', '7d3c4a1e-0000-4000-8000-000000000001'), '7d3c4a1e-0000-4000-8000-000000000001')
  for (const bad of ['', 'a b', 'a\nb', 'a#b', 'a:b', '-a', 'a'.repeat(65), null]) rejects(() => objectId('x', bad))
})

test('when an address is IPv4 or IPv6, then it is accepted; names, zones and brackets are rejected', () => {
  assert.equal(ipAddress('x', '192.0.2.1'), '192.0.2.1')
  assert.equal(ipAddress('x', '2001:db8::1'), '2001:db8::1')
  for (const bad of ['example.com', '[::1]', '192.0.2.1:80', '192.0.2.1 ', null]) rejects(() => ipAddress('x', bad))
})

test('when a CIDR is well formed, then it is accepted; bad prefixes are rejected', () => {
  assert.equal(cidr('x', '10.0.0.0/8'), '10.0.0.0/8')
  assert.equal(cidr('x', '2001:db8::/128'), '2001:db8::/128')
  for (const bad of ['10.0.0.0', '10.0.0.0/33', '2001:db8::/129', '10.0.0.0/8/1', '10.0.0.0/ 8', 'x/8']) rejects(() => cidr('x', bad))
})

test('when a fetch argument is an HTTP token, then it is accepted; parentheses, commas, double quotes, backslashes and spaces are rejected', () => {
  for (const ok of ['X-Forwarded-For', "c'd#e", 'a$%`|~^']) assert.equal(fetchArgument('x', ok), ok)
  for (const bad of ['a b', 'a)', 'a(', 'a,b', 'a"', 'a\\', 'a\n', 'a=b', '', null]) rejects(() => fetchArgument('x', bad))
})

test('when a URL has spaces or control characters, then it is rejected', () => {
  assert.equal(headerUrl('x', 'https://e.example/a?b=c#d'), 'https://e.example/a?b=c#d')
  for (const bad of ['https://e.example/a b', 'https://e.example/\r\nSet-Cookie: x', '', '\x85', null]) rejects(() => headerUrl('x', bad))
})

test('when a check path does not start with / or has spaces, then it is rejected', () => {
  assert.equal(urlPath('x', '/healthz?x=1'), '/healthz?x=1')
  for (const bad of ['healthz', '/a b', '/a\nGET']) rejects(() => urlPath('x', bad))
})

test('when expected codes are a code, a list or a range, then they become HAProxy\'s list', () => {
  assert.equal(expectedCodes('x', '200'), '200')
  assert.equal(expectedCodes('x', '200, 202'), '200,202')
  assert.equal(expectedCodes('x', '200-204'), '200-204')
  for (const bad of ['2000', 'abc', '200-', '200|202', '']) rejects(() => expectedCodes('x', bad))
})

test('when a domain name has other characters than letters, digits, hyphens and dots, then it is rejected', () => {
  assert.equal(domainName('x', 'app.example.com'), 'app.example.com')
  for (const bad of ['a b', 'a\nb', '-a.com', 'a..b', 'a%b', 'a_b']) rejects(() => domainName('x', bad))
})

test('when an integer is out of range or not an integer, then it is rejected', () => {
  assert.equal(integer('x', 5, 1, 10), 5)
  for (const bad of [0, 11, 1.5, Number.NaN, null]) rejects(() => integer('x', bad, 1, 10))
})

test('when a timeout is null or 0, then the default applies; outside its range it is rejected', () => {
  const range = { min: 0, max: 100_000 }
  assert.equal(timeoutMs('x', null, 5000, range), 5000)
  assert.equal(timeoutMs('x', 0, 5000, range), 5000)
  assert.equal(timeoutMs('x', 7, 5000, range), 7)
  for (const [value, fallback] of [[-1, 5000], [100_001, 5000], [0, 0], [null, 100_001]] as const) {
    rejects(() => timeoutMs('x', value, fallback, range))
  }
})
