import type {
  AgentMessage, AmphoraRegistration, AmphoraState, AmphoraStats, ServerStateChange, VrrpSpec, VrrpStatus,
} from '../../../amphora-api/agent-api.js'
import { certificateFileName, type CertificateFile } from '../../../amphora-api/certificate-files.js'
import type { AgentEndpoint, AmphoraDriver, CallOptions, UploadOptions } from '../amphora-driver.js'
import { AgentRequestError } from '../rest/agent-client-errors.js'

/** One load balancer's HAProxy as the noop driver records it (a copy). */
export interface NoopHaproxy {
  /** The configuration uploaded last, or null before the first upload. */
  readonly config: string | null
  /** Whether it would run (started or reloaded, not stopped since). */
  readonly running: boolean
  /** Reloads of a running HAProxy. */
  readonly reloads: number
  /** The changes of each updateServers call, oldest first. */
  readonly runtime: readonly (readonly ServerStateChange[])[]
  /** Names of the TLS files stored for it (never their content), sorted. */
  readonly certificateFiles: readonly string[]
}

/** One amphora's keepalived as the noop driver records it (a copy). */
export interface NoopKeepalived {
  readonly spec: VrrpSpec
  readonly running: boolean
}

interface HaproxyEntry { config: string | null; running: boolean; reloads: number; runtime: ServerStateChange[][]; files: Set<string> }
interface AmphoraEntry { netns: string | null; readonly lbs: Map<string, HaproxyEntry>; keepalived: NoopKeepalived | null }

const OK: AgentMessage = Object.freeze({ message: 'OK' })

/**
 * The noop amphora driver (`[controller_worker] amphora_driver =
 * amphora_noop_driver`): every call answers as the REST agent would, but
 * nothing is started, no file is written and nothing goes over the network.
 * It keeps in memory what an agent would (registrations, uploaded configs,
 * which HAProxy and keepalived would run) so that the flows behave as with
 * a real agent: getConfig returns what was uploaded (runtime member changes
 * work), AgentRequestError 404 for a load balancer without a configuration
 * (and for starting keepalived without one), 409 for runtime changes of an
 * HAProxy that does not run, and vrrpStatus elects a VIP holder among the
 * running keepalived peers. Endpoints and call options are ignored: one
 * instance stands for every agent.
 *
 * An amphora it has not seen (the service restarted and its memory is gone)
 * counts as registered with nothing on it: reads find no configuration and
 * no keepalived, and an upload or a VRRP spec adopts it. Octavia's noop
 * driver keeps no state and refuses nothing, so a restarted service must go
 * on with the amphorae its database records instead of failing their flows.
 */
export class NoopAmphoraDriver implements AmphoraDriver {
  readonly name = 'amphora_noop_driver'
  readonly #amphorae = new Map<string, AmphoraEntry>()

  /** Records the registration; an amphora registered again keeps its load balancers. */
  async registerAmphora(_ep: AgentEndpoint, amphoraId: string, reg: AmphoraRegistration, _o?: CallOptions): Promise<AmphoraState> {
    const entry = this.#amphorae.get(amphoraId) ?? { netns: reg.netns, lbs: new Map(), keepalived: null }
    entry.netns = reg.netns
    this.#amphorae.set(amphoraId, entry)
    return this.#state(amphoraId, entry)
  }

  async getAmphora(_ep: AgentEndpoint, amphoraId: string, _o?: CallOptions): Promise<AmphoraState> {
    return this.#state(amphoraId, this.#amphorae.get(amphoraId) ?? unseen())
  }

  async deleteAmphora(_ep: AgentEndpoint, amphoraId: string, _o?: CallOptions): Promise<void> {
    this.#amphorae.delete(amphoraId)
  }

  /** Stores `config` unchecked (there is no `haproxy -c`); an empty one is refused (400) as the agent does. */
  async uploadConfig(ep: AgentEndpoint, amphoraId: string, lbId: string, config: string, _o?: UploadOptions): Promise<void> {
    if (config.trim() === '') throw requestError(400, 'Invalid request', ep, amphoraId, 'empty configuration')
    const entry = this.#adopt(amphoraId)
    const lb = entry.lbs.get(lbId) ?? newHaproxy()
    lb.config = config
    entry.lbs.set(lbId, lb)
  }

  /** Records the files' names (the content is dropped); a name that does not match its content is refused (400) as the agent does. */
  async uploadCertificates(ep: AgentEndpoint, amphoraId: string, lbId: string, files: readonly CertificateFile[], _o?: CallOptions): Promise<void> {
    const bad = files.findIndex((f) => certificateFileName(f.pem) !== f.name)
    if (bad >= 0) throw requestError(400, 'Invalid request', ep, amphoraId, `files[${bad}]: the name is not the sha-256 of the content`)
    const entry = this.#adopt(amphoraId)
    const lb = entry.lbs.get(lbId) ?? newHaproxy()
    for (const f of files) lb.files.add(f.name)
    entry.lbs.set(lbId, lb)
  }

  async getConfig(ep: AgentEndpoint, amphoraId: string, lbId: string, _o?: CallOptions): Promise<string> {
    const lb = this.#lb(ep, amphoraId, lbId)
    if (lb.config === null) throw this.#lbNotFound(ep, amphoraId, lbId)
    return lb.config
  }

  async action(ep: AgentEndpoint, amphoraId: string, lbId: string, action: 'start' | 'stop' | 'reload', _o?: CallOptions): Promise<AgentMessage> {
    const lb = this.#lb(ep, amphoraId, lbId)
    if (action === 'stop') {
      lb.running = false
    } else {
      if (action === 'reload' && lb.running) lb.reloads += 1
      lb.running = true
    }
    return OK
  }

  async deleteLoadBalancer(_ep: AgentEndpoint, amphoraId: string, lbId: string, _o?: CallOptions): Promise<void> {
    this.#amphorae.get(amphoraId)?.lbs.delete(lbId)
  }

  async updateServers(
    ep: AgentEndpoint, amphoraId: string, lbId: string, changes: readonly ServerStateChange[], _o?: CallOptions,
  ): Promise<AgentMessage> {
    const lb = this.#lb(ep, amphoraId, lbId)
    if (!lb.running) throw requestError(409, `load balancer ${lbId} is not running`, ep, amphoraId)
    lb.runtime.push([...changes])
    return OK
  }

  /** No counters: nothing carries traffic. */
  async stats(_ep: AgentEndpoint, _amphoraId: string, _o?: CallOptions): Promise<AmphoraStats> {
    return { listeners: {}, pools: {} }
  }

  /** Stores the spec (no namespace is needed here); a running keepalived keeps running. */
  async putVrrp(_ep: AgentEndpoint, amphoraId: string, spec: VrrpSpec, _o?: CallOptions): Promise<AgentMessage> {
    const entry = this.#adopt(amphoraId)
    entry.keepalived = Object.freeze({ spec, running: entry.keepalived?.running ?? false })
    return OK
  }

  async vrrpAction(ep: AgentEndpoint, amphoraId: string, action: 'start' | 'stop' | 'reload', _o?: CallOptions): Promise<AgentMessage> {
    const entry = this.#amphorae.get(amphoraId)
    if (entry === undefined || entry.keepalived === null) {
      if (action === 'stop') return OK
      throw requestError(404, `amphora ${amphoraId} has no vrrp configuration`, ep, amphoraId)
    }
    entry.keepalived = Object.freeze({ spec: entry.keepalived.spec, running: action !== 'stop' })
    return OK
  }

  /**
   * `holdsVip`: keepalived runs and no running peer of the same VRRP
   * instance (`groupName`) ranks higher: higher priority, ties broken by
   * `ownIp` (keepalived prefers the higher address; compared as text here).
   * NOTE: `nopreempt` is not modelled: a returning higher-priority peer takes
   * the VIP back at once here (the flows only ask who holds it now).
   */
  async vrrpStatus(_ep: AgentEndpoint, amphoraId: string, _o?: CallOptions): Promise<VrrpStatus> {
    const own = this.#amphorae.get(amphoraId)?.keepalived ?? null
    if (own === null || !own.running) return { running: false, pid: null, holdsVip: false }
    const outranked = [...this.#amphorae.values()].some(({ keepalived: k }) => k !== null && k !== own && k.running &&
      k.spec.groupName === own.spec.groupName && ranksAbove(k.spec, own.spec))
    return { running: true, pid: null, holdsVip: !outranked }
  }

  /** Whether `amphoraId` is registered (tests, diagnostics). */
  registered(amphoraId: string): boolean {
    return this.#amphorae.has(amphoraId)
  }

  /** The registered amphorae's ids (tests, diagnostics). */
  amphoraIds(): readonly string[] {
    return [...this.#amphorae.keys()]
  }

  /** A copy of the HAProxy of `lbId` on `amphoraId`, or undefined when the amphora has none. */
  haproxy(amphoraId: string, lbId: string): NoopHaproxy | undefined {
    const lb = this.#amphorae.get(amphoraId)?.lbs.get(lbId)
    return lb && { config: lb.config, running: lb.running, reloads: lb.reloads, runtime: lb.runtime.map(c => [...c]), certificateFiles: [...lb.files].sort() }
  }

  /** The keepalived of `amphoraId` (spec put last and whether it runs), or undefined without a spec. */
  keepalived(amphoraId: string): NoopKeepalived | undefined {
    return this.#amphorae.get(amphoraId)?.keepalived ?? undefined
  }

  /** The amphora's entry; one not seen yet is registered now (see the class comment). */
  #adopt(amphoraId: string): AmphoraEntry {
    const entry = this.#amphorae.get(amphoraId) ?? unseen()
    this.#amphorae.set(amphoraId, entry)
    return entry
  }

  #lb(ep: AgentEndpoint, amphoraId: string, lbId: string): HaproxyEntry {
    const lb = this.#amphorae.get(amphoraId)?.lbs.get(lbId)
    if (lb === undefined) throw this.#lbNotFound(ep, amphoraId, lbId)
    return lb
  }

  #lbNotFound(ep: AgentEndpoint, amphoraId: string, lbId: string): AgentRequestError {
    return requestError(404, `load balancer ${lbId} has no configuration on this amphora`, ep, amphoraId)
  }

  #state(amphoraId: string, entry: AmphoraEntry): AmphoraState {
    return {
      id: amphoraId, netns: entry.netns,
      loadbalancers: [...entry.lbs].map(([id, lb]) => ({ id, running: lb.running, pid: null })),
    }
  }
}

/** A load balancer's HAProxy before anything was uploaded. */
function newHaproxy(): HaproxyEntry {
  return { config: null, running: false, reloads: 0, runtime: [], files: new Set() }
}

/** An amphora not seen yet: in the host namespace, nothing on it. */
const unseen = (): AmphoraEntry => ({ netns: null, lbs: new Map(), keepalived: null })

/** An agent-like error answer; the URL names the endpoint with a `noop:` scheme (nothing was requested). */
function requestError(status: number, message: string, ep: AgentEndpoint, amphoraId: string, details?: string): AgentRequestError {
  return new AgentRequestError(status, message, details, `noop://${ep.host}/amphorae/${encodeURIComponent(amphoraId)}`)
}

/** Whether keepalived `a` wins an election against `b` (priority, then `ownIp` as text). */
function ranksAbove(a: VrrpSpec, b: VrrpSpec): boolean {
  return a.priority !== b.priority ? a.priority > b.priority : a.ownIp > b.ownIp
}
