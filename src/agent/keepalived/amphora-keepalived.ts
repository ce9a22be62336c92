/**
 * The keepalived (VRRP) of one amphora of an ACTIVE_STANDBY load balancer:
 * its spec and rendered config, the check script, and the process, started
 * detached in the amphora's namespace and tracked by pid like HAProxy, so it
 * outlives the agent and is re-adopted after an agent restart. Not safe for
 * concurrent calls: the agent serialises them per amphora.
 *
 * A keepalived that dies without being stopped reports itself through
 * `onExit` (when this agent started it) or `died()` (the watchdog, and after
 * an agent restart): the agent then tears the whole amphora down (halt).
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from '../../common/logging.js'
import type { VrrpSpec, VrrpStatus } from '../../amphora-api/agent-api.js'
import type { IpCommand } from '../../common/linux/ip-command.js'
import { AgentHttpError } from '../agent-http-error.js'
import type { KeepalivedPaths } from '../../amphora-api/agent-paths.js'
import { signalProcess, waitForExit } from '../haproxy/haproxy-process.js'
import { removeFile } from '../lb-config-files.js'
import { KeepalivedConfigError } from './keepalived-config-error.js'
import { testKeepalivedConfig } from './keepalived-binary.js'
import { logSince, logSize, rotateLog } from './keepalived-log.js'
import { isKeepalivedFor, readPid, spawnKeepalived } from './keepalived-process.js'
import { interfaceCarrying, presentOn, removeAddresses } from './namespace-addresses.js'
import { renderCheckScript } from './render-check-script.js'
import { renderKeepalivedConfig, type VrrpTimers } from './render-keepalived-config.js'
import { checkVrrpSpec } from './vrrp-spec-check.js'

/** Agent-wide settings of every keepalived it runs. */
export interface KeepalivedSettings {
  readonly keepalivedCmd: string
  readonly timers: VrrpTimers
  /** How long a start may take until keepalived's VRRP child runs. */
  readonly readyTimeoutMs: number
  /** Graceful stop time (SIGTERM to keepalived) before its processes are killed. */
  readonly stopTimeoutMs: number
}

/** What `vrrp.json` holds: the spec and the interface it was rendered for. */
interface StoredVrrp { readonly spec: VrrpSpec; readonly interfaceName: string }

/** How often a start polls for keepalived's VRRP child. */
const READY_POLL_MS = 20
/** How long the VRRP child of a dead parent gets to release its VIPs before it is killed. */
const CHILD_GRACE_MS = 1000

export class AmphoraKeepalived {
  readonly amphoraId: string
  readonly paths: KeepalivedPaths
  #netns: string | null
  readonly #settings: KeepalivedSettings
  readonly #ip: IpCommand
  readonly #log: Logger
  readonly #onExit: () => void
  #pid: number | null = null
  #shouldRun = false

  /** `onExit` is called when a keepalived this object started exits while it should run. */
  constructor(amphoraId: string, paths: KeepalivedPaths, netns: string | null, settings: KeepalivedSettings,
    ip: IpCommand, log: Logger, onExit: () => void) {
    this.amphoraId = amphoraId
    this.paths = paths
    this.#netns = netns
    this.#settings = settings
    this.#ip = ip
    this.#log = log.child({ amphoraId })
    this.#onExit = onExit
  }

  /** Network namespace for the next configure/start (a running keepalived stays where it is). */
  useNetns(netns: string | null): void { this.#netns = netns }

  /** keepalived's parent pid while it runs. */
  get pid(): number | null { return this.#pid }

  /**
   * Validates the spec, renders keepalived.conf for the interface carrying
   * `ownIp`, writes the check script, has keepalived check the config in the
   * namespace, stores spec and config, and reloads a running keepalived when
   * the config changed. Idempotent. 400 for anything refused (the stored
   * config is then untouched).
   */
  async configure(spec: VrrpSpec): Promise<'stored' | 'reloaded' | 'unchanged'> {
    const netns = this.requireNamespace()
    const ownIp = invalidAs400(() => checkVrrpSpec(spec)).ownIp
    const interfaceName = await interfaceCarrying(this.#ip, netns, ownIp)
    if (interfaceName === null) throw new AgentHttpError(400, `no interface of namespace ${netns} carries ${ownIp}`)
    const text = invalidAs400(() => renderKeepalivedConfig({
      spec, interfaceName, checkScriptPath: this.paths.checkScript, timers: this.#settings.timers,
    }))
    await mkdir(this.paths.dir, { recursive: true, mode: 0o700 })
    await this.#writeCheckScript()
    await writeFile(this.paths.candidate, text, { mode: 0o600 })
    const check = await testKeepalivedConfig(this.#settings.keepalivedCmd, netns, this.paths.candidate)
    if (!check.valid) {
      await removeFile(this.paths.candidate)
      throw new AgentHttpError(400, 'keepalived refused the configuration', check.output)
    }
    const current = await readFile(this.paths.config, 'utf8').catch(() => null)
    await rename(this.paths.candidate, this.paths.config)
    await atomicWrite(this.paths.spec, JSON.stringify({ spec, interfaceName } satisfies StoredVrrp), 0o600)
    if (current === text) return 'unchanged'
    if (!(await this.running())) return 'stored'
    this.#hup()
    this.#log.info({ pid: this.#pid }, 'keepalived reloaded with a new configuration')
    return 'reloaded'
  }

  /** Starts keepalived, or reloads it when it runs. 404 without a stored spec; 500 when it does not come up. */
  async start(): Promise<'started' | 'reloaded'> {
    const netns = this.requireNamespace()
    if ((await this.#stored()) === null) throw new AgentHttpError(404, `amphora ${this.amphoraId} has no vrrp configuration`)
    if (await this.running()) {
      this.#hup()
      return 'reloaded'
    }
    await this.#launch(netns)
    return 'started'
  }

  /** Reloads keepalived (SIGHUP); starts it when it does not run. 404 without a stored spec. */
  async reload(): Promise<'started' | 'reloaded'> {
    return this.start()
  }

  /**
   * Stops keepalived gracefully (its VRRP child sends priority 0, so the
   * peer takes over at once, and releases the VIPs), kills what is left
   * after the stop timeout, then removes any VIP still on the interface.
   * Idempotent; a stopped keepalived is fine.
   */
  async stop(): Promise<void> {
    this.#shouldRun = false
    await removeFile(this.paths.runMarker)
    await this.#end(this.#settings.stopTimeoutMs)
    await this.#removeVips()
  }

  /**
   * Tears keepalived down at once for an amphora that failed: ends whatever
   * is left of its processes (a VRRP child still gets a moment to release
   * the VIPs), removes the VIPs from the interface so that the peer alone
   * holds them, and forgets that it should run. Keeps spec and config.
   * Idempotent; a vanished namespace is fine.
   */
  async halt(): Promise<void> {
    this.#shouldRun = false
    await removeFile(this.paths.runMarker)
    await this.#end(0)
    const removed = await this.#removeVips()
    if (removed.length > 0) this.#log.warn({ removed }, 'vips removed from a failed amphora')
  }

  /**
   * Re-adopts a keepalived still running after an agent restart (never
   * restarting it): 'running'; 'died' when it should run (run marker) but
   * does not; 'idle' otherwise.
   */
  async adopt(): Promise<'running' | 'died' | 'idle'> {
    const pid = await readPid(this.paths.pidFile)
    const marked = await readFile(this.paths.runMarker).then(() => true, () => false)
    if (pid !== null && await isKeepalivedFor(pid, this.paths.config)) {
      this.#pid = pid
      this.#shouldRun = true
      this.#log.info({ pid }, 'keepalived re-adopted')
      return 'running'
    }
    this.#shouldRun = marked
    return marked ? 'died' : 'idle'
  }

  /** Whether the parent process is alive (checks the process, not only the pid). */
  async running(): Promise<boolean> {
    if (this.#pid === null) return false
    if (await isKeepalivedFor(this.#pid, this.paths.config)) return true
    this.#pid = null
    return false
  }

  /** Whether keepalived should run (started, not stopped or halted since) but does not. */
  async died(): Promise<boolean> {
    return this.#shouldRun && !(await this.running())
  }

  /** Running, pid and whether every VIP of the stored spec is on its interface. 400 without a namespace. */
  async status(): Promise<VrrpStatus> {
    const netns = this.requireNamespace()
    const running = await this.running()
    const stored = await this.#stored()
    const holdsVip = stored !== null
      && (await presentOn(this.#ip, netns, stored.interfaceName, stored.spec.vips)).length === stored.spec.vips.length
    return { running, pid: running ? this.#pid : null, holdsVip }
  }

  async #launch(netns: string): Promise<void> {
    await rotateLog(this.paths.log)
    const offset = await logSize(this.paths.log)
    // a stale pid file naming a live process would make keepalived refuse to start ("already running")
    await removeFile(this.paths.pidFile)
    await removeFile(this.paths.vrrpPidFile)
    const { pid, exited } = await spawnKeepalived({ keepalivedCmd: this.#settings.keepalivedCmd, netns, paths: this.paths })
    this.#pid = pid
    let exit: number | string | null | undefined
    void exited.then((code) => {
      exit = code
      if (this.#pid !== pid || !this.#shouldRun) return
      this.#log.error({ pid, exit: code }, 'keepalived exited without being stopped')
      this.#onExit()
    })
    const deadline = Date.now() + this.#settings.readyTimeoutMs
    while (exit === undefined && Date.now() < deadline) {
      const child = await readPid(this.paths.vrrpPidFile)
      if (child !== null && await isKeepalivedFor(child, this.paths.config)) {
        this.#shouldRun = true
        await writeFile(this.paths.runMarker, '', { mode: 0o600 })
        this.#log.info({ pid, vrrpChild: child }, 'keepalived started')
        return
      }
      await sleep(READY_POLL_MS)
    }
    await this.#end(0)
    this.#pid = null
    const details = await logSince(this.paths.log, offset)
    this.#log.warn({ pid, exit, details }, 'keepalived did not start')
    throw new AgentHttpError(500, 'Error starting keepalived', details || `keepalived exited with ${String(exit ?? 'timeout')}`)
  }

  /**
   * SIGTERM to the parent and `graceMs` for it to go; then SIGTERM to every
   * keepalived process of this amphora still alive (the parent, a VRRP child
   * whose parent died), SIGKILL after CHILD_GRACE_MS. Processes are ours only
   * when their command line names our config, so a recycled pid is never hit.
   */
  async #end(graceMs: number): Promise<void> {
    const parent = (await this.running()) ? this.#pid : await this.#ours(await readPid(this.paths.pidFile))
    if (parent !== null && graceMs > 0) {
      signalProcess(parent, 'SIGTERM')
      if (await waitForExit(parent, graceMs)) this.#log.info({ pid: parent }, 'keepalived stopped')
    }
    const left = (await Promise.all([parent, await readPid(this.paths.vrrpPidFile)].map((p) => this.#ours(p))))
      .filter((p): p is number => p !== null)
    for (const pid of left) signalProcess(pid, 'SIGTERM')
    for (const pid of left) {
      if (await waitForExit(pid, CHILD_GRACE_MS)) continue
      signalProcess(pid, 'SIGKILL')
      await waitForExit(pid, 2000)
      this.#log.warn({ pid }, 'keepalived process killed')
    }
    this.#pid = null
  }

  /** SIGHUP to the parent: keepalived re-reads its config and keeps its VRRP state. */
  #hup(): void {
    if (this.#pid !== null) signalProcess(this.#pid, 'SIGHUP')
  }

  async #ours(pid: number | null): Promise<number | null> {
    return pid !== null && await isKeepalivedFor(pid, this.paths.config) ? pid : null
  }

  async #removeVips(): Promise<string[]> {
    const stored = await this.#stored()
    if (stored === null || this.#netns === null) return []
    return removeAddresses(this.#ip, this.#netns, stored.spec.vips)
  }

  async #stored(): Promise<StoredVrrp | null> {
    return readFile(this.paths.spec, 'utf8').then((t) => JSON.parse(t) as StoredVrrp, () => null)
  }

  /** The check script, replaced atomically (keepalived may be running it) and only when it changed. */
  async #writeCheckScript(): Promise<void> {
    const text = renderCheckScript(this.paths.dir)
    if ((await readFile(this.paths.checkScript, 'utf8').catch(() => null)) === text) return
    await atomicWrite(this.paths.checkScript, text, 0o700)
  }

  /** The amphora's namespace; 400 without one (loopback mode cannot run VRRP). */
  requireNamespace(): string {
    if (this.#netns !== null) return this.#netns
    throw new AgentHttpError(400, `amphora ${this.amphoraId} has no network namespace: keepalived VRRP (ACTIVE_STANDBY) needs the netns compute driver`)
  }
}

/** Runs a validation; its KeepalivedConfigError becomes 400 Invalid VRRP spec. */
function invalidAs400<T>(fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    if (err instanceof KeepalivedConfigError) throw new AgentHttpError(400, 'Invalid VRRP spec', err.message)
    throw err
  }
}

/** Writes `text` to a temporary file with `mode` and renames it over `file`. */
async function atomicWrite(file: string, text: string, mode: number): Promise<void> {
  const tmp = `${file}.tmp`
  await writeFile(tmp, text, { mode })
  await chmod(tmp, mode)
  await rename(tmp, file)
}
