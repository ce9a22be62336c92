import { createHash } from 'node:crypto'
import { formatCidr, formatIp, parseCidr, parseIp, cidrContains, type Cidr } from '../../common/net/ip-address.js'
import type { IpRange, Network, Subnet } from '../../model/network-service.js'
import { OCTAVIA_TS_NAMESPACE, stableId, uuidV5 } from '../../common/net/stable-id.js'

/*
 * Declared networks (the `local` network driver). Each `[network:KEY]` section
 * declares ONE subnet; sections naming the same `network` share one network.
 *
 *   [network:public]               ; network "public", subnet "public-subnet"
 *   cidr = 127.226.0.0/16
 *
 *   [network:public-v6]            ; a second subnet on network "public"
 *   network = public
 *   subnet_name = public-v6
 *   cidr = fd00:226::/64
 *
 *   [network:lan]
 *   id = 5f0c…                     ; optional network UUID (else UUIDv5 of "network:<name>")
 *   subnet_id = 8e41…              ; optional subnet UUID (else UUIDv5 of "subnet:<subnet_name>")
 *   cidr = 10.20.0.0/24
 *   gateway_ip = none              ; default: the first host; never handed out
 *   allocation_start = 10.20.0.100 ; default: the whole CIDR minus network,
 *   allocation_end = 10.20.0.199   ;   broadcast (IPv4) and gateway
 *   project_id = …                 ; owner shown by the Neutron API (default '')
 *   bridge = octbr-lan             ; netns mode: the host's Linux bridge of this
 *                                  ;   network (default octbr-<network name>)
 *
 * Keys: network (default KEY), subnet_name (default KEY-subnet), id, subnet_id,
 * cidr (required), gateway_ip, allocation_start, allocation_end, project_id,
 * bridge. With no section at all, the default network of the data-plane mode
 * applies (defaultNetworkSections); declaring any section replaces it. Subnets
 * may not overlap.
 *
 * Data plane (src/drivers/network): in netns mode every network is a bridge on
 * the host carrying each subnet's gateway_ip, so the host reaches VIPs and
 * amphorae reach members on the host through it; in loopback mode the `bridge`
 * key is ignored and VIPs must lie in 127.0.0.0/8.
 */

/** Section prefix of declared subnets: `[network:KEY]`. */
export const NETWORK_SECTION_PREFIX = 'network:'

type Sections = Readonly<Record<string, Readonly<Record<string, string>>>>

/**
 * Loopback mode's default (and the default of declaredNetworks): network
 * `public`, subnet `public-subnet` on 127.226.0.0/16, ids derived from the names.
 */
export const DEFAULT_NETWORK_SECTIONS: Sections = Object.freeze({
  'network:public': Object.freeze({ cidr: '127.226.0.0/16' }),
})

/**
 * netns mode's default: network `public`, subnet `public-subnet` on
 * 10.213.0.0/24 (gateway 10.213.0.1 on bridge `octbr-public`). Same names as in
 * loopback mode, other ids (UUIDv5 of `network:public@netns` and
 * `subnet:public-subnet@netns`): a VIP recorded in one mode never silently
 * lands in the other mode's address range.
 */
export const NETNS_DEFAULT_NETWORK_SECTIONS: Sections = Object.freeze({
  'network:public': Object.freeze({
    cidr: '10.213.0.0/24',
    id: uuidV5(OCTAVIA_TS_NAMESPACE, 'network:public@netns'),
    subnet_id: uuidV5(OCTAVIA_TS_NAMESPACE, 'subnet:public-subnet@netns'),
    bridge: 'octbr-public',
  }),
})

/** The networks that apply when none is declared, per data-plane mode. */
export const defaultNetworkSections = (mode: 'netns' | 'loopback'): Sections =>
  mode === 'netns' ? NETNS_DEFAULT_NETWORK_SECTIONS : DEFAULT_NETWORK_SECTIONS

const KEYS = new Set(['network', 'id', 'subnet_name', 'subnet_id', 'cidr', 'gateway_ip',
  'allocation_start', 'allocation_end', 'project_id', 'bridge'])
/** A Linux interface name: at most 15 bytes, no slash, colon or blank. */
const INTERFACE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A declared subnet with its parsed ranges (what IPAM works on). */
export interface DeclaredSubnet extends Subnet {
  readonly allocationPools: readonly IpRange[]
  readonly projectId: string
  readonly range: Cidr
  readonly gateway: bigint | null
  /** Allocation pools as integers, in order. */
  readonly pools: readonly { readonly start: bigint; readonly end: bigint }[]
}

export interface DeclaredNetwork extends Network {
  readonly projectId: string
  /** netns mode: the host bridge backing this network (`bridge` key, else `octbr-<name>` or `octbr-<hash>`). */
  readonly bridge: string
}

/** All declared networks and subnets, in declaration order. */
export interface Topology {
  readonly networks: readonly DeclaredNetwork[]
  readonly subnets: readonly DeclaredSubnet[]
}

/**
 * Reads the `[network:KEY]` sections (one subnet each; sections with the same
 * `network` share one network) into a topology with stable ids; `defaults`
 * (loopback mode's `public` network unless given) when there is none. Throws
 * an Error naming the section and key for anything invalid (bad CIDR, gateway
 * outside, duplicate or overlapping subnets, conflicting ids or bridges,
 * unknown keys).
 */
export function declaredNetworks(extraSections: Sections, defaults: Sections = DEFAULT_NETWORK_SECTIONS): Topology {
  let sections = Object.entries(extraSections).filter(([name]) => name.startsWith(NETWORK_SECTION_PREFIX))
  if (sections.length === 0) sections = Object.entries(defaults)
  const subnets = sections.map(([name, values]) => parseSection(name.slice(NETWORK_SECTION_PREFIX.length), values))
  const explicitIds = new Map<string, { id: string; section: string }>()
  for (const s of subnets) {
    if (!s.explicitNetworkId) continue
    const prior = explicitIds.get(s.networkName)
    if (prior && prior.id !== s.networkId) {
      throw configError(s.section, 'id', `network '${s.networkName}' already has id ${prior.id} in [network:${prior.section}]`)
    }
    explicitIds.set(s.networkName, { id: s.networkId, section: s.section })
  }
  const networks = new Map<string, { id: string; name: string; projectId: string; subnets: string[]; bridge: string }>()
  for (const s of subnets) {
    const net = networks.get(s.networkName)
    if (net) { net.subnets.push(s.id); continue }
    const id = explicitIds.get(s.networkName)?.id ?? s.networkId
    networks.set(s.networkName, { id, name: s.networkName, projectId: s.projectId, subnets: [s.id], bridge: '' })
  }
  for (const net of networks.values()) net.bridge = bridgeOf(net, subnets.filter(s => s.networkName === net.name))
  checkUnique([...networks.values()].map(n => [n.id, `network id ${n.id}`]), 'id')
  checkUnique([...networks.values()].map(n => [n.bridge, `bridge '${n.bridge}'`]), 'bridge')
  const resolved = subnets.map(s => ({ ...s, networkId: networks.get(s.networkName)!.id }))
  checkUnique(resolved.map(s => [s.name, `subnet name '${s.name}'`]), 'subnet_name')
  checkUnique(resolved.map(s => [s.id, `subnet id ${s.id}`]), 'subnet_id')
  for (let i = 0; i < resolved.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = resolved[i].range
      const b = resolved[j].range
      if (a.version === b.version && a.network <= b.last && b.network <= a.last) {
        throw configError(resolved[i].section, 'cidr', `${resolved[i].cidr} overlaps ${resolved[j].cidr} of [network:${resolved[j].section}]`)
      }
    }
  }
  return Object.freeze({
    networks: Object.freeze([...networks.values()].map(n => Object.freeze({ ...n, subnets: Object.freeze(n.subnets) }))),
    subnets: Object.freeze(resolved.map(({ section: _s, networkName: _n, explicitNetworkId: _e, bridge: _b, ...s }) => Object.freeze(s))),
  })
}

/** The network's bridge: the one its sections name (they must agree), else derived from the name. */
function bridgeOf(net: { id: string; name: string }, sections: readonly ParsedSection[]): string {
  let chosen: ParsedSection | null = null
  for (const s of sections) {
    if (s.bridge === null) continue
    if (chosen && chosen.bridge !== s.bridge) {
      throw configError(s.section, 'bridge', `network '${net.name}' already has bridge '${chosen.bridge}' in [network:${chosen.section}]`)
    }
    chosen ??= s
  }
  if (chosen) return chosen.bridge!
  const candidate = `octbr-${net.name}`
  return INTERFACE_NAME.test(candidate) ? candidate : `octbr-${createHash('sha1').update(net.id).digest('hex').slice(0, 9)}`
}

interface ParsedSection extends DeclaredSubnet {
  readonly section: string
  readonly networkName: string
  readonly explicitNetworkId: boolean
  readonly bridge: string | null
}

function parseSection(section: string, values: Readonly<Record<string, string>>): ParsedSection {
  for (const key of Object.keys(values)) if (!KEYS.has(key)) throw configError(section, key, 'unknown option')
  const get = (k: string): string | undefined => (values[k] === undefined ? undefined : String(values[k]).trim())
  const networkName = get('network') || section
  const subnetName = get('subnet_name') || `${section}-subnet`
  const networkId = uuidOption(section, 'id', get('id')) ?? stableId('network', networkName)
  const subnetId = uuidOption(section, 'subnet_id', get('subnet_id')) ?? stableId('subnet', subnetName)
  const cidrText = get('cidr')
  if (!cidrText) throw configError(section, 'cidr', 'required')
  let range: Cidr
  try { range = parseCidr(cidrText) } catch (err) { throw configError(section, 'cidr', (err as Error).message) }
  const { gateway, pools } = addressPlan(section, range, get)
  const fmt = (value: bigint) => formatIp({ version: range.version, value })
  const bridge = get('bridge') || null
  if (bridge !== null && !INTERFACE_NAME.test(bridge)) {
    throw configError(section, 'bridge', `'${bridge}' is not an interface name (1-15 of A-Z a-z 0-9 _ . -)`)
  }
  return {
    section, networkName, bridge, explicitNetworkId: get('id') !== undefined && get('id') !== '',
    id: subnetId, name: subnetName, networkId, cidr: formatCidr(range), ipVersion: range.version,
    gatewayIp: gateway === null ? null : fmt(gateway), projectId: get('project_id') ?? '',
    allocationPools: pools.map(p => ({ start: fmt(p.start), end: fmt(p.end) })), range, gateway, pools,
  }
}

/**
 * The gateway and allocation pools of a subnet section: `gateway_ip`
 * (default: the first host; `''` or `none`: no gateway), `allocation_start`
 * and `allocation_end` (default: every host), the gateway cut out of the pool.
 */
function addressPlan(
  section: string, range: Cidr, get: (k: string) => string | undefined,
): { gateway: bigint | null; pools: { start: bigint; end: bigint }[] } {
  const addr = (key: string, text: string): bigint => {
    const ip = parseIp(text)
    if (!ip || !cidrContains(range, ip)) throw configError(section, key, `'${text}' is not an address of ${formatCidr(range)}`)
    return ip.value
  }
  // Neutron's defaults: IPv4 skips the network and broadcast addresses (except /31, /32); IPv6 the subnet-router anycast.
  const bits = range.version === 4 ? 32 : 128
  const small = range.version === 4 && range.prefix >= bits - 1
  const firstHost = small ? range.network : range.network + 1n
  const lastHost = small || range.version === 6 ? range.last : range.last - 1n
  const gatewayText = get('gateway_ip')
  const gateway = gatewayText === undefined ? (firstHost <= lastHost && !small ? firstHost : null)
    : gatewayText === '' || gatewayText.toLowerCase() === 'none' ? null : addr('gateway_ip', gatewayText)
  const startText = get('allocation_start')
  const endText = get('allocation_end')
  const start = startText ? addr('allocation_start', startText) : firstHost
  const end = endText ? addr('allocation_end', endText) : lastHost
  if (start > end) throw configError(section, 'allocation_end', 'is before allocation_start')
  const pools = gateway !== null && gateway >= start && gateway <= end
    ? [{ start, end: gateway - 1n }, { start: gateway + 1n, end }].filter(p => p.start <= p.end)
    : [{ start, end }]
  return { gateway, pools }
}

function uuidOption(section: string, key: string, value: string | undefined): string | null {
  if (value === undefined || value === '') return null
  if (!UUID.test(value)) throw configError(section, key, `'${value}' is not a UUID`)
  return value.toLowerCase()
}

function checkUnique(items: readonly (readonly [string, string])[], key: string): void {
  const seen = new Set<string>()
  for (const [value, what] of items) {
    if (seen.has(value)) throw new Error(`invalid configuration: [${NETWORK_SECTION_PREFIX}*] ${key}: ${what} is declared twice`)
    seen.add(value)
  }
}

const configError = (section: string, key: string, message: string): Error =>
  new Error(`invalid configuration: [${NETWORK_SECTION_PREFIX}${section}] ${key}: ${message}`)
