/**
 * A lab for ACTIVE_STANDBY on one host (root only): a scratch network (a
 * bridge with 10.213.<128..227>.1 on the host), the netns compute driver and
 * the bridge data plane, a real amphora agent, and an HTTP backend on the
 * bridge's gateway address that answers with the address the request came
 * from, i.e. the VRRP address of the amphora whose HAProxy forwarded it.
 * `pair()` builds two amphorae as the worker does for one load balancer:
 * namespace, plug (VRRP address, VIP floating), HAProxy, keepalived.
 */
import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import { loadConfig } from '../../../src/common/config/load.js'
import { silentLogger } from '../../../src/common/logging.js'
import type { VrrpSpec } from '../../../src/amphora-api/agent-api.js'
import { createDataPlane, type DataPlane } from '../../../src/drivers/network/create-data-plane.js'
import type { PluggedNetwork } from '../../../src/drivers/network/network-data-plane.js'
import { stableId } from '../../../src/common/net/stable-id.js'
import { startAgentHarness, testConfig, type AgentHarness } from './agent-harness.js'
import { get } from './agent-traffic.js'
import { amphoraIds, cleanUp, ipQuiet, leftovers, scratchNetwork } from './netns-fixtures.js'

/** One amphora of a pair. */
export interface LabAmphora {
  readonly id: string
  readonly netns: string
  readonly vrrpIp: string
  readonly lbId: string
}

/** The two amphorae of one load balancer and its VIP. */
export interface LabPair {
  readonly amphorae: readonly [LabAmphora, LabAmphora]
  readonly vip: string
  readonly url: string
  readonly specOf: (a: LabAmphora) => VrrpSpec
}

export interface VrrpLab {
  readonly h: AgentHarness
  readonly plane: DataPlane
  /** Builds and starts a pair (the first with priority 100); its addresses are hosts 10+3k..12+3k of the network. */
  pair(k: number): Promise<LabPair>
  /** Plugs `a` again as the worker would on a retry (VRRP address; VIP floating). */
  replug(a: LabAmphora, p: LabPair): Promise<PluggedNetwork>
  /** Every address in the amphora's namespace now, as the kernel says. */
  addresses(a: LabAmphora): string[]
  /** Which amphorae of the pair have the VIP on an interface now, as the kernel says. */
  holders(p: LabPair): LabAmphora[]
  /** The VRRP address of the amphora that served a request to the VIP, or `error …`. */
  servedBy(p: LabPair): Promise<string>
  /** Removes everything (agent amphorae, namespaces, veths, bridge, backend); returns what is left. */
  close(): Promise<string[]>
}

const PORT = 8080
const signal = new AbortController().signal

/** Starts the lab; `agentOptions` are the agent harness's configuration overrides. */
export async function startVrrpLab(agentOptions: Record<string, string>): Promise<VrrpLab> {
  const net = scratchNetwork()
  const ids = amphoraIds(16)
  let used = 0
  const config = loadConfig(undefined, {
    OCTAVIA_TS__controller_worker__compute_driver: 'netns',
    [`OCTAVIA_TS__network:${net.key}__cidr`]: net.cidr,
    [`OCTAVIA_TS__network:${net.key}__bridge`]: net.bridge,
  })
  const plane = createDataPlane(config, { log: silentLogger() })
  await plane.network.prepareHost(signal)
  const backend: Server = createServer((req, res) => res.end(req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '?'))
  await new Promise<void>((resolve) => backend.listen(0, net.gateway, resolve))
  const backendPort = (backend.address() as { port: number }).port
  const h = await startAgentHarness(agentOptions)
  const networkId = stableId('network', net.key)
  const subnetId = stableId('subnet', `${net.key}-subnet`)
  const created: LabAmphora[] = []
  const plug = (a: LabAmphora, vip: string): Promise<PluggedNetwork> => plane.network.plug({
    amphoraId: a.id, instance: plane.compute.instance(a.netns), networkId,
    addresses: [{ ipAddress: a.vrrpIp, subnetId }], floating: [{ ipAddress: vip, subnetId }],
  }, signal)

  const amphora = async (vrrpIp: string, vip: string, lbId: string): Promise<LabAmphora> => {
    const id = ids[used++] ?? randomUUID()
    const instance = await plane.compute.build({ amphoraId: id, loadBalancerId: lbId }, signal)
    const a: LabAmphora = { id, netns: instance.netns ?? '', vrrpIp, lbId }
    created.push(a)
    await plug(a, vip)
    await h.client.registerAmphora(h.endpoint, id, { netns: a.netns })
    const listener = { listenerId: randomUUID(), poolId: randomUUID(), bind: `${vip}:${PORT}`, servers: [{ id: randomUUID(), address: net.gateway, port: backendPort }] }
    await h.client.uploadConfig(h.endpoint, id, lbId, testConfig(h.base, id, lbId, [listener]))
    await h.client.action(h.endpoint, id, lbId, 'start')
    return a
  }

  const lab: VrrpLab = {
    h, plane,
    async pair(k) {
      const lbId = randomUUID()
      const vip = net.at(12 + 3 * k)
      const first = await amphora(net.at(10 + 3 * k), vip, lbId)
      const second = await amphora(net.at(11 + 3 * k), vip, lbId)
      const specOf = (a: LabAmphora): VrrpSpec => ({
        groupName: lbId.replaceAll('-', ''), vrrpId: 1 + k, priority: a === first ? 100 : 90, authPassword: 'Pw3x9Zq', advertInt: 1,
        ownIp: a.vrrpIp, peerIps: [(a === first ? second : first).vrrpIp], vips: [`${vip}/24`],
      })
      for (const a of [first, second]) {
        await h.client.putVrrp(h.endpoint, a.id, specOf(a))
        await h.client.vrrpAction(h.endpoint, a.id, 'start')
      }
      return { amphorae: [first, second], vip, url: `http://${vip}:${PORT}/`, specOf }
    },
    replug: (a, p) => plug(a, p.vip),
    addresses(a) {
      const links = JSON.parse(ipQuiet(['-n', a.netns, '-j', 'address', 'show']) || '[]') as { addr_info?: { local: string }[] }[]
      return links.flatMap((l) => (l.addr_info ?? []).map((x) => x.local))
    },
    holders(p) {
      return p.amphorae.filter((a) => lab.addresses(a).includes(p.vip))
    },
    async servedBy(p) {
      return get(p.url).then((r) => (r.status === 200 ? r.body : `error status ${r.status}`), (err: Error) => `error ${err.message}`)
    },
    async close() {
      for (const a of created) await h.client.deleteAmphora(h.endpoint, a.id).catch(() => undefined)
      for (const a of created) await plane.compute.delete(a.netns, signal).catch(() => undefined)
      await h.close()
      await new Promise<void>((resolve) => { backend.closeAllConnections(); backend.close(() => resolve()) })
      cleanUp(ids, [net.bridge])
      const left = leftovers(ids, [net.bridge])
      net.release()
      return left
    },
  }
  return lab
}
