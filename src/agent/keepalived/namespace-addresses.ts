/**
 * The addresses keepalived works with, as the amphora's namespace has them
 * (`ip -n <netns> -j address show`): which interface carries the VRRP
 * address, which VIPs are present, and removing VIPs a dead keepalived left.
 */
import { HostCommandError, type IpCommand } from '../../common/linux/ip-command.js'
import type { IpAddrLink } from '../../common/linux/ip-json.js'
import { normalizeIp } from '../../common/net/ip-address.js'

/** Addresses compare by canonical text, whatever their prefix length. */
const canonical = (address: string): string => normalizeIp(address.split('/')[0] ?? '') ?? address

/** Every link of the namespace with its addresses; [] when the namespace is gone. */
export async function namespaceLinks(ip: IpCommand, netns: string): Promise<IpAddrLink[]> {
  try {
    return await ip.ipJson<IpAddrLink>(['address', 'show'], { netns })
  } catch (err) {
    if (err instanceof HostCommandError && err.missing) return []
    throw err
  }
}

/** The interface carrying `address` in the namespace, or null. */
export async function interfaceCarrying(ip: IpCommand, netns: string, address: string): Promise<string | null> {
  const want = canonical(address)
  const link = (await namespaceLinks(ip, netns)).find((l) => (l.addr_info ?? []).some((a) => canonical(a.local) === want))
  return link?.ifname ?? null
}

/** Which of `addresses` (with or without prefix) are on `ifname` now. */
export async function presentOn(ip: IpCommand, netns: string, ifname: string, addresses: readonly string[]): Promise<string[]> {
  const link = (await namespaceLinks(ip, netns)).find((l) => l.ifname === ifname)
  const have = new Set((link?.addr_info ?? []).map((a) => canonical(a.local)))
  return addresses.filter((a) => have.has(canonical(a)))
}

/**
 * Removes `addresses` from whichever interface of the namespace has them
 * (with the prefix length found there). Idempotent: a missing address or
 * namespace is fine. Returns what was removed.
 */
export async function removeAddresses(ip: IpCommand, netns: string, addresses: readonly string[]): Promise<string[]> {
  const wanted = new Set(addresses.map(canonical))
  const removed: string[] = []
  for (const link of await namespaceLinks(ip, netns)) {
    for (const a of link.addr_info ?? []) {
      if (!wanted.has(canonical(a.local))) continue
      await ip.ip(['address', 'del', `${a.local}/${a.prefixlen}`, 'dev', link.ifname], { netns }).catch((err: unknown) => {
        if (!(err instanceof HostCommandError && (err.missing || /Cannot assign requested address/i.test(err.stderr)))) throw err
      })
      removed.push(`${a.local}/${a.prefixlen}`)
    }
  }
  return removed
}
