import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  declaredNetworks, defaultNetworkSections, DEFAULT_NETWORK_SECTIONS, NETNS_DEFAULT_NETWORK_SECTIONS,
} from './declared-networks.js'
import { stableId, uuidV5, OCTAVIA_TS_NAMESPACE } from '../../common/net/stable-id.js'
import { localServiceFor } from './test-support.js'

test('when no network is declared in netns mode, then public/public-subnet is 10.213.0.0/24 on bridge octbr-public with its own ids', () => {
  const t = declaredNetworks({}, defaultNetworkSections('netns'))
  const [net] = t.networks
  const [sub] = t.subnets
  assert.equal(net.name, 'public')
  assert.equal(net.id, uuidV5(OCTAVIA_TS_NAMESPACE, 'network:public@netns'))
  assert.equal(net.id, '5ab04efd-1e98-51b5-8a77-d4540a0e7604', 'fixed forever: clients may have stored it')
  assert.notEqual(net.id, stableId('network', 'public'))
  assert.equal(net.bridge, 'octbr-public')
  assert.equal(sub.name, 'public-subnet')
  assert.equal(sub.id, 'e7052f81-0cd0-51d2-a807-75039fc2c66b')
  assert.equal(sub.cidr, '10.213.0.0/24')
  assert.equal(sub.gatewayIp, '10.213.0.1')
  assert.deepEqual(sub.allocationPools, [{ start: '10.213.0.2', end: '10.213.0.254' }])
  assert.deepEqual(declaredNetworks({}, defaultNetworkSections('netns')), t, 'same ids on every start')
})

test('when no network is declared in loopback mode, then the 127.226.0.0/16 default keeps its name-derived ids', () => {
  assert.equal(defaultNetworkSections('loopback'), DEFAULT_NETWORK_SECTIONS)
  assert.notEqual(defaultNetworkSections('netns'), DEFAULT_NETWORK_SECTIONS)
  const t = declaredNetworks({}, defaultNetworkSections('loopback'))
  assert.equal(t.networks[0].id, stableId('network', 'public'))
  assert.equal(t.subnets[0].cidr, '127.226.0.0/16')
  assert.equal(t.networks[0].bridge, 'octbr-public')
})

test('when networks are declared, then the mode default does not apply', () => {
  const t = declaredNetworks({ 'network:lan': { cidr: '10.213.5.0/24' } }, NETNS_DEFAULT_NETWORK_SECTIONS)
  assert.deepEqual(t.networks.map(n => n.name), ['lan'])
})

test('when bridges are declared or derived, then each network has one valid, unique bridge name', () => {
  const t = declaredNetworks({
    'network:a': { cidr: '10.213.1.0/24', bridge: 'br-a' },
    'network:a6': { network: 'a', cidr: 'fd00:213::/64' },
    'network:a-very-long-network-name': { cidr: '10.213.2.0/24' },
  })
  assert.equal(t.networks[0].bridge, 'br-a')
  assert.match(t.networks[1].bridge, /^octbr-[0-9a-f]{9}$/)
  const bad: [Record<string, Record<string, string>>, RegExp][] = [
    [{ 'network:a': { cidr: '10.0.0.0/24', bridge: 'this-name-is-too-long' } }, /\[network:a\] bridge: 'this-name-is-too-long' is not an interface name/],
    [{ 'network:a': { cidr: '10.0.0.0/24', bridge: 'br/0' } }, /\[network:a\] bridge: 'br\/0' is not an interface name/],
    [{ 'network:a': { cidr: '10.0.0.0/24', bridge: 'x' }, 'network:b': { network: 'a', cidr: '10.0.1.0/24', bridge: 'y' } },
      /\[network:b\] bridge: network 'a' already has bridge 'x' in \[network:a\]/],
    [{ 'network:a': { cidr: '10.0.0.0/24', bridge: 'x' }, 'network:b': { cidr: '10.0.1.0/24', bridge: 'x' } },
      /bridge: bridge 'x' is declared twice/],
  ]
  for (const [conf, msg] of bad) assert.throws(() => declaredNetworks(conf), msg)
})

test('when the local network service runs with compute_driver netns, then it serves the netns default network', () => {
  const netns = localServiceFor({ controller_worker: { compute_driver: 'netns' } })
  assert.equal(netns.listSubnets()[0].cidr, '10.213.0.0/24')
  const loop = localServiceFor({ controller_worker: { compute_driver: 'compute_noop_driver' } })
  assert.equal(loop.listSubnets()[0].cidr, '127.226.0.0/16')
  assert.equal(localServiceFor().listSubnets()[0].cidr, '127.226.0.0/16', 'tests pin loopback mode')
})
