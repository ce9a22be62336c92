/**
 * The HAProxy of one load balancer on one amphora: a master-worker process
 * (`haproxy -W -S master.sock -f haproxy.cfg`) started detached, tracked by
 * the pid file, reloaded through the master socket, falling back to the last
 * known good config when a start or reload fails. Not safe for concurrent
 * calls: the agent serialises them per amphora.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from '../common/logging.js'
import { AgentHttpError, loadBalancerNotFound } from './agent-http-error.js'
import type { LoadBalancerPaths } from '../amphora-api/agent-paths.js'
import { logOffset, logSince, markKnownGood, readConfig, removeFile, restoreKnownGood, rotateLog } from './lb-config-files.js'
import { pruneCertificateFiles } from './lb-certificate-files.js'
import { isHaproxyFor, processAlive, spawnHaproxy, stopHaproxy } from './haproxy/haproxy-process.js'
import { reloadOutcome, requestReload, showProc, type ProcessList } from './haproxy/master-cli.js'
import { socketCommand } from './haproxy/runtime-socket.js'

/** Agent-wide settings of every HAProxy it runs. */
export interface HaproxySettings {
  readonly haproxyCmd: string
  /** How long a start or reload may take to show its new worker. */
  readonly readyTimeoutMs: number
  /** Graceful stop time before SIGTERM. */
  readonly stopTimeoutMs: number
  /**
   * How long an unreferenced TLS file is kept after it was stored
   * (pruneCertificateFiles); default CERTIFICATE_FILE_GRACE_MS.
   */
  readonly certificateFileGraceMs?: number
}

/** Default of HaproxySettings.certificateFileGraceMs: ten minutes, far longer than a sync's upload-then-reload. */
export const CERTIFICATE_FILE_GRACE_MS = 10 * 60 * 1000

/** How often a start or reload polls the master socket for its verdict (the overall wait is readyTimeoutMs). */
const RELOAD_POLL_MS = 5

export class LoadBalancerHaproxy {
  readonly id: string
  readonly paths: LoadBalancerPaths
  #netns: string | null
  readonly #settings: HaproxySettings
  readonly #log: Logger
  #pid: number | null = null
  #shouldRun = false

  constructor(id: string, paths: LoadBalancerPaths, netns: string | null, settings: HaproxySettings, log: Logger) {
    this.id = id
    this.paths = paths
    this.#netns = netns
    this.#settings = settings
    this.#log = log.child({ lbId: id })
  }

  /** Network namespace for the next start (a running HAProxy stays where it is). */
  useNetns(netns: string | null): void { this.#netns = netns }

  /** The master's pid while it runs. */
  get pid(): number | null { return this.#pid }

  /** Whether it was started (or adopted) and not stopped since: a dead one is to be restarted. */
  get shouldRun(): boolean { return this.#shouldRun }

  /**
   * Re-adopts a master still running from the pid file (never restarts it).
   * Returns whether one was found; a stale pid file is removed.
   */
  async adopt(): Promise<boolean> {
    const pid = Number.parseInt(await readFile(this.paths.pidFile, 'utf8').catch(() => ''), 10)
    if (Number.isInteger(pid) && pid > 0 && await isHaproxyFor(pid, this.paths.config)) {
      this.#pid = pid
      this.#shouldRun = true
      this.#log.info({ pid }, 'haproxy re-adopted')
      return true
    }
    await removeFile(this.paths.pidFile)
    return false
  }

  /** Whether the master is alive (checks the process, not only the pid). */
  async running(): Promise<boolean> {
    if (this.#pid === null) return false
    if (await isHaproxyFor(this.#pid, this.paths.config)) return true
    this.#pid = null
    return false
  }

  /** Whether the LB was stopped on purpose (and must not be started at agent start-up). */
  async stoppedOnPurpose(): Promise<boolean> {
    return readFile(this.paths.stoppedMarker).then(() => true, () => false)
  }

  /**
   * Starts HAProxy unless it runs. When the config fails to start and a last
   * known good one exists, starts that instead and still throws 500 with
   * HAProxy's alerts.
   */
  async start(): Promise<'started' | 'already running'> {
    if (await this.running()) return 'already running'
    if ((await readConfig(this.paths)) === null) throw loadBalancerNotFound(this.id)
    await removeFile(this.paths.stoppedMarker)
    const failure = await this.#launch()
    if (failure === null) return 'started'
    if (await restoreKnownGood(this.paths)) {
      const again = await this.#launch()
      this.#log.warn({ fallback: again === null ? 'running' : 'failed' }, 'start failed; last known good config restored')
    }
    throw new AgentHttpError(500, 'Error starting haproxy', failure)
  }

  /**
   * Hitless reload through the master socket (a stopped LB is started). On
   * failure the last known good config is put back and reloaded, and 500 is
   * thrown with HAProxy's alerts.
   */
  async reload(): Promise<'reloaded' | 'started'> {
    if (!(await this.running())) return (await this.start()) === 'started' ? 'started' : 'reloaded'
    const failure = await this.#reloadOnce()
    if (failure === null) return 'reloaded'
    if (await restoreKnownGood(this.paths)) {
      const again = (await this.running()) ? await this.#reloadOnce() : await this.#launch()
      this.#log.warn({ fallback: again === null ? 'ok' : again }, 'reload failed; last known good config restored')
    }
    throw new AgentHttpError(500, 'Error reloading haproxy', failure)
  }

  /** Graceful stop (SIGUSR1, SIGTERM after the timeout); remembers that it was stopped on purpose. */
  async stop(): Promise<void> {
    this.#shouldRun = false
    await mkdir(this.paths.dir, { recursive: true, mode: 0o700 })
    await writeFile(this.paths.stoppedMarker, '')
    if (await this.running() && this.#pid !== null) {
      await stopHaproxy(this.#pid, this.#settings.stopTimeoutMs)
      this.#log.info({ pid: this.#pid }, 'haproxy stopped')
    }
    this.#pid = null
    await this.#cleanupRuntime()
  }

  /**
   * Kills HAProxy at once (stopHaproxy without grace: its whole process
   * group gets SIGTERM, then SIGKILL) WITHOUT marking it stopped on purpose:
   * for an amphora the agent can no longer manage (its namespace vanished).
   * The watchdog leaves it down (shouldRun is false). Idempotent.
   */
  async halt(): Promise<void> {
    this.#shouldRun = false
    if (await this.running() && this.#pid !== null) {
      await stopHaproxy(this.#pid, 0)
      this.#log.info({ pid: this.#pid }, 'haproxy halted')
    }
    this.#pid = null
    await this.#cleanupRuntime()
  }

  /** Stops HAProxy and removes every file of the load balancer. Idempotent. */
  async remove(): Promise<void> {
    await this.stop()
    await rm(this.paths.dir, { recursive: true, force: true })
  }

  /** One runtime API command on the stats socket; 409 when HAProxy does not run. */
  async runtimeCommand(command: string): Promise<string> {
    if (!(await this.running())) throw new AgentHttpError(409, `load balancer ${this.id} is not running`)
    return socketCommand(this.paths.statsSocket, command)
  }

  /** Starts the master and waits for its first worker; returns null or the failure details. */
  async #launch(): Promise<string | null> {
    await this.#cleanupRuntime()
    await mkdir(dirname(this.paths.masterSocket), { recursive: true, mode: 0o700 })
    await rotateLog(this.paths)
    const offset = await logOffset(this.paths)
    const { pid, exited } = await spawnHaproxy({
      haproxyCmd: this.#settings.haproxyCmd, config: this.paths.config, masterSocket: this.paths.masterSocket,
      cwd: this.paths.dir, logFile: this.paths.log, netns: this.#netns,
    })
    let exitCode: number | null | undefined
    void exited.then((code) => { exitCode = code })
    const deadline = Date.now() + this.#settings.readyTimeoutMs
    while (exitCode === undefined && Date.now() < deadline) {
      const procs = await showProc(this.paths.masterSocket, 1000).catch(() => null)
      if (procs !== null && procs.workers.length > 0) {
        this.#pid = pid
        this.#shouldRun = true
        await writeFile(this.paths.pidFile, `${pid}\n`)
        await markKnownGood(this.paths)
        await this.#pruneCertificates()
        this.#log.info({ pid, workers: procs.workers }, 'haproxy started')
        return null
      }
      await sleep(RELOAD_POLL_MS)
    }
    if (exitCode === undefined) await stopHaproxy(pid, 0)
    const details = await logSince(this.paths, offset)
    this.#log.warn({ pid, exitCode, details }, 'haproxy did not start')
    return details || `haproxy exited with code ${String(exitCode)}`
  }

  /**
   * Saves server state, reloads and waits for the verdict; returns null or the
   * failure details. The master re-executes itself in place (same pid) on a
   * reload: while it does, its socket does not answer and its command line may
   * briefly not match, so neither counts as a failure. The verdict comes from
   * `show proc` only (a new worker generation, or a counted failed reload);
   * failure is otherwise declared on timeout, or when the master process is
   * really gone (no such pid, or a zombie).
   */
  async #reloadOnce(): Promise<string | null> {
    const offset = await logOffset(this.paths)
    const masterPid = this.#pid
    let before: ProcessList
    try {
      before = await showProc(this.paths.masterSocket)
    } catch (err) {
      return `master socket does not answer: ${(err as Error).message}`
    }
    await this.#saveServerState()
    await requestReload(this.paths.masterSocket).catch(() => undefined)
    const deadline = Date.now() + this.#settings.readyTimeoutMs
    let why = 'reload did not complete in time'
    while (Date.now() < deadline) {
      await sleep(RELOAD_POLL_MS)
      const after = await showProc(this.paths.masterSocket, 1000).catch(() => null)
      if (after !== null) {
        const outcome = reloadOutcome(before, after)
        if (outcome === 'done') {
          await markKnownGood(this.paths)
          await this.#pruneCertificates()
          this.#log.info({ pid: this.#pid, workers: after.workers }, 'haproxy reloaded')
          return null
        }
        if (outcome === 'failed') { why = 'haproxy counted a failed reload'; break }
      } else if (masterPid === null || !(await processAlive(masterPid))) {
        why = 'the haproxy master exited during the reload'
        break
      }
    }
    const details = await logSince(this.paths, offset)
    this.#log.warn({ details, why }, 'haproxy reload failed')
    return details || why
  }

  /** `show servers state` into the server-state-file, so a reload keeps runtime changes and check results. */
  async #saveServerState(): Promise<void> {
    try {
      const state = await socketCommand(this.paths.statsSocket, 'show servers state')
      await writeFile(this.paths.serverStateFile, state.trimEnd() + '\n', { mode: 0o600 })
    } catch (err) {
      this.#log.warn({ err }, 'could not save the servers state')
    }
  }

  /** Removes the TLS files the running config no longer names (a failure is logged: it only leaves files behind). */
  async #pruneCertificates(): Promise<void> {
    try {
      const removed = await pruneCertificateFiles(this.paths, this.#settings.certificateFileGraceMs ?? CERTIFICATE_FILE_GRACE_MS)
      if (removed.length > 0) this.#log.info({ removed }, 'unused tls files removed')
    } catch (err) {
      this.#log.warn({ err }, 'could not prune the tls files')
    }
  }

  async #cleanupRuntime(): Promise<void> {
    await removeFile(this.paths.pidFile)
    await removeFile(this.paths.masterSocket)
    await removeFile(this.paths.statsSocket)
  }
}
