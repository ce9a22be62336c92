import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { connect } from 'node:net'
import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { loadConfig } from '../../src/common/config/load.js'
import { silentLogger } from '../../src/common/logging.js'
import { stableId } from '../../src/common/net/stable-id.js'
import { BridgeDataPlane } from '../../src/drivers/network/bridge/bridge-data-plane.js'
import { createDataPlane, type DataPlane } from '../../src/drivers/network/create-data-plane.js'
import { DataPlaneHostSetup } from '../../src/drivers/network/host-setup.js'
import type { ComputeInstance } from '../../src/drivers/compute/compute-driver.js'
import { NetnsComputeDriver } from '../../src/drivers/compute/netns/netns-compute-driver.js'
import { computeOwner } from '../../src/drivers/compute/registry.js'
import { IpCommand, type RunOptions } from '../../src/common/linux/ip-command.js'
import { ownerKey } from '../../src/common/linux/names.js'
import { amphoraIds, askFrom, cleanUp, ipQuiet, isRoot, leftovers, scratchNetwork, startServer } from './support/netns-fixtures.js'

/*
 * netns compute driver + bridge data plane against the real kernel. Root only;
 * every namespace and link is created on a scratch network (10.213.<reserved n>.x,
 * bridge octbr-dpt<random>) and removed in `after`, even when a test fails.
 */
const skip = isRoot() ? false : 'netns data-plane tests need root (e.g. sudo node --import tsx --test test/e2e/dataplane-drivers-netns.test.ts)'
const net = scratchNetwork()
const ids = amphoraIds(6)
const children: ChildProcess[] = []
const signal = new AbortController().signal
const networkId = stableId('network', net.key)
const subnetId = stableId('subnet', `${net.key}-subnet`)
let plane: DataPlane

before(() => {
  if (skip) return
  const config = loadConfig(undefined, {
    OCTAVIA_TS__controller_worker__compute_driver: 'netns',
    [`OCTAVIA_TS__network:${net.key}__cidr`]: net.cidr,
    [`OCTAVIA_TS__network:${net.key}__bridge`]: net.bridge,
    [`OCTAVIA_TS__network:${net.key}-v6__network`]: net.key,
    [`OCTAVIA_TS__network:${net.key}-v6__cidr`]: net.cidr6,
  })
  plane = createDataPlane(config, { log: silentLogger() })
})

after(() => {
  for (const c of children) c.kill('SIGKILL')
  if (skip) return
  cleanUp(ids, [net.bridge])
  const left = leftovers(ids, [net.bridge])
  net.release()
  assert.deepEqual(left, [], 'nothing of ours is left in `ip netns list` / `ip link`')
})

const spec = (amphoraId: string) => ({ amphoraId, loadBalancerId: 'lb-dataplane-test' })
const subnet6Id = stableId('subnet', `${net.key}-v6-subnet`)
const addr = (...hosts: number[]) => hosts.map(h => ({ ipAddress: net.at(h), subnetId }))
const addr6 = (...hosts: number[]) => hosts.map(h => ({ ipAddress: net.at6(h), subnetId: subnet6Id }))

const ms = (from: number, to: number) => (to - from).toFixed(1)

/** Connects from the host namespace; resolves with the answer. */
async function askFromHost(host: string, port: number): Promise<string> {
  const s = connect(port, host)
  let data = ''
  s.setEncoding('utf8').on('data', c => { data += c })
  await once(s, 'end')
  return data
}

test('when the worker starts in netns mode, then the host setup creates the bridge with the gateway, idempotently', { skip }, async () => {
  const setup = new DataPlaneHostSetup(plane.network, silentLogger())
  const abort = new AbortController()
  await setup.start(abort.signal)
  await new DataPlaneHostSetup(plane.network, silentLogger()).start(abort.signal)
  abort.abort()
  await setup.stopped
  assert.deepEqual(setup.result, { bridges: [net.bridge], warnings: [] })
  const [br] = JSON.parse(ipQuiet(['-j', '-d', 'addr', 'show', 'dev', net.bridge])!)
  assert.equal(br.linkinfo.info_kind, 'bridge')
  assert.ok(br.flags.includes('UP'))
  assert.deepEqual(br.addr_info.filter((a: any) => a.family === 'inet').map((a: any) => `${a.local}/${a.prefixlen}`), [`${net.gateway}/24`])
  assert.equal(br.ifalias, `octavia-ts:network=${networkId}`)
})

test('when a netns amphora is built and its VIP plugged, then the host reaches the VIP and the amphora reaches the host', { skip }, async t => {
  const [amp] = ids
  const t0 = performance.now()
  const instance = await plane.compute.build(spec(amp), signal)
  const t1 = performance.now()
  const plugged = await plane.network.plug({ amphoraId: amp, instance, networkId, addresses: addr(10) }, signal)
  const t2 = performance.now()
  assert.deepEqual(instance, { computeId: `amp-${amp}`, netns: `amp-${amp}` })
  assert.deepEqual(await plane.compute.build(spec(amp), signal), instance, 'build is idempotent')
  assert.deepEqual(plane.compute.instance(instance.computeId), instance)
  assert.equal(await plane.compute.exists(instance.computeId), true)
  assert.ok((ipQuiet(['netns', 'list']) ?? '').includes(`amp-${amp}`))
  assert.equal(ipQuiet(['netns', 'exec', instance.netns!, 'cat', '/proc/sys/net/ipv4/ip_nonlocal_bind'])?.trim(), '1')
  assert.equal(plugged.bridge, net.bridge)
  assert.deepEqual(plugged.addresses, [`${net.at(10)}/24`])
  const [lo] = JSON.parse(ipQuiet(['-n', instance.netns!, '-j', 'link', 'show', 'dev', 'lo'])!)
  assert.ok(lo.flags.includes('UP'))
  const [route] = JSON.parse(ipQuiet(['-n', instance.netns!, '-j', 'route', 'show', 'default'])!)
  assert.equal(route.gateway, net.gateway)

  // a "HAProxy" on the VIP inside the amphora, a "member" on the gateway address on the host
  children.push(await startServer(instance.netns, net.at(10), 8080, 'vip'))
  const member = await startServer(null, net.gateway, 18080, 'member')
  children.push(member)
  assert.equal(await askFromHost(net.at(10), 8080), 'vip')
  assert.equal(await askFrom(instance.netns!, net.gateway, 18080), 'member')
  assert.match(await askFrom(instance.netns!, '127.0.0.1', 18080), /^error/, "the host's 127.0.0.1 is not reachable from an amphora")

  // delete with the server still running inside: it is stopped, namespace and veth go
  const t3 = performance.now()
  await plane.compute.delete(instance.computeId, signal)
  const t4 = performance.now()
  t.diagnostic(`netns amphora timing: build ${ms(t0, t1)} ms, plug ${ms(t1, t2)} ms, delete ${ms(t3, t4)} ms (stopping 1 process inside)`)
  assert.equal(await plane.compute.exists(instance.computeId), false)
  assert.equal(ipQuiet(['link', 'show', 'dev', plugged.hostInterface!]), null, 'host end of the veth is gone')
  assert.equal(children[0].exitCode !== null || children[0].signalCode !== null, true, 'the process inside was stopped')
  await plane.compute.delete(instance.computeId, signal)
  assert.deepEqual(leftovers([amp], []), [])
})

test('when two amphorae share the network, then they reach each other and re-plugging converges the addresses', { skip }, async t => {
  const [, a, b] = ids
  ipQuiet(['link', 'del', 'dev', net.bridge]) // deleted behind the driver's back: the next plug re-creates it
  const ia: ComputeInstance = await plane.compute.build(spec(a), signal)
  const ib: ComputeInstance = await plane.compute.build(spec(b), signal)
  await plane.network.plug({ amphoraId: a, instance: ia, networkId, addresses: [...addr(21, 20), ...addr6(21)] }, signal)
  await plane.network.plug({ amphoraId: b, instance: ib, networkId, addresses: [...addr(22), ...addr6(22)] }, signal)
  children.push(await startServer(ia.netns, '::', 9000, 'amphora-a'))
  assert.equal(await askFrom(ib.netns!, net.at(21), 9000), 'amphora-a')
  assert.equal(await askFrom(ib.netns!, net.at(20), 9000), 'amphora-a')
  assert.equal(await askFrom(ib.netns!, net.at6(21), 9000), 'amphora-a')
  assert.equal(await askFromHost(net.at6(21), 9000), 'amphora-a')
  const [route6] = JSON.parse(ipQuiet(['-n', ia.netns!, '-j', '-6', 'route', 'show', 'default'])!)
  assert.equal(route6.gateway, net.at6(1))

  const again = await plane.network.plug({ amphoraId: a, instance: ia, networkId, addresses: addr(21, 23) }, signal)
  const [link] = JSON.parse(ipQuiet(['-n', ia.netns!, '-j', 'addr', 'show', 'dev', again.interfaceName!])!)
  assert.deepEqual(link.addr_info.filter((x: any) => x.scope === 'global').map((x: any) => x.local), [net.at(21), net.at(23)])
  assert.equal(await askFromHost(net.at(23), 9000), 'amphora-a')

  const bridgePlane = plane.network as BridgeDataPlane
  assert.deepEqual(await bridgePlane.removeUnusedBridges(signal), [], 'a bridge in use stays')
  await plane.network.unplug({ amphoraId: a, instance: ia, networkId }, signal)
  await plane.network.unplug({ amphoraId: a, instance: ia, networkId }, signal)
  assert.equal(ipQuiet(['-n', ia.netns!, 'link', 'show', 'dev', again.interfaceName!]), null)
  assert.equal(await plane.compute.exists(ia.computeId), true, 'unplug keeps the namespace')
  await plane.compute.delete(ia.computeId, signal)
  const t0 = performance.now()
  await plane.compute.delete(ib.computeId, signal)
  t.diagnostic(`netns amphora timing: delete ${ms(t0, performance.now())} ms (one veth, no process inside)`)
  assert.deepEqual(await bridgePlane.removeUnusedBridges(signal), [net.bridge])
  assert.deepEqual(leftovers(ids, [net.bridge]), [])
})

test('when a plug cannot work in netns mode, then it fails before touching the host', { skip }, async () => {
  const noNs = { computeId: 'loopback:x', netns: null }
  await assert.rejects(plane.network.plug({ amphoraId: ids[0], instance: noNs, networkId, addresses: addr(30) }, signal),
    /has no namespace: the bridge data plane needs the netns compute driver/)
  await assert.rejects(plane.compute.delete('not-ours', signal), /'not-ours' is not an amphora namespace/)
})

test('when an amphora is plugged with floating addresses, then plug neither adds nor removes them', { skip }, async () => {
  const amp = ids[3]
  const instance = await plane.compute.build(spec(amp), signal)
  const plugAgain = () => plane.network.plug({ amphoraId: amp, instance, networkId, addresses: addr(40), floating: [...addr(41), ...addr6(41)] }, signal)
  const global = (dev: string) => (JSON.parse(ipQuiet(['-n', instance.netns!, '-j', 'addr', 'show', 'dev', dev])!)[0].addr_info as any[])
    .filter(x => x.scope === 'global').map(x => `${x.local}/${x.prefixlen}`)
  for (const family of ['ipv4', 'ipv6']) {
    assert.equal(ipQuiet(['netns', 'exec', instance.netns!, 'cat', `/proc/sys/net/${family}/ip_nonlocal_bind`])?.trim(), '1',
      `${family}: HAProxy on the BACKUP binds the VIP it does not hold`)
  }
  const plugged = await plugAgain()
  assert.deepEqual(plugged.addresses, [`${net.at(40)}/24`])
  assert.deepEqual(global(plugged.interfaceName!), [`${net.at(40)}/24`], 'floating addresses are not added')
  // keepalived takes the VIPs (whatever prefix it uses): a plug retried meanwhile leaves them
  ipQuiet(['-n', instance.netns!, 'addr', 'add', `${net.at(41)}/32`, 'dev', plugged.interfaceName!])
  ipQuiet(['-n', instance.netns!, 'addr', 'add', `${net.at6(41)}/64`, 'dev', plugged.interfaceName!, 'nodad'])
  await plugAgain()
  assert.deepEqual(global(plugged.interfaceName!).sort(), [`${net.at(40)}/24`, `${net.at(41)}/32`, `${net.at6(41)}/64`].sort())
  // without the floating list they are ordinary strays again: converge removes them
  await plane.network.plug({ amphoraId: amp, instance, networkId, addresses: addr(40) }, signal)
  assert.deepEqual(global(plugged.interfaceName!), [`${net.at(40)}/24`])
  await assert.rejects(plane.network.plug({ amphoraId: amp, instance, networkId, addresses: addr(40), floating: addr(40) }, signal),
    /address .* is given twice/)
  await plane.compute.delete(instance.computeId, signal)
})

test('when the netns driver builds a namespace, then its lo carries the owner mark and only namespaces with our mark are owned here', { skip }, async () => {
  const [ours, stranger] = [ids[4], ids[5]]
  const instance = await plane.compute.build(spec(ours), signal)
  ipQuiet(['netns', 'add', `amp-${stranger}`]) // another stack's namespace named like an amphora's
  const [lo] = JSON.parse(ipQuiet(['-n', instance.netns!, '-j', 'link', 'show', 'dev', 'lo'])!)
  const owner = computeOwner(loadConfig(undefined, {}))
  assert.equal(lo.ifalias, `octavia-ts:amphora=${ours}:owner=${owner}`)
  const listed = (await plane.compute.hostInstances()).filter(i => i.amphoraId === ours || i.amphoraId === stranger)
  assert.deepEqual(listed.map(i => i.computeId).sort(), [`amp-${ours}`, `amp-${stranger}`].sort(), 'both listed by name')
  assert.equal(await plane.compute.ownedHere(instance.computeId), true)
  assert.equal(await plane.compute.ownedHere(`amp-${stranger}`), false, 'a name alone is not ours')
  const otherDeployment = new NetnsComputeDriver({ ip: new IpCommand(silentLogger()), log: silentLogger(), owner: ownerKey('/srv/another/amphorae') })
  assert.equal(await otherDeployment.ownedHere(instance.computeId), false, 'another deployment\'s mark is not ours')
  // a namespace found without our mark (old enough: here at once) is not looked into again, unless made anew
  let calls = 0
  const counting = new class extends IpCommand { override ip(args: readonly string[], o?: RunOptions) { calls++; return super.ip(args, o) } }(silentLogger())
  const remembering = new NetnsComputeDriver({ ip: counting, log: silentLogger(), owner: 'x', unmarkedForGoodMs: 0 })
  assert.equal(await remembering.ownedHere(`amp-${stranger}`), false)
  assert.equal(await remembering.ownedHere(`amp-${stranger}`), false)
  assert.equal(calls, 1, 'one look only')
  ipQuiet(['netns', 'del', `amp-${stranger}`])
  ipQuiet(['netns', 'add', `amp-${stranger}`])
  await remembering.hostInstances()
  assert.equal(await remembering.ownedHere(`amp-${stranger}`), false)
  assert.equal(calls, 2, 'a namespace made again under the name is looked at again')
  await plane.compute.delete(instance.computeId, signal)
  assert.equal(await plane.compute.ownedHere(instance.computeId), false, 'a deleted namespace is nobody\'s')
  ipQuiet(['netns', 'del', `amp-${stranger}`])
  assert.deepEqual(leftovers([ours, stranger], []), [])
})
