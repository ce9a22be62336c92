import { test } from 'node:test'
import assert from 'node:assert/strict'
import { declaredNetworks } from './declared-networks.js'
import { stableId } from '../../common/net/stable-id.js'

test('when nothing is declared, then network public with subnet public-subnet on 127.226.0.0/16 exists', () => {
  const t = declaredNetworks({})
  assert.equal(t.networks.length, 1)
  assert.equal(t.subnets.length, 1)
  const [net] = t.networks
  const [sub] = t.subnets
  assert.equal(net.name, 'public')
  assert.equal(net.id, stableId('network', 'public'))
  assert.deepEqual(net.subnets, [sub.id])
  assert.equal(sub.name, 'public-subnet')
  assert.equal(sub.id, stableId('subnet', 'public-subnet'))
  assert.equal(sub.networkId, net.id)
  assert.equal(sub.cidr, '127.226.0.0/16')
  assert.equal(sub.ipVersion, 4)
  assert.equal(sub.gatewayIp, '127.226.0.1')
  assert.deepEqual(sub.allocationPools, [{ start: '127.226.0.2', end: '127.226.255.254' }])
})

test('when the same configuration is read twice, then every id is the same', () => {
  const conf = { 'network:a': { cidr: '10.0.0.0/24' }, 'network:b': { cidr: '10.0.1.0/24', network: 'a' } }
  assert.deepEqual(declaredNetworks(conf), declaredNetworks(conf))
})

test('when sections share a network name, then one network holds their subnets in order', () => {
  const t = declaredNetworks({
    'network:public': { cidr: '127.226.0.0/16' },
    'network:public-v6': { network: 'public', cidr: 'fd00:226::/64', subnet_name: 'public-v6' },
    'network:private': { cidr: '10.20.0.0/24', gateway_ip: 'none', allocation_start: '10.20.0.100', allocation_end: '10.20.0.199' },
  })
  assert.deepEqual(t.networks.map(n => n.name), ['public', 'private'])
  assert.deepEqual(t.networks[0].subnets, [stableId('subnet', 'public-subnet'), stableId('subnet', 'public-v6')])
  const v6 = t.subnets[1]
  assert.equal(v6.ipVersion, 6)
  assert.equal(v6.gatewayIp, 'fd00:226::1')
  assert.deepEqual(v6.allocationPools, [{ start: 'fd00:226::2', end: 'fd00:226::ffff:ffff:ffff:ffff' }])
  const priv = t.subnets[2]
  assert.equal(priv.name, 'private-subnet')
  assert.equal(priv.gatewayIp, null)
  assert.deepEqual(priv.allocationPools, [{ start: '10.20.0.100', end: '10.20.0.199' }])
})

test('when ids are given, then they are used; a gateway inside the pool splits it', () => {
  const net = '11111111-2222-4333-8444-555555555555'
  const sub = '66666666-7777-4888-9999-aaaaaaaaaaaa'
  const t = declaredNetworks({
    'network:x': { id: net.toUpperCase(), subnet_id: sub, cidr: '192.0.2.0/24', gateway_ip: '192.0.2.100' },
    'network:y': { network: 'x', cidr: '198.51.100.0/24' },
  })
  assert.equal(t.networks[0].id, net)
  assert.equal(t.subnets[0].id, sub)
  assert.equal(t.subnets[1].networkId, net)
  assert.deepEqual(t.subnets[0].allocationPools, [
    { start: '192.0.2.1', end: '192.0.2.99' }, { start: '192.0.2.101', end: '192.0.2.254' }])
})

test('when the declaration is wrong, then loading fails naming the section and key', () => {
  const bad: [Record<string, Record<string, string>>, RegExp][] = [
    [{ 'network:a': {} }, /\[network:a\] cidr: required/],
    [{ 'network:a': { cidr: '10.0.0.1/24' } }, /\[network:a\] cidr: '10.0.0.1\/24' has host bits set/],
    [{ 'network:a': { cidr: '10.0.0.0/24', colour: 'red' } }, /\[network:a\] colour: unknown option/],
    [{ 'network:a': { cidr: '10.0.0.0/24', gateway_ip: '10.0.1.1' } }, /\[network:a\] gateway_ip: '10.0.1.1' is not an address of 10.0.0.0\/24/],
    [{ 'network:a': { cidr: '10.0.0.0/24', allocation_start: '10.0.0.50', allocation_end: '10.0.0.40' } }, /\[network:a\] allocation_end: is before allocation_start/],
    [{ 'network:a': { cidr: '10.0.0.0/24', id: 'nope' } }, /\[network:a\] id: 'nope' is not a UUID/],
    [{ 'network:a': { cidr: '10.0.0.0/24' }, 'network:b': { cidr: '10.0.0.128/25' } }, /\[network:b\] cidr: 10.0.0.128\/25 overlaps 10.0.0.0\/24/],
    [{ 'network:a': { cidr: '10.0.0.0/24', subnet_name: 's' }, 'network:b': { cidr: '10.0.1.0/24', subnet_name: 's' } }, /subnet name 's' is declared twice/],
    [{
      'network:a': { cidr: '10.0.0.0/24', id: '11111111-2222-4333-8444-555555555555' },
      'network:b': { network: 'a', cidr: '10.0.1.0/24', id: '11111111-2222-4333-8444-000000000000' },
    }, /\[network:b\] id: network 'a' already has id 11111111-2222-4333-8444-555555555555/],
  ]
  for (const [conf, msg] of bad) assert.throws(() => declaredNetworks(conf), msg)
})

test('when other item sections exist, then only network: sections count', () => {
  const t = declaredNetworks({ 'other:x': { a: 'b' } })
  assert.equal(t.networks[0].name, 'public')
})
