import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cidrContains, formatCidr, normalizeIp, parseCidr, parseIp } from './ip-address.js'

test('when IPv4 addresses are parsed, then only dotted quads without leading zeros pass', () => {
  assert.equal(normalizeIp('127.226.0.2'), '127.226.0.2')
  for (const bad of ['127.226.0', '1.2.3.256', '01.2.3.4', '1.2.3.4.5', '', 'a.b.c.d', '1.2.3.-1']) {
    assert.equal(parseIp(bad), null, bad)
  }
})

test('when IPv6 addresses are formatted, then they come out as Python ipaddress compresses them', () => {
  const cases: [string, string][] = [
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['::', '::'],
    ['::1', '::1'],
    ['fd00::', 'fd00::'],
    ['FD00:0:0:0:0:0:0:A', 'fd00::a'],
    ['::ffff:1.2.3.4', '::ffff:102:304'],
  ]
  for (const [input, want] of cases) assert.equal(normalizeIp(input), want, input)
  for (const bad of ['1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '12345::', 'g::1', '1:2:3:4:5:6:7::8']) {
    assert.equal(parseIp(bad), null, bad)
  }
})

test('when a CIDR is parsed, then host bits and bad prefixes are refused and containment works', () => {
  const c = parseCidr('127.226.0.0/16')
  assert.equal(formatCidr(c), '127.226.0.0/16')
  assert.ok(cidrContains(c, parseIp('127.226.255.255')!))
  assert.ok(!cidrContains(c, parseIp('127.227.0.0')!))
  assert.ok(!cidrContains(c, parseIp('::1')!))
  assert.equal(formatCidr(parseCidr('FD00:0::/64')), 'fd00::/64')
  assert.throws(() => parseCidr('10.0.0.1/24'), /host bits set/)
  assert.throws(() => parseCidr('10.0.0.0/33'), /invalid prefix/)
  assert.throws(() => parseCidr('10.0.0.0'), /CIDR notation/)
  assert.throws(() => parseCidr('nope/8'), /does not start with an IP address/)
})
