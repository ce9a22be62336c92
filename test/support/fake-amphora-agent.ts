import type { AmphoraStats, ServerStateChange, VrrpSpec } from '../../src/amphora-api/agent-api.js'
import { AgentRequestError } from '../../src/drivers/amphora/rest/agent-client-errors.js'
import type { AmphoraAgent } from '../../src/drivers/amphora-flow-deps.js'

/** One load balancer's HAProxy as the fake agent keeps it. */
export interface FakeHaproxy {
  config: string | null
  running: boolean
  reloads: number
  runtime: ServerStateChange[][]
}

/**
 * An in-memory amphora agent with the AgentClient's behaviour (404 for
 * unknown amphorae and load balancers, idempotent deletes) for flow tests:
 * records every call, can fail a method on demand, answers `stats` with
 * what the test sets.
 */
export class FakeAmphoraAgent implements AmphoraAgent {
  readonly amphorae = new Map<string, { netns: string | null; lbs: Map<string, FakeHaproxy> }>()
  readonly calls: string[] = []
  /** Method name → error to throw on its next calls (until deleted). */
  readonly failures = new Map<string, Error>()
  /** Stats answered per amphora. */
  readonly statsOf = new Map<string, AmphoraStats>()

  #call(name: string, detail: string): void {
    this.calls.push(`${name} ${detail}`)
    const err = this.failures.get(name)
    if (err) throw err
  }

  #notFound(what: string): AgentRequestError {
    return new AgentRequestError(404, `${what} not found`, undefined, 'https://fake-agent/')
  }

  #lb(amp: string, lb: string, create = false): FakeHaproxy {
    const a = this.amphorae.get(amp)
    if (!a) throw this.#notFound(`amphora ${amp}`)
    let h = a.lbs.get(lb)
    if (!h && create) a.lbs.set(lb, h = { config: null, running: false, reloads: 0, runtime: [] })
    if (!h) throw this.#notFound(`load balancer ${lb}`)
    return h
  }

  /** The HAProxy of `lb` on `amp`, or undefined. */
  haproxy(amp: string, lb: string): FakeHaproxy | undefined {
    return this.amphorae.get(amp)?.lbs.get(lb)
  }

  registerAmphora: AmphoraAgent['registerAmphora'] = async (_ep, amp, reg) => {
    this.#call('registerAmphora', amp)
    const a = this.amphorae.get(amp) ?? { netns: reg.netns, lbs: new Map() }
    a.netns = reg.netns
    this.amphorae.set(amp, a)
    return { id: amp, netns: reg.netns, loadbalancers: [...a.lbs].map(([id, h]) => ({ id, running: h.running, pid: null })) }
  }

  getAmphora: AmphoraAgent['getAmphora'] = async (_ep, amp) => {
    this.#call('getAmphora', amp)
    const a = this.amphorae.get(amp)
    if (!a) throw this.#notFound(`amphora ${amp}`)
    return { id: amp, netns: a.netns, loadbalancers: [...a.lbs].map(([id, h]) => ({ id, running: h.running, pid: null })) }
  }

  deleteAmphora: AmphoraAgent['deleteAmphora'] = async (_ep, amp) => {
    this.#call('deleteAmphora', amp)
    this.amphorae.delete(amp)
    this.vrrp.delete(amp)
  }

  uploadConfig: AmphoraAgent['uploadConfig'] = async (_ep, amp, lb, config) => {
    this.#call('uploadConfig', `${amp} ${lb}`)
    this.#lb(amp, lb, true).config = config
  }

  getConfig: AmphoraAgent['getConfig'] = async (_ep, amp, lb) => {
    this.#call('getConfig', `${amp} ${lb}`)
    const h = this.#lb(amp, lb)
    if (h.config === null) throw this.#notFound('configuration')
    return h.config
  }

  action: AmphoraAgent['action'] = async (_ep, amp, lb, action) => {
    this.#call('action', `${amp} ${lb} ${action}`)
    const h = this.#lb(amp, lb)
    if (action === 'stop') h.running = false
    else {
      if (action === 'reload' && h.running) h.reloads += 1
      h.running = true
    }
    return { message: 'OK' }
  }

  deleteLoadBalancer: AmphoraAgent['deleteLoadBalancer'] = async (_ep, amp, lb) => {
    this.#call('deleteLoadBalancer', `${amp} ${lb}`)
    const a = this.amphorae.get(amp)
    if (!a) throw this.#notFound(`amphora ${amp}`)
    a.lbs.delete(lb)
  }

  updateServers: AmphoraAgent['updateServers'] = async (_ep, amp, lb, changes) => {
    this.#call('updateServers', `${amp} ${lb}`)
    const h = this.#lb(amp, lb)
    if (!h.running) throw new AgentRequestError(409, `load balancer ${lb} is not running`, undefined, 'https://fake-agent/')
    h.runtime.push([...changes])
    return { message: 'OK' }
  }

  stats: AmphoraAgent['stats'] = async (_ep, amp) => {
    this.#call('stats', amp)
    if (!this.amphorae.has(amp)) throw this.#notFound(`amphora ${amp}`)
    return this.statsOf.get(amp) ?? { listeners: {}, pools: {} }
  }

  /** keepalived per amphora: the last spec put and whether it runs. */
  readonly vrrp = new Map<string, { spec: VrrpSpec; running: boolean }>()

  putVrrp: AmphoraAgent['putVrrp'] = async (_ep, amp, spec) => {
    this.#call('putVrrp', amp)
    if (!this.amphorae.has(amp)) throw this.#notFound(`amphora ${amp}`)
    this.vrrp.set(amp, { spec, running: this.vrrp.get(amp)?.running ?? false })
    return { message: 'OK' }
  }

  vrrpAction: AmphoraAgent['vrrpAction'] = async (_ep, amp, action) => {
    this.#call('vrrpAction', `${amp} ${action}`)
    const v = this.vrrp.get(amp)
    if (!v) throw this.#notFound(`vrrp configuration of amphora ${amp}`)
    v.running = action !== 'stop'
    return { message: 'OK' }
  }

  vrrpStatus: AmphoraAgent['vrrpStatus'] = async (_ep, amp) => {
    this.#call('vrrpStatus', amp)
    if (!this.amphorae.has(amp)) throw this.#notFound(`amphora ${amp}`)
    const v = this.vrrp.get(amp)
    // Every running keepalived counts as holding the VIP: flows never wait on a takeover here.
    return { running: v?.running ?? false, pid: null, holdsVip: v?.running ?? false }
  }
}
