import type { Logger } from '../../../common/logging.js'
import type { DeclaredNetwork, DeclaredSubnet, Topology } from '../declared-networks.js'
import { formatIp, normalizeIp, type Ip } from '../../../common/net/ip-address.js'
import { HostCommandError, type IpCommand } from '../../../common/linux/ip-command.js'
import { globalAddresses, type IpAddrLink } from '../../../common/linux/ip-json.js'
import { amphoraInterfaceName, hostVethName, vethAlias } from '../../../common/linux/names.js'
import {
  DataPlaneError, type HostPreparation, type NetworkDataPlane, type PluggedNetwork, type PlugRequest, type UnplugRequest,
} from '../network-data-plane.js'
import { resolvePlug, type ResolvedAddress } from '../plug-addresses.js'
import { HostBridges } from './host-bridges.js'

const isLoopback = (ip: Ip): boolean => (ip.version === 4 ? ip.value >> 24n === 127n : ip.value === 1n)

/**
 * netns mode: each declared network is a Linux bridge on the host holding the
 * subnets' gateway addresses; plugging an amphora is a veth pair, host end
 * (`ov…`, with our alias) in the bridge, amphora end (`eth-…`) in its
 * namespace with the addresses and a default route via the gateway. The host
 * reaches VIPs, and amphorae reach members on the host, through the bridge.
 * Bridges stay when amphorae go (removeUnusedBridges() deletes ours on demand).
 */
export class BridgeDataPlane implements NetworkDataPlane {
  readonly name = 'bridge'
  readonly #topology: Topology
  readonly #ip: IpCommand
  readonly #log: Logger
  readonly #bridges: HostBridges

  constructor(topology: Topology, ip: IpCommand, log: Logger) {
    this.#topology = topology
    this.#ip = ip
    this.#log = log
    this.#bridges = new HostBridges(ip, log)
  }

  async prepareHost(signal?: AbortSignal): Promise<HostPreparation> {
    const bridges: string[] = []
    const warnings: string[] = []
    for (const network of this.#topology.networks) {
      const subnets = this.#subnetsOf(network)
      const loop = subnets.filter(s => isLoopback({ version: s.range.version, value: s.range.network }))
      if (loop.length > 0) {
        warnings.push(`network ${network.name}: subnet ${loop.map(s => s.cidr).join(', ')} is a loopback range, `
          + 'which amphora namespaces cannot share with the host; no bridge created')
        continue
      }
      await this.#bridges.ensure(network, subnets, { signal })
      bridges.push(network.bridge)
    }
    return { bridges, warnings }
  }

  async plug(req: PlugRequest, signal?: AbortSignal): Promise<PluggedNetwork> {
    const { network, addresses, floating } = resolvePlug(this.#topology, req)
    const ns = req.instance.netns
    if (!ns) throw new DataPlaneError(`amphora ${req.amphoraId} has no namespace: the bridge data plane needs the netns compute driver`)
    const loop = [...addresses, ...floating].find(a => isLoopback(a.ip))
    if (loop) throw new DataPlaneError(`address ${formatIp(loop.ip)} is a loopback address, which cannot be plugged into a namespace`)
    const host = hostVethName(req.amphoraId, network.id)
    const inner = amphoraInterfaceName(network.id)
    try {
      await this.#ip.ip(['link', 'add', 'name', host, 'type', 'veth', 'peer', 'name', inner, 'netns', ns], { signal })
    } catch (err) {
      if (!(err instanceof HostCommandError && err.exists)) throw err
    }
    const link = await this.#show(inner, ns, signal)
    if (!link) throw new Error(`veth ${host} exists but its peer ${inner} is not in namespace ${ns}`)
    await this.#ip.batch(await this.#converge(ns, inner, link, addresses, floating, signal), { netns: ns, signal })
    await this.#attach(req.amphoraId, network, host, addresses.map(a => formatIp(a.ip)), signal)
    this.#log.debug({ amphoraId: req.amphoraId, networkId: network.id, host, inner }, 'amphora plugged')
    return { networkId: network.id, interfaceName: inner, hostInterface: host, bridge: network.bridge, addresses: addresses.map(a => a.withPrefix) }
  }

  async unplug(req: UnplugRequest, signal?: AbortSignal): Promise<void> {
    const network = this.#topology.networks.find(n => n.id === req.networkId)
    const host = hostVethName(req.amphoraId, req.networkId)
    const inner = req.instance.netns ? await this.#show(amphoraInterfaceName(req.networkId), req.instance.netns, signal).catch(() => null) : null
    try {
      await this.#ip.ip(['link', 'del', 'dev', host], { signal })
    } catch (err) {
      if (!(err instanceof HostCommandError && err.missing)) throw err
    }
    if (network) await this.#forgetNeighbours(globalAddresses(inner ?? undefined).map(a => a.split('/')[0]), network.bridge, signal)
  }

  /**
   * Deletes the bridges of the declared networks that we created and no
   * amphora uses any more (not called by the drivers: bridges are cheap and a
   * concurrent plug may be about to use one); returns their names.
   */
  removeUnusedBridges(signal?: AbortSignal): Promise<string[]> {
    return this.#bridges.removeUnused(new Set(this.#topology.networks.map(n => n.bridge)), signal)
  }

  /**
   * `ip -n NS -batch` lines making `inner` carry exactly `addresses`, up, with
   * default routes where missing. A `floating` address is left alone whatever
   * its prefix length (keepalived may have added it, or may add it later).
   */
  async #converge(ns: string, inner: string, link: IpAddrLink, addresses: readonly ResolvedAddress[],
    floating: readonly ResolvedAddress[], signal?: AbortSignal): Promise<string[]> {
    const have = globalAddresses(link)
    const want = addresses.map(a => a.withPrefix)
    const keep = new Set(floating.map(a => formatIp(a.ip)))
    const lines = [
      ...addresses.filter(a => !have.includes(a.withPrefix))
        .map(a => `address add ${a.withPrefix} dev ${inner}${a.ip.version === 6 ? ' nodad' : ''}`),
      ...have.filter(a => !want.includes(a) && !keep.has(normalizeIp(a.split('/')[0]) ?? ''))
        .map(a => `address del ${a} dev ${inner}`),
      `link set dev ${inner} up`,
    ]
    for (const version of [4, 6] as const) {
      const first = addresses.find(a => a.ip.version === version && a.subnet.gatewayIp !== null)
      if (!first) continue
      const routes = await this.#ip.ipJson<unknown>([`-${version}`, 'route', 'show', 'default'], { netns: ns, signal })
      if (routes.length === 0) lines.push(`route add default via ${first.subnet.gatewayIp} dev ${inner}`)
    }
    return lines
  }

  /**
   * Puts the host end into the network's bridge (created on first use) and
   * drops the host's cached MACs of the addresses (they may have moved here
   * from another amphora: failover), so that traffic follows at once.
   */
  async #attach(amphoraId: string, network: DeclaredNetwork, host: string, addresses: readonly string[], signal?: AbortSignal): Promise<void> {
    const lines = [
      `link set dev ${host} alias ${vethAlias(amphoraId, network.id)} master ${network.bridge} up`,
      ...addresses.map(a => `neigh flush to ${a} dev ${network.bridge}`),
    ]
    await this.#bridges.ensure(network, this.#subnetsOf(network), { signal, cached: true })
    try {
      await this.#ip.batch(lines, { signal })
    } catch (err) {
      if (!(err instanceof HostCommandError && err.missing)) throw err
      this.#bridges.forget(network.bridge) // deleted behind our back: check, re-create, retry once
      await this.#bridges.ensure(network, this.#subnetsOf(network), { signal })
      await this.#ip.batch(lines, { signal })
    }
  }

  /** Drops the host's cached MACs of addresses that just moved (failover), so traffic follows at once. */
  async #forgetNeighbours(addresses: readonly string[], bridge: string, signal?: AbortSignal): Promise<void> {
    await this.#ip.batch(addresses.map(a => `neigh flush to ${a} dev ${bridge}`), { signal })
      .catch(err => this.#log.debug({ err, bridge }, 'neighbour flush failed'))
  }

  #subnetsOf(network: DeclaredNetwork): DeclaredSubnet[] {
    return this.#topology.subnets.filter(s => s.networkId === network.id)
  }

  async #show(name: string, netns: string | null, signal?: AbortSignal): Promise<IpAddrLink | null> {
    try {
      const [link] = await this.#ip.ipJson<IpAddrLink>(['address', 'show', 'dev', name], { netns, signal })
      return link ?? null
    } catch (err) {
      if (err instanceof HostCommandError && err.missing) return null
      throw err
    }
  }
}
