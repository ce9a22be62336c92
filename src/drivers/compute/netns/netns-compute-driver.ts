import { access, readdir, stat } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from '../../../common/logging.js'
import { HostCommandError, type IpCommand } from '../../../common/linux/ip-command.js'
import { globalAddresses, type IpAddrLink, type IpLink } from '../../../common/linux/ip-json.js'
import { amphoraOfNamespace, namespaceAlias, namespaceName, parseAlias } from '../../../common/linux/names.js'
import type { AmphoraComputeSpec, ComputeDriver, ComputeInstance, HostInstance } from '../compute-driver.js'

/** Where `ip netns add` mounts namespaces. */
export const NETNS_RUN_DIR = '/run/netns'

/** Set to 1 in every amphora namespace: bind VIPs not (yet) present (keepalived), keep secondaries when a primary goes. */
const SYSCTLS = [
  'net/ipv4/ip_nonlocal_bind',
  'net/ipv4/conf/all/promote_secondaries',
  'net/ipv4/conf/default/promote_secondaries',
]
const SYSCTLS_V6 = ['net/ipv6/ip_nonlocal_bind']

/**
 * Default age after which a namespace found without our mark is remembered
 * as not ours: build sets the mark right after `ip netns add`, so a
 * namespace older than this without it never gets it (ownedHere then costs
 * no `ip` call).
 */
const UNMARKED_FOR_GOOD_MS = 60_000

export interface NetnsComputeOptions {
  readonly ip: IpCommand
  readonly log: Logger
  /** This deployment's owner mark (ownerKey of the agent's base directory), written on every namespace built. */
  readonly owner: string
  /** See UNMARKED_FOR_GOOD_MS (tests shorten it). */
  readonly unmarkedForGoodMs?: number
  /** How long delete waits for processes in the namespace to exit after SIGTERM before SIGKILL (default 2000 ms). */
  readonly killGraceMs?: number
}

/**
 * netns mode (root): an amphora is a network namespace `amp-<amphora id>`
 * with `lo` up and `ip_nonlocal_bind=1`; its computeId and its `netns` are the
 * namespace name. Interfaces come from the network data plane (veth pairs).
 * The alias of its `lo` names the amphora and this deployment's owner mark
 * (namespaceAlias): the proof, surviving a wiped state directory, that this
 * deployment built it (ownedHere).
 */
export class NetnsComputeDriver implements ComputeDriver {
  readonly name = 'netns'
  readonly #ip: IpCommand
  readonly #log: Logger
  readonly #owner: string
  readonly #graceMs: number
  readonly #unmarkedForGoodMs: number
  #ipv6: boolean | null = null
  /** Namespaces known not to be ours: name → inode and birth time (a namespace made again under that name is looked at again). */
  readonly #notOurs = new Map<string, string>()

  constructor(opts: NetnsComputeOptions) {
    this.#ip = opts.ip
    this.#log = opts.log
    this.#owner = opts.owner
    this.#graceMs = opts.killGraceMs ?? 2000
    this.#unmarkedForGoodMs = opts.unmarkedForGoodMs ?? UNMARKED_FOR_GOOD_MS
  }

  /** Creates (or completes) the namespace. Idempotent. Throws HostCommandError; the caller reverts with delete. */
  async build(spec: AmphoraComputeSpec, signal: AbortSignal): Promise<ComputeInstance> {
    const ns = namespaceName(spec.amphoraId)
    try {
      await this.#ip.ip(['netns', 'add', ns], { signal })
    } catch (err) {
      if (!(err instanceof HostCommandError && err.exists)) throw err
    }
    await this.#ip.ip(['link', 'set', 'dev', 'lo', 'up', 'alias', namespaceAlias(spec.amphoraId, this.#owner)], { netns: ns, signal })
    const files = [...SYSCTLS, ...(await this.#hasIpv6() ? SYSCTLS_V6 : [])].map(f => `/proc/sys/${f}`)
    // NOTE: tee (coreutils) instead of sysctl (procps, not always installed); /proc/sys/net is the namespace's own.
    await this.#ip.inNetns(ns, ['tee', ...files], { input: '1\n', signal })
    this.#log.info({ amphoraId: spec.amphoraId, loadBalancerId: spec.loadBalancerId, netns: ns }, 'amphora namespace built')
    return { computeId: ns, netns: ns }
  }

  /**
   * Stops every process left in the namespace (SIGTERM, then SIGKILL), deletes
   * the host ends of its veth pairs (by our alias) and the namespace, and
   * forgets the host's cached neighbours of its addresses. Idempotent. Throws
   * an Error for a computeId that is not one of our namespaces.
   */
  async delete(computeId: string, signal: AbortSignal): Promise<void> {
    const amphoraId = amphoraOfNamespace(computeId)
    if (amphoraId === null) throw new Error(`'${computeId}' is not an amphora namespace (amp-<id>)`)
    const [present, veths] = await Promise.all([
      this.exists(computeId),
      this.#ip.ipJson<IpLink>(['link', 'show', 'type', 'veth'], { signal }),
    ])
    let addresses: string[] = []
    if (present) {
      const [, links] = await Promise.all([
        this.#stopProcesses(computeId, signal),
        this.#ip.ipJson<IpAddrLink>(['address', 'show'], { netns: computeId, signal }).catch(() => []),
      ])
      addresses = links.flatMap(l => globalAddresses(l)).map(a => a.split('/')[0])
    }
    // NOTE: the veths would also go with the namespace, but asynchronously (kernel cleanup work); deleting
    // them here means nothing of the amphora is left when delete resolves.
    await Promise.all([
      ...veths.filter(v => parseAlias(v.ifalias)?.amphoraId === amphoraId)
        .map(l => this.#ignoreMissing(this.#ip.ip(['link', 'del', 'dev', l.ifname], { signal }))),
      this.#ignoreMissing(this.#ip.ip(['netns', 'del', computeId], { signal })),
    ])
    if (addresses.length) {
      await this.#ip.batch(addresses.map(a => `neigh flush to ${a}`), { signal })
        .catch(err => this.#log.debug({ err }, 'neighbour flush failed'))
    }
    this.#log.info({ amphoraId, netns: computeId }, 'amphora namespace deleted')
  }

  instance(computeId: string): ComputeInstance {
    if (amphoraOfNamespace(computeId) === null) throw new Error(`'${computeId}' is not an amphora namespace (amp-<id>)`)
    return { computeId, netns: computeId }
  }

  async exists(computeId: string): Promise<boolean> {
    if (amphoraOfNamespace(computeId) === null) return false
    return access(`${NETNS_RUN_DIR}/${computeId}`).then(() => true, () => false)
  }

  /** The `amp-<id>` names in /run/netns (one readdir; whoever made them). */
  async hostInstances(): Promise<readonly HostInstance[]> {
    const names = await readdir(NETNS_RUN_DIR).catch(() => [] as string[])
    const present = new Set(names)
    for (const name of this.#notOurs.keys()) if (!present.has(name)) this.#notOurs.delete(name)
    return names.flatMap((computeId) => {
      const amphoraId = amphoraOfNamespace(computeId)
      return amphoraId === null ? [] : [{ computeId, amphoraId }]
    })
  }

  /**
   * The namespace's `lo` carries our alias with this amphora's id and our
   * owner mark (one `ip` call; none for a namespace already known not to be
   * ours, see UNMARKED_FOR_GOOD_MS). False for a missing namespace.
   */
  async ownedHere(computeId: string): Promise<boolean> {
    const amphoraId = amphoraOfNamespace(computeId)
    if (amphoraId === null) return false
    const file = await stat(`${NETNS_RUN_DIR}/${computeId}`).catch(() => null)
    const identity = file === null ? '' : `${file.ino}@${file.ctimeMs}`
    if (file === null || this.#notOurs.get(computeId) === identity) return false
    let owned = false
    try {
      const [lo] = await this.#ip.ipJson<IpLink>(['link', 'show', 'dev', 'lo'], { netns: computeId })
      const mark = parseAlias(lo?.ifalias)
      owned = mark?.amphoraId === amphoraId && mark.owner === this.#owner
    } catch {
      return false
    }
    if (!owned && Date.now() - file.ctimeMs >= this.#unmarkedForGoodMs) this.#notOurs.set(computeId, identity)
    return owned
  }

  /** SIGTERM to every process in the namespace, SIGKILL to those still there after the grace time. */
  async #stopProcesses(ns: string, signal: AbortSignal): Promise<void> {
    const pids = async () => (await this.#ip.ip(['netns', 'pids', ns], { signal })).split(/\s+/).filter(Boolean).map(Number)
    let left = await pids()
    if (left.length === 0) return
    this.#log.warn({ netns: ns, pids: left }, 'stopping processes left in the amphora namespace')
    const send = (sig: NodeJS.Signals) => { for (const pid of left) try { process.kill(pid, sig) } catch { /* gone */ } }
    send('SIGTERM')
    const deadline = Date.now() + this.#graceMs
    while ((left = await pids()).length > 0 && Date.now() < deadline) await sleep(20, undefined, { signal })
    if (left.length === 0) return
    send('SIGKILL')
    for (let i = 0; i < 50 && (left = await pids()).length > 0; i++) await sleep(20, undefined, { signal })
  }

  async #ignoreMissing(p: Promise<unknown>): Promise<void> {
    try {
      await p
    } catch (err) {
      if (!(err instanceof HostCommandError && err.missing)) throw err
    }
  }

  async #hasIpv6(): Promise<boolean> {
    this.#ipv6 ??= await access('/proc/sys/net/ipv6').then(() => true, () => false)
    return this.#ipv6
  }
}
