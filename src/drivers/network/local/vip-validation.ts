import { badRequest, validationFailure } from '../../../common/errors.js'
import type { Config } from '../../../common/config/schema.js'
import type { Executor } from '../../../db/database.js'
import type { DeclaredSubnet } from '../declared-networks.js'
import { normalizeIp, parseIp } from '../../../common/net/ip-address.js'
import type { Network, Port, ResolvedVip, VipRequest } from '../../../model/network-service.js'
import { isAssignable } from './subnet-addresses.js'

/** What VIP validation reads: the declared topology, ports, free-address counts. */
export interface VipLookups {
  readonly networking: Config['networking']
  readonly defaultTopology: string
  getNetwork(id: string): Network | null
  getDeclaredSubnet(id: string): DeclaredSubnet | null
  getPort(exec: Executor, id: string): Promise<Port | null>
  freeAddresses(exec: Executor, subnet: DeclaredSubnet): Promise<bigint>
}

/** 400 `<Resource> <id> not found.` (Octavia's InvalidSubresource). */
export const invalidSubresource = (resource: 'Subnet' | 'Network' | 'Port', id: string) =>
  badRequest(`${resource} ${id} not found.`, 'invalid_subresource')

/** Neutron's words for an address that does not belong to the subnet, as a validation failure. */
export const invalidIpForSubnet = (ip: string) =>
  validationFailure(`IP address ${ip} is not a valid IP for the specified subnet.`)

/**
 * Octavia's `_validate_vip_request_object` on the declared networks: the
 * allow_vip_* options, one of port/network/subnet, then the port, network or
 * subnet path, the requested address, and the additional VIPs. Reads only.
 */
export async function validateVipRequest(look: VipLookups, exec: Executor, req: VipRequest): Promise<ResolvedVip> {
  checkAllowedObjects(look.networking, req)
  let resolved: { networkId: string; subnetId: string; ipAddress: string | null; portId: string | null }
  if (req.portId) resolved = await viaPort(look, exec, req, req.portId)
  else if (req.networkId) resolved = await viaNetwork(look, exec, req, req.networkId)
  else {
    const subnet = look.getDeclaredSubnet(req.subnetId!)
    if (!subnet) throw invalidSubresource('Subnet', req.subnetId!)
    resolved = { networkId: subnet.networkId, subnetId: subnet.id, ipAddress: null, portId: null }
  }
  const subnet = look.getDeclaredSubnet(resolved.subnetId)!
  if (!resolved.portId && req.ipAddress) resolved.ipAddress = assignableAddress(subnet, req.ipAddress)
  return { ...resolved, additionalVips: validateAdditional(look, resolved.subnetId, resolved.networkId, req) }
}

function checkAllowedObjects(networking: Config['networking'], req: VipRequest): void {
  const allowed: string[] = []
  if (networking.allow_vip_port_id) allowed.push('vip_port_id')
  if (networking.allow_vip_network_id) allowed.push('vip_network_id')
  if (networking.allow_vip_subnet_id) allowed.push('vip_subnet_id')
  const used: [string, unknown][] = [['vip_port_id', req.portId], ['vip_network_id', req.networkId], ['vip_subnet_id', req.subnetId]]
  for (const [name, value] of used) {
    if (value && !allowed.includes(name)) {
      throw validationFailure(`use of ${name} is disallowed by this deployment's configuration.`)
    }
  }
  if (!req.portId && !req.networkId && !req.subnetId) {
    throw validationFailure(`VIP must contain one of: ${allowed.join(', ')}.`)
  }
}

async function viaPort(look: VipLookups, exec: Executor, req: VipRequest, portId: string) {
  const port = await look.getPort(exec, portId)
  if (!port) throw invalidSubresource('Port', portId)
  if (port.deviceId) throw portInUse(port.id, port.deviceId)
  if (req.subnetId) {
    if (!look.getDeclaredSubnet(req.subnetId)) throw invalidSubresource('Subnet', req.subnetId)
    if (port.subnetId !== req.subnetId) {
      throw validationFailure('No VIP address found on the specified VIP port within the specified subnet.')
    }
  }
  if (req.ipAddress && normalizeIp(req.ipAddress) !== port.ipAddress) {
    throw validationFailure('Specified VIP address not found on the specified VIP port.')
  }
  return { networkId: port.networkId, subnetId: port.subnetId, ipAddress: port.ipAddress, portId: port.id }
}

/** Octavia's `check_port_in_use` message (its trailing space included). */
export const portInUse = (portId: string, deviceId: string) =>
  validationFailure(`Port ${portId} is already used by device ${deviceId} `)

async function viaNetwork(look: VipLookups, exec: Executor, req: VipRequest, networkId: string) {
  const network = look.getNetwork(networkId)
  if (!network) throw invalidSubresource('Network', networkId)
  const base = { networkId: network.id, ipAddress: null, portId: null }
  if (req.subnetId) {
    if (!network.subnets.includes(req.subnetId)) throw invalidSubresource('Subnet', req.subnetId)
    return { ...base, subnetId: req.subnetId }
  }
  const subnets = network.subnets.map(id => look.getDeclaredSubnet(id)).filter((s): s is DeclaredSubnet => s !== null)
  if (req.ipAddress) {
    const ip = parseIp(req.ipAddress)
    const subnet = ip && subnets.find(s => s.ipVersion === ip.version && ip.value >= s.range.network && ip.value <= s.range.last)
    if (!subnet) throw validationFailure('Supplied network does not contain a subnet for VIP address specified.')
    return { ...base, subnetId: subnet.id }
  }
  if (subnets.length === 0) throw validationFailure('Supplied network does not contain a subnet.')
  const needed = (req.topology ?? look.defaultTopology) === 'ACTIVE_STANDBY' ? 3n : 2n
  const roomy: DeclaredSubnet[] = []
  for (const s of subnets) if (await look.freeAddresses(exec, s) >= needed) roomy.push(s)
  if (roomy.length === 0) throw validationFailure('Subnet(s) in the supplied network do not contain enough available IPs.')
  return { ...base, subnetId: (roomy.find(s => s.ipVersion === 4) ?? roomy[0]).id }
}

/** The canonical form of a requested address, which must be assignable on the subnet. */
export function assignableAddress(subnet: DeclaredSubnet, requested: string): string {
  const ip = parseIp(requested)
  if (!ip || ip.version !== subnet.ipVersion || !isAssignable(subnet, ip.value)) throw invalidIpForSubnet(requested)
  return normalizeIp(requested)!
}

function validateAdditional(look: VipLookups, primarySubnetId: string, networkId: string, req: VipRequest): ResolvedVip['additionalVips'] {
  const adds = req.additionalVips ?? []
  const seen = new Set([primarySubnetId])
  for (const a of adds) {
    if (seen.has(a.subnetId)) {
      throw validationFailure('Duplicate VIP subnet(s) specified. Only one IP can be bound per subnet.')
    }
    seen.add(a.subnetId)
  }
  const subnets = adds.map(a => {
    const s = look.getDeclaredSubnet(a.subnetId)
    if (!s) throw validationFailure(`Subnet ${a.subnetId} not found`)
    return s
  })
  if (subnets.some(s => s.networkId !== networkId)) {
    throw validationFailure('All VIP subnets must belong to the same network.')
  }
  return adds.map((a, i) => ({
    subnetId: a.subnetId, networkId,
    ipAddress: a.ipAddress ? assignableAddress(subnets[i], a.ipAddress) : null,
  }))
}
