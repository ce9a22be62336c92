/**
 * Every amphora this agent serves, and their load balancers' HAProxies. The
 * state lives in the base directory (see agent-paths.ts), so a restarted
 * agent finds it again with `recover()`. Operations on one amphora run one at
 * a time; different amphorae proceed in parallel.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import type { AmphoraRegistration, AmphoraState } from '../amphora-api/agent-api.js'
import type { Logger } from '../common/logging.js'
import { AgentHttpError, amphoraNotFound, loadBalancerNotFound } from './agent-http-error.js'
import { keepalivedDied, markFailed, namespaceVanished, type AmphoraEntry, type FailureContext } from './amphora-failure.js'
import { readFailure } from './amphora-failure-file.js'
import { amphoraDir, keepalivedPaths, loadBalancerPaths, registrationFile, SAFE_ID, socketDir } from '../amphora-api/agent-paths.js'
import { KeyedMutex } from './keyed-mutex.js'
import { readConfig } from './lb-config-files.js'
import type { HeartbeatTarget } from './heartbeat/heartbeat-sender.js'
import { LoadBalancerHaproxy, type HaproxySettings } from './lb-haproxy.js'
import { netnsPresent } from './netns-presence.js'
import { IpCommand } from '../common/linux/ip-command.js'
import { AmphoraKeepalived, type KeepalivedSettings } from './keepalived/amphora-keepalived.js'
import { endUnregisteredProcesses } from './amphora-processes.js'
import { checkId, subdirs } from './amphora-dirs.js'

/** Names `ip netns` accepts and that are safe as one argument. */
const NETNS = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/

export class AmphoraHost {
  readonly base: string
  readonly settings: HaproxySettings
  readonly #log: Logger
  readonly #amphorae = new Map<string, AmphoraEntry>()
  readonly #mutex = new KeyedMutex()
  readonly #keepalivedSettings: KeepalivedSettings
  readonly #ip: IpCommand
  /** Where failures are recorded and logged (amphora-failure.ts). */
  readonly #failures: FailureContext
  /** Set by stopWatching(): a stopped agent no longer reacts to a keepalived exiting. */
  #watching = true

  constructor(base: string, settings: HaproxySettings, keepalived: KeepalivedSettings, log: Logger) {
    this.base = base
    this.settings = Object.freeze({ ...settings })
    this.#keepalivedSettings = Object.freeze({ ...keepalived })
    this.#ip = new IpCommand(log)
    this.#log = log
    this.#failures = { base, log }
  }

  /**
   * Loads every registered amphora from the base directory and re-adopts the
   * HAProxies still running (never restarting them). A load balancer whose
   * HAProxy is gone and that was not stopped on purpose (e.g. after a host
   * reboot) is started again; a failure there is logged, not thrown. An
   * amphora whose namespace is gone has its HAProxies adopted but none
   * started: supervise() reports it failed and stops them.
   *
   * NOTE: a HAProxy found dead here does not mark its amphora failed: the
   * agent cannot tell a crash from a host reboot, and the restart brings the
   * whole amphora back; supervise() reports the deaths it sees.
   */
  async recover(): Promise<void> {
    await mkdir(socketDir(this.base), { recursive: true, mode: 0o700 })
    for (const ampId of await subdirs(this.base)) {
      if (!SAFE_ID.test(ampId)) continue
      const reg = await readFile(registrationFile(this.base, ampId), 'utf8').then((t) => JSON.parse(t) as AmphoraRegistration, () => null)
      if (reg === null) continue
      const netns = reg.netns ?? null
      const entry: AmphoraEntry = { netns, lbs: new Map(), failed: await readFailure(this.base, ampId), halted: false, keepalived: this.#keepalived(ampId, netns) }
      this.#amphorae.set(ampId, entry)
      const netnsGone = entry.netns !== null && !(await netnsPresent(entry.netns))
      for (const lbId of (await subdirs(amphoraDir(this.base, ampId))).filter((d) => SAFE_ID.test(d))) {
        const lb = this.#lb(ampId, entry, lbId)
        if (await lb.adopt() || netnsGone || await lb.stoppedOnPurpose()) continue
        await lb.start().catch((err: Error) => this.#log.warn({ amphoraId: ampId, lbId, err }, 'could not restart haproxy'))
      }
      // a keepalived that died while the agent was away may have left the VIP behind (a vanished namespace is supervise()'s)
      if (await entry.keepalived.adopt() === 'died' && !netnsGone) {
        await keepalivedDied(this.#failures, ampId, entry).catch((err: Error) => this.#log.error({ amphoraId: ampId, err }, 'could not tear the amphora down'))
      }
    }
    this.#log.info({ amphorae: this.#amphorae.size }, 'amphorae recovered')
  }

  /**
   * The watchdog's pass over every amphora:
   * - a HAProxy that was running and died without being stopped is
   *   restarted at once (what systemd's Restart= does for Octavia's
   *   amphora), so traffic comes back, and the amphora is marked failed, so
   *   the health manager replaces it; a failed restart is logged and tried
   *   again at the next call;
   * - an amphora whose network namespace vanished (`ip netns delete`) is
   *   marked failed and every process of it stopped (stopProcesses):
   *   in a detached namespace they would keep serving unmanaged. Its
   *   registration stays, so the failure is reported until the controller
   *   deletes it.
   */
  async supervise(): Promise<void> {
    for (const [ampId, entry] of [...this.#amphorae]) {
      await this.#mutex.run(ampId, async () => {
        if (this.#amphorae.get(ampId) !== entry) return
        if (entry.netns !== null && !(await netnsPresent(entry.netns))) {
          await namespaceVanished(this.#failures, ampId, entry, entry.netns)
          return
        }
        if (await entry.keepalived.died()) {
          await keepalivedDied(this.#failures, ampId, entry)
          return
        }
        for (const lb of entry.lbs.values()) {
          if (!lb.shouldRun || await lb.running() || await lb.stoppedOnPurpose()) continue
          this.#log.warn({ amphoraId: ampId, lbId: lb.id }, 'haproxy died; restarting it')
          await markFailed(this.#failures, ampId, entry, `haproxy of load balancer ${lb.id} died`)
          await lb.start().catch((err: Error) => this.#log.error({ amphoraId: ampId, lbId: lb.id, err }, 'could not restart haproxy'))
        }
      })
    }
  }

  /**
   * Marks a registered amphora failed: its heartbeats carry `failed: reason`
   * from now on, after an agent restart too (saved in its directory), until
   * it is unregistered. Idempotent, the first reason stays; an unknown
   * amphora is ignored. Takes no lock, so the amphora's own operations (the
   * watchdog, keepalived's supervision) may call it.
   */
  async markFailed(ampId: string, reason: string): Promise<void> {
    const entry = this.#amphorae.get(ampId)
    if (entry !== undefined) await markFailed(this.#failures, ampId, entry, reason)
  }

  /** The amphora's failure reason, or null (also for an unknown amphora). */
  failure(ampId: string): string | null {
    return this.#amphorae.get(ampId)?.failed ?? null
  }

  /** Every amphora for the heartbeat sender: its failure and the stats sockets of the HAProxies it believes running. No I/O, no lock. */
  heartbeatTargets(): HeartbeatTarget[] {
    return [...this.#amphorae].map(([id, e]) => ({
      id, failed: e.failed,
      sources: [...e.lbs.values()].filter((lb) => lb.pid !== null).map((lb) => ({ lbId: lb.id, statsSocket: lb.paths.statsSocket })),
    }))
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
      if (entry === undefined) {
        this.#amphorae.set(ampId, { netns: reg.netns, lbs: new Map(), failed: null, halted: false, keepalived: this.#keepalived(ampId, reg.netns) })
      } else if (entry.netns !== reg.netns) {
        entry.netns = reg.netns
        for (const lb of entry.lbs.values()) lb.useNetns(reg.netns)
        entry.keepalived.useNetns(reg.netns)
      }
      return this.#state(ampId)
    })
  }

  /** The amphora's registration and load balancers; 404 when unknown. */
  state(ampId: string): Promise<AmphoraState> {
    return this.#mutex.run(ampId, () => this.#state(ampId))
  }

  /** Ids of the registered amphorae, sorted. No I/O. */
  registeredIds(): string[] {
    return [...this.#amphorae.keys()].sort()
  }

  /**
   * Stops the amphora's keepalived (handing the VIP over to the peer, then
   * removing any VIP left on the interface) and every HAProxy, and removes
   * its files. For an amphora that is not registered, the processes still
   * carrying its paths under the base directory (amphora-processes.ts: an
   * earlier agent's, whose registration is gone) are ended. Idempotent.
   */
  unregister(ampId: string): Promise<void> {
    checkId('amphora', ampId)
    return this.#mutex.run(ampId, async () => {
      const entry = this.#amphorae.get(ampId)
      await entry?.keepalived.stop()
      for (const lb of entry?.lbs.values() ?? []) await lb.remove()
      if (entry === undefined) await endUnregisteredProcesses(this.base, ampId, this.#log)
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

  /**
   * Called when the agent stops: keepalived processes it started no longer
   * report their exit here (the next agent finds a dead one in recover() or
   * supervise()). The processes themselves keep running.
   */
  stopWatching(): void {
    this.#watching = false
  }

  /** Runs `fn` on the keepalived of a registered amphora, serialised with the amphora's other operations; 404 when unknown. */
  withKeepalived<T>(ampId: string, fn: (keepalived: AmphoraKeepalived) => Promise<T>): Promise<T> {
    checkId('amphora', ampId)
    return this.#mutex.run(ampId, async () => {
      const entry = this.#amphorae.get(ampId)
      if (entry === undefined) throw amphoraNotFound(ampId)
      return fn(entry.keepalived)
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

  #keepalived(ampId: string, netns: string | null): AmphoraKeepalived {
    const onExit = (): void => {
      if (!this.#watching) return
      void this.#mutex.run(ampId, async () => {
        const entry = this.#amphorae.get(ampId)
        if (entry !== undefined && await entry.keepalived.died()) await keepalivedDied(this.#failures, ampId, entry)
      }).catch((err: unknown) => this.#log.error({ amphoraId: ampId, err }, 'could not tear the amphora down'))
    }
    return new AmphoraKeepalived(ampId, keepalivedPaths(this.base, ampId), netns, this.#keepalivedSettings, this.#ip, this.#log, onExit)
  }

  #lb(ampId: string, entry: AmphoraEntry, lbId: string): LoadBalancerHaproxy {
    const lb = new LoadBalancerHaproxy(lbId, loadBalancerPaths(this.base, ampId, lbId), entry.netns, this.settings,
      this.#log.child({ amphoraId: ampId }))
    entry.lbs.set(lbId, lb)
    return lb
  }
}
