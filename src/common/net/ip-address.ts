/**
 * IPv4/IPv6 addresses as big integers: parsing, canonical text (Python's
 * `ipaddress` forms: dotted quad, RFC 5952 compressed IPv6), CIDR ranges.
 * Pure functions; no I/O.
 */

export type IpVersion = 4 | 6

/** One address: its family and its value as an unsigned integer. */
export interface Ip {
  readonly version: IpVersion
  readonly value: bigint
}

/** A network in CIDR notation, host bits zero. */
export interface Cidr {
  readonly version: IpVersion
  readonly network: bigint
  readonly prefix: number
  /** Last address of the network (the broadcast address for IPv4). */
  readonly last: bigint
}

const BITS: Record<IpVersion, number> = { 4: 32, 6: 128 }

/** Parses an IPv4 or IPv6 address (no zone, no leading zeros in IPv4); null when invalid. */
export function parseIp(text: string): Ip | null {
  if (typeof text !== 'string') return null
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text)
}

function parseIpv4(text: string): Ip | null {
  const parts = text.split('.')
  if (parts.length !== 4) return null
  let value = 0n
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return null
    value = (value << 8n) | BigInt(p)
  }
  return { version: 4, value }
}

function parseIpv6(text: string): Ip | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null
  let groups: string[]
  const halves = text.split('::')
  if (halves.length > 2) return null
  const split = (s: string) => (s === '' ? [] : s.split(':'))
  let tail = split(halves[halves.length - 1])
  // An embedded IPv4 address takes the last two groups.
  const lastPart = tail[tail.length - 1]
  if (lastPart !== undefined && lastPart.includes('.')) {
    const v4 = parseIpv4(lastPart)
    if (!v4) return null
    tail = [...tail.slice(0, -1), (v4.value >> 16n).toString(16), (v4.value & 0xffffn).toString(16)]
  }
  if (halves.length === 2) {
    const head = split(halves[0])
    const missing = 8 - head.length - tail.length
    if (missing < 1) return null
    groups = [...head, ...Array<string>(missing).fill('0'), ...tail]
  } else {
    groups = tail
  }
  if (groups.length !== 8) return null
  let value = 0n
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null
    value = (value << 16n) | BigInt(parseInt(g, 16))
  }
  return { version: 6, value }
}

/** The canonical text of an address (what we store and render). */
export function formatIp(ip: Ip): string {
  if (ip.version === 4) {
    return [24n, 16n, 8n, 0n].map(s => ((ip.value >> s) & 0xffn).toString()).join('.')
  }
  const groups = Array.from({ length: 8 }, (_, i) => Number((ip.value >> BigInt(112 - 16 * i)) & 0xffffn))
  // RFC 5952: compress the longest run (≥ 2) of zero groups, the first one on a tie.
  let bestStart = -1
  let bestLen = 0
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLen) { bestStart = i; bestLen = j - i }
    i = j
  }
  const hex = groups.map(g => g.toString(16))
  if (bestLen < 2) return hex.join(':')
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`
}

/** The canonical text of an address given as text, or null when it is not an address. */
export function normalizeIp(text: string): string | null {
  const ip = parseIp(text)
  return ip ? formatIp(ip) : null
}

/** Parses `a.b.c.d/n` or `x::/n`; throws an Error saying what is wrong (host bits set, bad prefix). */
export function parseCidr(text: string): Cidr {
  const slash = text.indexOf('/')
  if (slash < 0) throw new Error(`'${text}' is not in CIDR notation (address/prefix)`)
  const ip = parseIp(text.slice(0, slash))
  const prefixText = text.slice(slash + 1)
  if (!ip) throw new Error(`'${text}' does not start with an IP address`)
  const bits = BITS[ip.version]
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) throw new Error(`'${text}' has an invalid prefix length`)
  const prefix = Number(prefixText)
  const hostMask = (1n << BigInt(bits - prefix)) - 1n
  if ((ip.value & hostMask) !== 0n) throw new Error(`'${text}' has host bits set`)
  return { version: ip.version, network: ip.value, prefix, last: ip.value | hostMask }
}

/** Canonical CIDR text. */
export function formatCidr(c: Cidr): string {
  return `${formatIp({ version: c.version, value: c.network })}/${c.prefix}`
}

/** True when `ip` lies in `cidr` (same family, within its range). */
export function cidrContains(cidr: Cidr, ip: Ip): boolean {
  return ip.version === cidr.version && ip.value >= cidr.network && ip.value <= cidr.last
}
