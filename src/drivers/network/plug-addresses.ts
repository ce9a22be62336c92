import type { DeclaredNetwork, DeclaredSubnet, Topology } from './declared-networks.js'
import { cidrContains, formatIp, parseIp, type Ip } from '../../common/net/ip-address.js'
import { DataPlaneError, type PlugAddress, type PlugRequest } from './network-data-plane.js'

/** One requested address, checked against the declared topology. */
export interface ResolvedAddress {
  readonly ip: Ip
  readonly subnet: DeclaredSubnet
  /** `address/prefix`, as `ip addr` takes it. */
  readonly withPrefix: string
}

/**
 * Checks a plug request against the declared networks: the network exists,
 * each subnet belongs to it, each address (of `addresses` and `floating`)
 * lies in its subnet, no address twice across both lists. Throws
 * DataPlaneError naming the offending value.
 */
export function resolvePlug(topology: Topology, req: PlugRequest): {
  network: DeclaredNetwork; addresses: ResolvedAddress[]; floating: ResolvedAddress[]
} {
  const network = topology.networks.find(n => n.id === req.networkId)
  if (!network) throw new DataPlaneError(`network ${req.networkId} is not declared`)
  const seen = new Set<string>()
  const resolve = (a: PlugAddress): ResolvedAddress => {
    const subnet = topology.subnets.find(s => s.id === a.subnetId)
    if (!subnet || subnet.networkId !== network.id) {
      throw new DataPlaneError(`subnet ${a.subnetId} is not a subnet of network ${network.id}`)
    }
    const ip = parseIp(a.ipAddress)
    if (!ip || !cidrContains(subnet.range, ip)) {
      throw new DataPlaneError(`address '${a.ipAddress}' is not in subnet ${subnet.id} (${subnet.cidr})`)
    }
    const text = formatIp(ip)
    if (seen.has(text)) throw new DataPlaneError(`address ${text} is given twice`)
    seen.add(text)
    return { ip, subnet, withPrefix: `${text}/${subnet.range.prefix}` }
  }
  const addresses = req.addresses.map(resolve)
  return { network, addresses, floating: (req.floating ?? []).map(resolve) }
}
