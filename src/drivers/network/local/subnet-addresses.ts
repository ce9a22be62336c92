import type { DeclaredSubnet } from '../declared-networks.js'
import { cidrContains, formatIp, parseIp } from '../../../common/net/ip-address.js'

/**
 * Address arithmetic of one declared subnet (pure): which addresses may be
 * handed out, the first free one, how many are free.
 */

/** The `[networking] reserved_ips` of this subnet's family, as integers. */
export function reservedOf(subnet: DeclaredSubnet, reservedIps: readonly string[]): Set<bigint> {
  const out = new Set<bigint>()
  for (const text of reservedIps) {
    const ip = parseIp(text.trim())
    if (ip && ip.version === subnet.ipVersion) out.add(ip.value)
  }
  return out
}

/**
 * True when the address may be given to a port on this subnet at all: inside
 * the CIDR, not the network address (IPv4: nor broadcast; IPv6: the
 * subnet-router anycast), not the gateway. Addresses outside the allocation
 * pools are allowed when asked for explicitly, as Neutron allows them.
 */
export function isAssignable(subnet: DeclaredSubnet, value: bigint): boolean {
  const r = subnet.range
  if (!cidrContains(r, { version: subnet.ipVersion, value })) return false
  if (value === subnet.gateway) return false
  const tiny = r.version === 4 && r.prefix >= 31
  if (tiny) return true
  if (value === r.network) return false
  return !(r.version === 4 && value === r.last)
}

/**
 * The lowest address of the allocation pools that is assignable, not
 * reserved and not in `used` (canonical texts); null when none.
 */
export function firstFree(subnet: DeclaredSubnet, used: ReadonlySet<string>, reserved: ReadonlySet<bigint>): string | null {
  for (const pool of subnet.pools) {
    for (let v = pool.start; v <= pool.end; v++) {
      if (reserved.has(v) || !isAssignable(subnet, v)) continue
      const text = formatIp({ version: subnet.ipVersion, value: v })
      if (!used.has(text)) return text
    }
  }
  return null
}

/** How many addresses automatic allocation could still hand out (capped at `cap`, for huge IPv6 pools). */
export function freeCount(subnet: DeclaredSubnet, used: ReadonlySet<string>, reserved: ReadonlySet<bigint>, cap = 1n << 32n): bigint {
  let total = 0n
  const excluded = new Set<bigint>(reserved)
  for (const text of used) {
    const ip = parseIp(text)
    if (ip && ip.version === subnet.ipVersion) excluded.add(ip.value)
  }
  for (const special of [subnet.gateway, subnet.range.network, subnet.range.last]) {
    if (special !== null && !isAssignable(subnet, special)) excluded.add(special)
  }
  for (const pool of subnet.pools) total += pool.end - pool.start + 1n
  for (const v of excluded) if (subnet.pools.some(p => v >= p.start && v <= p.end)) total--
  return total > cap ? cap : total
}
