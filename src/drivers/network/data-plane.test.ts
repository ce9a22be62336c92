import { test } from 'node:test'
import assert from 'node:assert/strict'
import { loadConfig } from '../../common/config/load.js'
import { silentLogger } from '../../common/logging.js'
import { declaredNetworks } from './declared-networks.js'
import { stableId } from '../../common/net/stable-id.js'
import { BridgeDataPlane } from './bridge/bridge-data-plane.js'
import { createDataPlane } from './create-data-plane.js'
import { DataPlaneHostSetup } from './host-setup.js'
import { HostCommandError, IpCommand } from '../../common/linux/ip-command.js'
import { amphoraInterfaceName, amphoraOfNamespace, hostVethName, namespaceName, parseAlias, vethAlias } from '../../common/linux/names.js'
import { LoopbackDataPlane } from './loopback/loopback-data-plane.js'
import { DataPlaneError, type NetworkDataPlane } from './network-data-plane.js'
import { NoopDataPlane } from './noop/noop-data-plane.js'

const log = silentLogger()
const config = (worker: Record<string, string>, extra: Record<string, string> = {}) =>
  loadConfig(undefined, { ...Object.fromEntries(Object.entries(worker).map(([k, v]) => [`OCTAVIA_TS__controller_worker__${k}`, v])), ...extra })
const PUBLIC_NET = stableId('network', 'public')
const PUBLIC_SUBNET = stableId('subnet', 'public-subnet')
const loopInstance = { computeId: 'loopback:amp1', netns: null }

test('when the data plane is created, then compute and network drivers follow compute_driver and network_driver', () => {
  const netns = createDataPlane(config({ compute_driver: 'auto' }), { log, uid: 0 })
  assert.equal(netns.computeDriver, 'netns')
  assert.equal(netns.mode, 'netns')
  assert.ok(netns.network instanceof BridgeDataPlane)
  assert.equal(netns.topology.subnets[0].cidr, '10.213.0.0/24')
  const loop = createDataPlane(config({ compute_driver: 'auto' }), { log, uid: 1000 })
  assert.equal(loop.compute.name, 'loopback')
  assert.ok(loop.network instanceof LoopbackDataPlane)
  assert.equal(loop.topology.subnets[0].cidr, '127.226.0.0/16')
  assert.ok(createDataPlane(config({ compute_driver: 'compute_noop_driver' }), { log }).network instanceof NoopDataPlane)
  assert.ok(createDataPlane(config({ compute_driver: 'netns', network_driver: 'network_noop_driver' }), { log }).network instanceof NoopDataPlane)
})

test('when a loopback amphora is plugged, then 127.0.0.0/8 addresses pass unchanged and others are refused', async () => {
  const plane = new LoopbackDataPlane(declaredNetworks({
    'network:public': { cidr: '127.226.0.0/16' },
    'network:lan': { cidr: '10.213.9.0/24' },
  }))
  const ok = await plane.plug({
    amphoraId: 'amp1', instance: loopInstance, networkId: PUBLIC_NET,
    addresses: [{ ipAddress: '127.226.0.2', subnetId: PUBLIC_SUBNET }, { ipAddress: '127.226.0.3', subnetId: PUBLIC_SUBNET }],
  })
  assert.deepEqual(ok, { networkId: PUBLIC_NET, interfaceName: 'lo', hostInterface: null, bridge: null, addresses: ['127.226.0.2/16', '127.226.0.3/16'] })
  await assert.rejects(plane.plug({
    amphoraId: 'amp1', instance: loopInstance, networkId: stableId('network', 'lan'),
    addresses: [{ ipAddress: '10.213.9.5', subnetId: stableId('subnet', 'lan-subnet') }],
  }), (err: Error) => err instanceof DataPlaneError && /10\.213\.9\.5 is outside 127\.0\.0\.0\/8/.test(err.message))
  await plane.unplug()
  assert.deepEqual((await plane.prepareHost()).warnings,
    ['subnet lan-subnet (10.213.9.0/24) is outside 127.0.0.0/8: loopback-mode amphorae cannot serve VIPs in it'])
})

test('when a plug names unknown or mismatched objects, then DataPlaneError names them', async () => {
  const plane = new LoopbackDataPlane(declaredNetworks({}))
  const plug = (networkId: string, ipAddress: string, subnetId: string) =>
    plane.plug({ amphoraId: 'a', instance: loopInstance, networkId, addresses: [{ ipAddress, subnetId }] })
  const cases: [Promise<unknown>, RegExp][] = [
    [plug('nope', '127.226.0.2', PUBLIC_SUBNET), /network nope is not declared/],
    [plug(PUBLIC_NET, '127.226.0.2', 'nope'), new RegExp(`subnet nope is not a subnet of network ${PUBLIC_NET}`)],
    [plug(PUBLIC_NET, '127.227.0.2', PUBLIC_SUBNET), /address '127.227.0.2' is not in subnet .* \(127.226.0.0\/16\)/],
    [plug(PUBLIC_NET, 'bogus', PUBLIC_SUBNET), /address 'bogus' is not in subnet/],
    [plane.plug({ amphoraId: 'a', instance: loopInstance, networkId: PUBLIC_NET,
      addresses: [{ ipAddress: '127.226.0.2', subnetId: PUBLIC_SUBNET }, { ipAddress: '127.226.0.2', subnetId: PUBLIC_SUBNET }] }),
    /address 127.226.0.2 is given twice/],
  ]
  for (const [p, msg] of cases) await assert.rejects(p, (err: Error) => err instanceof DataPlaneError && msg.test(err.message))
})

test('when the noop data plane plugs and unplugs, then it only remembers', async () => {
  const plane = new NoopDataPlane()
  await plane.plug({ amphoraId: 'a', instance: loopInstance, networkId: 'n', addresses: [{ ipAddress: '198.51.100.1', subnetId: 's' }] })
  assert.deepEqual(plane.plugged('a').map(p => p.addresses), [['198.51.100.1']])
  await plane.unplug({ amphoraId: 'a', instance: loopInstance, networkId: 'n' })
  assert.deepEqual(plane.plugged('a'), [])
})

test('when the host setup runs, then it reports the preparation and stops with the signal, removing nothing', async () => {
  const setup = new DataPlaneHostSetup(new LoopbackDataPlane(declaredNetworks({})), log)
  const abort = new AbortController()
  await setup.start(abort.signal)
  assert.deepEqual(setup.result, { bridges: [], warnings: [] })
  abort.abort()
  await setup.stopped
  const broken: NetworkDataPlane = {
    name: 'broken', prepareHost: async () => { throw new Error('no CAP_NET_ADMIN') }, plug: async () => { throw new Error('unused') }, unplug: async () => {},
  }
  const failing = new DataPlaneHostSetup(broken, log)
  await assert.rejects(failing.start(new AbortController().signal), /cannot prepare the host for the broken data plane: no CAP_NET_ADMIN/)
})

test('when ip fails, then the error names the command and what ip said', async () => {
  const ip = new IpCommand(log)
  const err = await ip.ip(['link', 'show', 'dev', 'octavia-nosuch']).catch(e => e)
  assert.ok(err instanceof HostCommandError)
  assert.equal(err.command, 'ip link show dev octavia-nosuch')
  assert.equal(err.exitCode, 1)
  assert.equal(err.missing, true)
  assert.match(err.message, /^command failed \(exit 1\): ip link show dev octavia-nosuch: Device "octavia-nosuch" does not exist\.$/)
  assert.deepEqual(await ip.ipJson(['link', 'show', 'dev', 'lo']).then(l => (l[0] as { ifname: string }).ifname), 'lo')
})

test('when names are derived, then they fit Linux limits, are stable and map back', () => {
  const amp = '0f3c2a9e-5b1d-4c6e-9a7b-1234567890ab'
  assert.equal(namespaceName(amp), `amp-${amp}`)
  assert.equal(amphoraOfNamespace(`amp-${amp}`), amp)
  assert.equal(amphoraOfNamespace('other'), null)
  assert.match(hostVethName(amp, PUBLIC_NET), /^ov[0-9a-f]{10}$/)
  assert.equal(hostVethName(amp, PUBLIC_NET), hostVethName(amp, PUBLIC_NET))
  assert.notEqual(hostVethName(amp, PUBLIC_NET), hostVethName(amp, stableId('network', 'x')))
  assert.match(amphoraInterfaceName(PUBLIC_NET), /^eth-[0-9a-f]{8}$/)
  assert.deepEqual(parseAlias(vethAlias(amp, PUBLIC_NET)), { amphoraId: amp, networkId: PUBLIC_NET })
  assert.equal(parseAlias('somebody else'), null)
  assert.throws(() => namespaceName('a/b'), /cannot name a namespace/)
})

test('when a plug names floating addresses, then they are checked like addresses but not reported as plugged', async () => {
  const plane = new LoopbackDataPlane(declaredNetworks({ 'network:public': { cidr: '127.226.0.0/16' }, 'network:lan': { cidr: '10.213.9.0/24' } }))
  const plug = (floating: { ipAddress: string; subnetId: string }[]) => plane.plug({
    amphoraId: 'a', instance: loopInstance, networkId: PUBLIC_NET, addresses: [{ ipAddress: '127.226.0.2', subnetId: PUBLIC_SUBNET }], floating,
  })
  assert.deepEqual((await plug([{ ipAddress: '127.226.0.9', subnetId: PUBLIC_SUBNET }])).addresses, ['127.226.0.2/16'])
  const lan = stableId('subnet', 'lan-subnet')
  const cases: [Promise<unknown>, RegExp][] = [
    [plug([{ ipAddress: '127.226.0.2', subnetId: PUBLIC_SUBNET }]), /address 127.226.0.2 is given twice/],
    [plug([{ ipAddress: '127.227.0.9', subnetId: PUBLIC_SUBNET }]), /address '127.227.0.9' is not in subnet/],
    [plug([{ ipAddress: '10.213.9.9', subnetId: lan }]), /subnet .* is not a subnet of network/],
  ]
  for (const [p, msg] of cases) await assert.rejects(p, (err: Error) => err instanceof DataPlaneError && msg.test(err.message))
})
