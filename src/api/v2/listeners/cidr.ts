import { isIPv4, isIPv6 } from 'node:net'

/**
 * Parses an IPv4 or IPv6 network as Python's `ipaddress.ip_network(v,
 * strict=False)` does and returns it normalised (`10.0.1.5/24` →
 * `10.0.1.0/24`, a bare address gets its full prefix), or null when the value
 * is not a network. IPv4 netmasks (`10.0.0.0/255.255.255.0`) are accepted.
 */
export function normalizeCidr(value: string): string | null {
  const slash = value.indexOf('/')
  const addr = slash < 0 ? value : value.slice(0, slash)
  const suffix = slash < 0 ? null : value.slice(slash + 1)
  if (isIPv4(addr)) {
    const prefix = suffix === null ? 32 : ipv4Prefix(suffix)
    if (prefix === null) return null
    const bits = ipv4ToBigInt(addr) & maskOf(prefix, 32)
    return `${bigIntToIpv4(bits)}/${prefix}`
  }
  if (isIPv6(addr) && !addr.includes('%')) {
    const prefix = suffix === null ? 128 : decimalPrefix(suffix, 128)
    if (prefix === null) return null
    const bits = ipv6ToBigInt(addr) & maskOf(prefix, 128)
    return `${bigIntToIpv6(bits)}/${prefix}`
  }
  return null
}

/** True when `cidr` (already normalised) is an IPv6 network. */
export const isCidrIpv6 = (cidr: string): boolean => cidr.includes(':')

function decimalPrefix(s: string, max: number): number | null {
  if (!/^\d{1,3}$/.test(s)) return null
  const n = Number(s)
  return n <= max ? n : null
}

function ipv4Prefix(s: string): number | null {
  if (!s.includes('.')) return decimalPrefix(s, 32)
  if (!isIPv4(s)) return null
  const mask = ipv4ToBigInt(s)
  for (let p = 0; p <= 32; p++) if (maskOf(p, 32) === mask) return p
  return null
}

const maskOf = (prefix: number, width: number): bigint =>
  prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(width - prefix)

const ipv4ToBigInt = (ip: string): bigint => ip.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n)

const bigIntToIpv4 = (n: bigint): string =>
  [24n, 16n, 8n, 0n].map(s => String((n >> s) & 255n)).join('.')

function ipv6ToBigInt(ip: string): bigint {
  let text = ip
  const tail = text.match(/(\d+\.\d+\.\d+\.\d+)$/)
  if (tail) {
    const v4 = ipv4ToBigInt(tail[1])
    text = text.slice(0, -tail[1].length) + `${((v4 >> 16n) & 0xffffn).toString(16)}:${(v4 & 0xffffn).toString(16)}`
  }
  const [head, rest] = text.split('::')
  const left = head === '' ? [] : head.split(':')
  const right = rest === undefined || rest === '' ? [] : rest.split(':')
  const groups = rest === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n)
}

/** RFC 5952 text form, as Python prints it. */
function bigIntToIpv6(n: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt((7 - i) * 16)) & 0xffffn))
  let best = -1
  let bestLen = 1
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLen) { best = i; bestLen = j - i }
    i = j
  }
  const hex = groups.map(g => g.toString(16))
  if (best < 0) return hex.join(':')
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`
}
