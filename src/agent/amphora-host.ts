/**
 * Every amphora this agent serves, and their load balancers' HAProxies. The
 * state lives in the base directory (see agent-paths.ts), so a restarted
 * agent finds it again with `recover()`. Operations on one amphora run one at
 * a time; different amphorae proceed in parallel.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import type { AmphoraRegistration, AmphoraState } from '../drivers/amphora/agent-api.js'
import type { Logger } from '../common/logging.js'
import { AgentHttpError, amphoraNotFound, loadBalancerNotFound } from './agent-http-error.js'
import { amphoraDir, loadBalancerPaths, registrationFile, SAFE_ID, socketDir } from './agent-paths.js'
import { KeyedMutex } from './keyed-mutex.js'
import { readConfig } from './lb-config-files.js'
import { LoadBalancerHaproxy, type HaproxySettings } from './lb-haproxy.js'

/** Names `ip netns` accepts and that are safe as one argument. */
const NETNS = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/

interface AmphoraEntry {
  netns: string | null
  readonly lbs: Map<string, LoadBalancerHaproxy>
}

export class AmphoraHost {
  readonly base: string
  readonly settings: HaproxySettings
  readonly #log: Logger
  readonly #amphorae = new Map<string, AmphoraEntry>()
  readonly #mutex = new KeyedMutex()

  constructor(base: string, settings: HaproxySettings, log: Logger) {
    this.base = base
    this.settings = Object.freeze({ ...settings })
    this.#log = log
  }

  /**
   * Loads every registered amphora from the base directory and re-adopts the
   * HAProxies still running (never restarting them). A load balancer whose
   * HAProxy is gone and that was not stopped on purpose (e.g. after a host
   * reboot) is started again; a failure there is logged, not thrown.
   */
  async recover(): Promise<void> {
    await mkdir(socketDir(this.base), { recursive: true, mode: 0o700 })
    for (const ampId of await subdirs(this.base)) {
      if (!SAFE_ID.test(ampId)) continue
      const reg = await readFile(registrationFile(this.base, ampId), 'utf8').then((t) => JSON.parse(t) as AmphoraRegistration, () => null)
      if (reg === null) continue
      const entry: AmphoraEntry = { netns: reg.netns ?? null, lbs: new Map() }
      this.#amphorae.set(ampId, entry)
      for (const lbId of (await subdirs(amphoraDir(this.base, ampId))).filter((d) => SAFE_ID.test(d))) {
        const lb = this.#lb(ampId, entry, lbId)
        if (await lb.adopt() || await lb.stoppedOnPurpose()) continue
        await lb.start().catch((err: Error) => this.#log.warn({ amphoraId: ampId, lbId, err }, 'could not restart haproxy'))
      }
    }
    this.#log.info({ amphorae: this.#amphorae.size }, 'amphorae recovered')
  }

  /**
   * Restarts every HAProxy that was running and died without being stopped
   * (what systemd's Restart= does for Octavia's amphora). A failed restart
   * is logged and tried again at the next call.
   */
  async supervise(): Promise<void> {
    for (const [ampId, entry] of [...this.#amphorae]) {
      await this.#mutex.run(ampId, async () => {
        for (const lb of entry.lbs.values()) {
          if (!lb.shouldRun || await lb.running() || await lb.stoppedOnPurpose()) continue
          this.#log.warn({ amphoraId: ampId, lbId: lb.id }, 'haproxy died; restarting it')
          await lb.start().catch((err: Error) => this.#log.error({ amphoraId: ampId, lbId: lb.id, err }, 'could not restart haproxy'))
        }
      })
    }
  }

  /** Registers (or updates) an amphora; idempotent. Throws 400 for a bad id or netns name. */
  register(ampId: string, reg: AmphoraRegistration): Promise<AmphoraState> {
    checkId('amphora', ampId)
    if (reg.netns !== null && (!NETNS.test(reg.netns) || reg.netns === '.' || reg.netns === '..')) {
      throw new AgentHttpError(400, `invalid network namespace name '${String(reg.netns)}'`)
    }
    return this.#mutex.run(ampId, async () => {
      await mkdir(amphoraDir(this.base, ampId), { recursive: true, mode: 0o700 })
      await writeFile(registrationFile(this.base, ampId), JSON.stringify({ netns: reg.netns }), { mode: 0o600 })
      const entry = this.#amphorae.get(ampId)
      // A changed namespace applies to the HAProxies started from now on.
      if (entry === undefined) this.#amphorae.set(ampId, { netns: reg.netns, lbs: new Map() })
      else if (entry.netns !== reg.netns) {
        entry.netns = reg.netns
        for (const lb of entry.lbs.values()) lb.useNetns(reg.netns)
      }
      return this.#state(ampId)
    })
  }

  /** The amphora's registration and load balancers; 404 when unknown. */
  state(ampId: string): Promise<AmphoraState> {
    return this.#mutex.run(ampId, () => this.#state(ampId))
  }

  /** Stops every HAProxy of the amphora and removes its files. Idempotent. */
  unregister(ampId: string): Promise<void> {
    checkId('amphora', ampId)
    return this.#mutex.run(ampId, async () => {
      const entry = this.#amphorae.get(ampId)
      for (const lb of entry?.lbs.values() ?? []) await lb.remove()
      this.#amphorae.delete(ampId)
      await rm(amphoraDir(this.base, ampId), { recursive: true, force: true })
      this.#log.info({ amphoraId: ampId }, 'amphora removed')
    })
  }

  /**
   * Runs `fn` on a load balancer of a registered amphora, serialised with the
   * amphora's other operations. `create` makes the load balancer known when
   * it is not yet (upload; forgotten again if `fn` fails before a config
   * exists); otherwise an unknown one is a 404.
   */
  withLoadBalancer<T>(ampId: string, lbId: string, create: boolean, fn: (lb: LoadBalancerHaproxy) => Promise<T>): Promise<T> {
    checkId('amphora', ampId)
    checkId('load balancer', lbId)
    return this.#mutex.run(ampId, async () => {
      const entry = this.#amphorae.get(ampId)
      if (entry === undefined) throw amphoraNotFound(ampId)
      const known = entry.lbs.get(lbId)
      if (known !== undefined) return fn(known)
      if (!create) throw loadBalancerNotFound(lbId)
      const lb = this.#lb(ampId, entry, lbId)
      try {
        return await fn(lb)
      } catch (err) {
        if ((await readConfig(lb.paths)) === null) {
          entry.lbs.delete(lbId)
          await rm(lb.paths.dir, { recursive: true, force: true })
        }
        throw err
      }
    })
  }

  /** Stops and forgets a load balancer; idempotent (an unknown load balancer or amphora is fine). */
  removeLoadBalancer(ampId: string, lbId: string): Promise<void> {
    checkId('amphora', ampId)
    checkId('load balancer', lbId)
    return this.#mutex.run(ampId, async () => {
      const entry = this.#amphorae.get(ampId)
      if (entry === undefined) return
      const lb = entry.lbs.get(lbId) ?? this.#lb(ampId, entry, lbId)
      await lb.remove()
      entry.lbs.delete(lbId)
    })
  }

  /** The running load balancers of an amphora (for statistics); 404 when unknown. */
  runningLoadBalancers(ampId: string): Promise<LoadBalancerHaproxy[]> {
    checkId('amphora', ampId)
    return this.#mutex.run(ampId, async () => {
      const entry = this.#amphorae.get(ampId)
      if (entry === undefined) throw amphoraNotFound(ampId)
      const out: LoadBalancerHaproxy[] = []
      for (const lb of entry.lbs.values()) if (await lb.running()) out.push(lb)
      return out
    })
  }

  async #state(ampId: string): Promise<AmphoraState> {
    const entry = this.#amphorae.get(ampId)
    if (entry === undefined) throw amphoraNotFound(ampId)
    const loadbalancers = []
    for (const lb of [...entry.lbs.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const running = await lb.running()
      loadbalancers.push({ id: lb.id, running, pid: running ? lb.pid : null })
    }
    return { id: ampId, netns: entry.netns, loadbalancers }
  }

  #lb(ampId: string, entry: AmphoraEntry, lbId: string): LoadBalancerHaproxy {
    const lb = new LoadBalancerHaproxy(lbId, loadBalancerPaths(this.base, ampId, lbId), entry.netns, this.settings,
      this.#log.child({ amphoraId: ampId }))
    entry.lbs.set(lbId, lb)
    return lb
  }
}

function checkId(what: string, id: string): void {
  if (!SAFE_ID.test(id)) throw new AgentHttpError(400, `invalid ${what} id '${id}'`)
}

async function subdirs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
}
