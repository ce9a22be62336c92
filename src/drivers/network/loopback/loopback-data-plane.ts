import type { Topology } from '../declared-networks.js'
import { formatIp } from '../../../common/net/ip-address.js'
import {
  DataPlaneError, type HostPreparation, type NetworkDataPlane, type PluggedNetwork, type PlugRequest,
} from '../network-data-plane.js'
import { resolvePlug } from '../plug-addresses.js'

/** 127.0.0.0/8: every address in it is local to the host without being added, so HAProxy can bind it unprivileged. */
const LOOPBACK_V4 = { network: 127n << 24n, last: (128n << 24n) - 1n }

/**
 * loopback mode: amphorae share the host's namespace and a VIP is an address
 * in 127.0.0.0/8, which Linux treats as local as a whole (`127.0.0.0/8 dev lo`
 * in the local table), so nothing is added, nothing needs root and there is
 * nothing to remove. plug only checks that each address can be bound.
 */
export class LoopbackDataPlane implements NetworkDataPlane {
  readonly name = 'loopback'
  readonly #topology: Topology

  constructor(topology: Topology) {
    this.#topology = topology
  }

  async prepareHost(): Promise<HostPreparation> {
    const warnings = this.#topology.subnets
      .filter(s => !(s.range.version === 4 && s.range.network >= LOOPBACK_V4.network && s.range.last <= LOOPBACK_V4.last))
      .map(s => `subnet ${s.name} (${s.cidr}) is outside 127.0.0.0/8: loopback-mode amphorae cannot serve VIPs in it`)
    return { bridges: [], warnings }
  }

  async plug(req: PlugRequest): Promise<PluggedNetwork> {
    const { network, addresses, floating } = resolvePlug(this.#topology, req)
    for (const a of [...addresses, ...floating]) {
      if (a.ip.version !== 4 || a.ip.value < LOOPBACK_V4.network || a.ip.value > LOOPBACK_V4.last) {
        throw new DataPlaneError(`address ${formatIp(a.ip)} is outside 127.0.0.0/8: in loopback mode an amphora can only `
          + 'serve VIPs in the loopback range (use the netns compute driver, as root, for other addresses)')
      }
    }
    return { networkId: network.id, interfaceName: 'lo', hostInterface: null, bridge: null, addresses: addresses.map(a => a.withPrefix) }
  }

  async unplug(): Promise<void> {}
}
