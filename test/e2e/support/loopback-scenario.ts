/*
 * The loopback data plane end to end, meant to run as an UNPRIVILEGED user
 * (test/e2e/dataplane-drivers-loopback.test.ts runs it through `runuser -u
 * nobody` when the tests run as root): build an amphora slot, plug a VIP in
 * 127.226.0.0/16, bind it, relay to a member on 127.0.0.1, delete twice.
 * Prints one JSON line with what it saw; exits non-zero on an error.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, connect, type AddressInfo, type Server } from 'node:net'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomInt, randomUUID } from 'node:crypto'
import { loadConfig } from '../../../src/common/config/load.js'
import { silentLogger } from '../../../src/common/logging.js'
import { createDataPlane } from '../../../src/drivers/network/create-data-plane.js'
import { DataPlaneHostSetup } from '../../../src/drivers/network/host-setup.js'

const listen = async (server: Server, host: string): Promise<number> => {
  server.listen(0, host)
  await once(server, 'listening')
  return (server.address() as AddressInfo).port
}

const stateDir = await mkdtemp(join(tmpdir(), 'octavia-loopback-e2e-'))
const servers: Server[] = []
try {
  const config = loadConfig(undefined, { OCTAVIA_TS__DEFAULT__state_dir: stateDir })
  const plane = createDataPlane(config, { log: silentLogger() })
  const abort = new AbortController()
  const setup = new DataPlaneHostSetup(plane.network, silentLogger())
  await setup.start(abort.signal)
  const amphoraId = randomUUID()
  const instance = await plane.compute.build({ amphoraId, loadBalancerId: 'lb-loopback-e2e' }, abort.signal)
  const [subnet] = plane.topology.subnets
  const vip = `127.226.${randomInt(1, 255)}.${randomInt(2, 255)}`
  const plugged = await plane.network.plug({ amphoraId, instance, networkId: subnet.networkId, addresses: [{ ipAddress: vip, subnetId: subnet.id }] }, abort.signal)

  // a member on 127.0.0.1 and, standing in for HAProxy, a relay bound to the VIP
  const member = createServer(s => s.end('member on 127.0.0.1'))
  servers.push(member)
  const memberPort = await listen(member, '127.0.0.1')
  const relay = createServer(s => s.pipe(connect(memberPort, '127.0.0.1')).pipe(s))
  servers.push(relay)
  const vipPort = await listen(relay, vip)
  const client = connect(vipPort, vip)
  let answer = ''
  client.setEncoding('utf8').on('data', c => { answer += c })
  await once(client, 'end')

  const existed = await plane.compute.exists(instance.computeId)
  await plane.network.unplug({ amphoraId, instance, networkId: subnet.networkId }, abort.signal)
  await plane.compute.delete(instance.computeId, abort.signal)
  await plane.compute.delete(instance.computeId, abort.signal)
  abort.abort()
  await setup.stopped
  console.log(JSON.stringify({
    uid: process.geteuid?.(), computeDriver: plane.computeDriver, mode: plane.mode, subnet: subnet.cidr,
    warnings: setup.result?.warnings, computeId: instance.computeId, netns: instance.netns, vip, plugged,
    answer, existed, existsAfterDelete: await plane.compute.exists(instance.computeId),
  }))
} finally {
  for (const s of servers) s.close()
  await rm(stateDir, { recursive: true, force: true })
}
