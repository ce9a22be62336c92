import type { Logger } from '../../../common/logging.js'
import type { DeclaredNetwork, DeclaredSubnet } from '../declared-networks.js'
import { formatIp } from '../../../common/net/ip-address.js'
import { macAddressOf } from '../../../common/net/stable-id.js'
import { HostCommandError, type IpCommand } from '../../../common/linux/ip-command.js'
import { globalAddresses, type IpAddrLink, type IpLink } from '../../../common/linux/ip-json.js'
import { bridgeAlias, parseAlias } from '../../../common/linux/names.js'

/** The host address of a subnet on its bridge (`gateway/prefix`), or null when the subnet has no gateway. */
export const gatewayWithPrefix = (s: DeclaredSubnet): string | null =>
  s.gateway === null ? null : `${formatIp({ version: s.range.version, value: s.gateway })}/${s.range.prefix}`

/**
 * Linux bridges backing declared networks on the host (netns mode). A bridge
 * we create carries our alias and a MAC derived from the network id; an
 * existing bridge of the same name (e.g. the operator's) is used as it is,
 * only gaining the gateway addresses.
 */
export class HostBridges {
  readonly #ip: IpCommand
  readonly #log: Logger
  /** In-flight ensure() per bridge, so concurrent plugs create it once. */
  readonly #pending = new Map<string, Promise<void>>()
  /** Bridges this process has seen complete (plugs skip the check; a failed plug calls forget()). */
  readonly #ready = new Set<string>()

  constructor(ip: IpCommand, log: Logger) {
    this.#ip = ip
    this.#log = log
  }

  /**
   * Makes sure the network's bridge exists, is up and carries the gateway of
   * each of its subnets. Idempotent and safe to call concurrently. With
   * `cached`, a bridge this process completed before is not looked at again.
   * Throws HostCommandError, or an Error when a non-bridge link has the name.
   */
  ensure(network: DeclaredNetwork, subnets: readonly DeclaredSubnet[], opts: { signal?: AbortSignal; cached?: boolean } = {}): Promise<void> {
    if (opts.cached && this.#ready.has(network.bridge)) return Promise.resolve()
    const running = this.#pending.get(network.bridge)
    if (running) return running
    const p = this.#ensure(network, subnets, opts.signal)
      .then(() => { this.#ready.add(network.bridge) })
      .finally(() => this.#pending.delete(network.bridge))
    this.#pending.set(network.bridge, p)
    return p
  }

  /** Forgets that a bridge was complete (it vanished under us); the next ensure() checks it again. */
  forget(name: string): void {
    this.#ready.delete(name)
  }

  async #ensure(network: DeclaredNetwork, subnets: readonly DeclaredSubnet[], signal?: AbortSignal): Promise<void> {
    const name = network.bridge
    let link = await this.#show(name, signal)
    if (!link) {
      try {
        await this.#ip.ip(['link', 'add', 'name', name, 'address', macAddressOf(network.id), 'type', 'bridge'], { signal })
        await this.#ip.ip(['link', 'set', 'dev', name, 'alias', bridgeAlias(network.id)], { signal })
        this.#log.info({ bridge: name, networkId: network.id }, 'bridge created')
      } catch (err) {
        if (!(err instanceof HostCommandError && err.exists)) throw err
      }
      link = await this.#show(name, signal)
      if (!link) throw new Error(`bridge ${name} vanished while it was being created`)
    }
    if (link.linkinfo?.info_kind !== 'bridge') {
      throw new Error(`link ${name} exists and is not a bridge (${link.linkinfo?.info_kind ?? link.link_type ?? 'unknown'}); set another [network:…] bridge`)
    }
    const have = new Set(globalAddresses(link))
    const lines: string[] = []
    for (const s of subnets) {
      const gw = gatewayWithPrefix(s)
      if (gw && !have.has(gw)) lines.push(`address add ${gw} dev ${name}${s.ipVersion === 6 ? ' nodad' : ''}`)
    }
    if (!link.flags?.includes('UP')) lines.push(`link set dev ${name} up`)
    if (lines.length > 0) await this.#ip.batch(lines, { signal })
  }

  /**
   * Deletes the bridges among `names` that we created (our alias) and that no
   * link is enslaved to. Returns their names. Bridges of other owners are
   * never touched.
   */
  async removeUnused(names: ReadonlySet<string>, signal?: AbortSignal): Promise<string[]> {
    const links = await this.#ip.ipJson<IpLink>(['-d', 'link', 'show'], { signal })
    const used = new Set(links.map(l => l.master).filter((m): m is string => Boolean(m)))
    const removed: string[] = []
    for (const l of links) {
      if (!names.has(l.ifname) || l.linkinfo?.info_kind !== 'bridge' || used.has(l.ifname)) continue
      const alias = parseAlias(l.ifalias)
      if (!alias?.networkId || alias.amphoraId) continue
      try {
        this.#ready.delete(l.ifname)
        await this.#ip.ip(['link', 'del', 'dev', l.ifname], { signal })
        removed.push(l.ifname)
      } catch (err) {
        if (!(err instanceof HostCommandError && err.missing)) throw err
      }
    }
    if (removed.length) this.#log.info({ bridges: removed }, 'unused bridges removed')
    return removed
  }

  async #show(name: string, signal?: AbortSignal): Promise<IpAddrLink | null> {
    try {
      const [link] = await this.#ip.ipJson<IpAddrLink>(['-d', 'address', 'show', 'dev', name], { signal })
      return link ?? null
    } catch (err) {
      if (err instanceof HostCommandError && err.missing) return null
      throw err
    }
  }
}
