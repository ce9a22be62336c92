import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runtimeChanges } from './runtime-changes.js'

const config = (servers: string[], extra = '', balance = 'roundrobin'): string => [
  'global',
  '    nbthread 1',
  '',
  'frontend f1',
  '    mode http',
  '    bind 10.0.0.1:80',
  `    default_backend p1:f1${extra}`,
  '',
  'backend p1:f1',
  '    mode http',
  `    balance ${balance}`,
  ...servers.map(s => `    ${s}`),
  '',
].join('\n')

test('when two configs are equal, then no runtime change is needed', () => {
  const c = config(['server m1 10.0.0.5:80 weight 1'])
  assert.deepEqual(runtimeChanges(c, c), [])
})

test('when only weights and admin states differ, then they become runtime changes of that backend', () => {
  const before = config(['server m1 10.0.0.5:80 weight 1', 'server m2 10.0.0.6:80 weight 3 check inter 5s', 'server m3 10.0.0.7:80 weight 1 backup'])
  const after = config(['server m1 10.0.0.5:80 weight 0', 'server m2 10.0.0.6:80 weight 3 check inter 5s disabled', 'server m3 10.0.0.7:80 weight 1 backup'])
  assert.deepEqual(runtimeChanges(before, after), [
    { backend: 'p1:f1', server: 'm1', weight: 0, state: 'ready' },
    { backend: 'p1:f1', server: 'm2', weight: 3, state: 'maint' },
  ])
  assert.deepEqual(runtimeChanges(after, before), [
    { backend: 'p1:f1', server: 'm1', weight: 1, state: 'ready' },
    { backend: 'p1:f1', server: 'm2', weight: 3, state: 'ready' },
  ])
})

test('when servers are added or removed in a dynamic backend, then they become add (first) and delete (last) changes', () => {
  const one = config(['server m1 10.0.0.5:80 weight 1'])
  const added = config(['server m1 10.0.0.5:80 weight 2', 'server m2 10.0.0.6:80 weight 3 check inter 5s fall 3 rise 2 addr 10.0.0.9 port 81 send-proxy backup disabled'])
  assert.deepEqual(runtimeChanges(one, added), [
    {
      op: 'add', backend: 'p1:f1', server: 'm2', address: '10.0.0.6', port: 80, state: 'maint',
      keywords: ['weight', '3', 'check', 'inter', '5s', 'fall', '3', 'rise', '2', 'addr', '10.0.0.9', 'port', '81', 'send-proxy', 'backup'],
    },
    { backend: 'p1:f1', server: 'm1', weight: 2, state: 'ready' },
  ])
  assert.deepEqual(runtimeChanges(added, one), [
    { backend: 'p1:f1', server: 'm1', weight: 1, state: 'ready' },
    { op: 'delete', backend: 'p1:f1', server: 'm2' },
  ])
  assert.deepEqual(runtimeChanges(one, config(['server m9 [fd00::5]:80 weight 1 ssl verify none sni ssl_fc_sni no-tlsv10 alpn h2'])), [
    { op: 'add', backend: 'p1:f1', server: 'm9', address: 'fd00::5', port: 80, state: 'ready', keywords: ['weight', '1', 'ssl', 'verify', 'none', 'sni', 'ssl_fc_sni', 'no-tlsv10', 'alpn', 'h2'] },
    { op: 'delete', backend: 'p1:f1', server: 'm1' },
  ])
})

test('when a server is readdressed, gets a keyword HAProxy refuses at runtime, or its backend is not dynamic, then a reload is needed', () => {
  const one = config(['server m1 10.0.0.5:80 weight 1'])
  assert.equal(runtimeChanges(one, config(['server m1 10.0.0.9:80 weight 1'])), null)
  assert.equal(runtimeChanges(one, config(['server m1 10.0.0.5:80 weight 1 backup'])), null)
  assert.equal(runtimeChanges(one, config(['server m1 10.0.0.5:80 weight 1', 'server m2 10.0.0.6:80 weight 1 cookie m2'])), null)
  const source = config(['server m1 10.0.0.5:80 weight 1'], '', 'source')
  assert.equal(runtimeChanges(source, config(['server m1 10.0.0.5:80 weight 1', 'server m2 10.0.0.6:80 weight 1'], '', 'source')), null)
  assert.equal(runtimeChanges(config(['server m1 10.0.0.5:80 weight 1', 'server m2 10.0.0.6:80 weight 1'], '', 'source'), source), null)
  assert.deepEqual(runtimeChanges(source, config(['server m1 10.0.0.5:80 weight 4'], '', 'source')), [
    { backend: 'p1:f1', server: 'm1', weight: 4, state: 'ready' },
  ])
})

test('when a server is added or removed behind a consistent hash (SOURCE_IP_PORT), then runtime changes; behind a map-based hash, a reload', () => {
  const consistent = 'hash src,concat(:,txn.src_port)\n    hash-type consistent sdbm avalanche\n    tcp-request content set-var(txn.src_port) src_port'
  const one = config(['server m1 10.0.0.5:80 weight 16'], '', consistent)
  const two = config(['server m1 10.0.0.5:80 weight 16', 'server m2 10.0.0.6:80 weight 16'], '', consistent)
  assert.deepEqual(runtimeChanges(one, two), [
    { op: 'add', backend: 'p1:f1', server: 'm2', address: '10.0.0.6', port: 80, state: 'ready', keywords: ['weight', '16'] },
  ])
  assert.deepEqual(runtimeChanges(two, one), [{ op: 'delete', backend: 'p1:f1', server: 'm2' }])
  const mapBased = (servers: string[]) => config(servers, '', 'hash src,concat(:,txn.src_port)\n    tcp-request content set-var(txn.src_port) src_port')
  assert.equal(runtimeChanges(mapBased(['server m1 10.0.0.5:80 weight 1']), mapBased(['server m1 10.0.0.5:80 weight 1', 'server m2 10.0.0.6:80 weight 1'])), null)
  assert.equal(runtimeChanges(one, two.replace('consistent', 'map-based')), null, 'a new hash type is a reload')
  const cookie = config(['server m1 10.0.0.5:80 weight 16 cookie m1', 'server m2 10.0.0.6:80 weight 16 cookie m2'], '', consistent)
  assert.equal(runtimeChanges(config(['server m1 10.0.0.5:80 weight 16 cookie m1'], '', consistent), cookie), null, 'HTTP_COOKIE: cookie is refused on add server')
})

test('when anything other than a server line differs, then a reload is needed', () => {
  const one = config(['server m1 10.0.0.5:80 weight 1'])
  assert.equal(runtimeChanges(one, one.replace('bind 10.0.0.1:80', 'bind 10.0.0.1:81')), null)
  assert.equal(runtimeChanges(one, one.replace('nbthread 1', 'nbthread 2')), null)
  assert.equal(runtimeChanges(one, config(['server m1 10.0.0.5:80 weight 2'], ' ')), null)
})
