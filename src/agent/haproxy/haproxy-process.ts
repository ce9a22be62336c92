/**
 * HAProxy processes as the agent sees them: started detached in a session
 * of their own (so they outlive the agent), recognised again by pid and
 * command line after an agent restart, signalled by process group.
 */
import { spawn } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'

/** How to start the HAProxy of one load balancer. */
export interface HaproxyLaunch {
  readonly haproxyCmd: string
  readonly config: string
  readonly masterSocket: string
  /** Working directory (the load balancer's directory). */
  readonly cwd: string
  /** File receiving HAProxy's stdout and stderr (appended). */
  readonly logFile: string
  /** Network namespace (`ip netns exec`), or null for the agent's own. */
  readonly netns: string | null
}

/** The command line of a launch (argv[0] first). */
export function launchArgv(l: HaproxyLaunch): string[] {
  const haproxy = [l.haproxyCmd, '-W', '-S', `${l.masterSocket},mode,600`, '-f', l.config]
  return l.netns === null ? haproxy : ['ip', 'netns', 'exec', l.netns, ...haproxy]
}

/**
 * Starts the HAProxy master in the foreground of its own session and process
 * group (setsid), stdin closed, output to the log file, not waited for by the
 * agent's event loop. `ip netns exec` execs HAProxy in place, so the pid
 * returned is the master's either way. Rejects when the process cannot be
 * spawned at all.
 */
export async function spawnHaproxy(l: HaproxyLaunch): Promise<{ pid: number; exited: Promise<number | null> }> {
  const [cmd, ...args] = launchArgv(l)
  const fd = openSync(l.logFile, 'a', 0o600)
  try {
    const child = spawn(cmd ?? l.haproxyCmd, args, { cwd: l.cwd, detached: true, stdio: ['ignore', fd, fd] })
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve())
      child.once('error', reject)
    })
    child.unref()
    if (child.pid === undefined) throw new Error(`${cmd} did not start`)
    return { pid: child.pid, exited }
  } finally {
    closeSync(fd)
  }
}

/** Whether `pid` is a live (not zombie) process. */
export async function processAlive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    // The state follows the parenthesised command name, which may hold spaces.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
    return state !== 'Z' && state !== 'X'
  } catch {
    return false
  }
}

/**
 * Whether `pid` is a live process of `program` (a word of its executable's
 * path) running `config` (its command line has `-f <config>`): how the agent
 * re-adopts a HAProxy master or a keepalived after a restart without
 * mistaking a recycled pid for it.
 */
export async function runsConfig(pid: number, program: string, config: string): Promise<boolean> {
  if (!(await processAlive(pid))) return false
  let argv: string[]
  try {
    argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0')
  } catch {
    return false
  }
  const f = argv.indexOf('-f')
  return (argv[0] ?? '').includes(program) && f >= 0 && argv[f + 1] === config
}

/** Whether `pid` is a live HAProxy running `config` (runsConfig). */
export const isHaproxyFor = (pid: number, config: string): Promise<boolean> => runsConfig(pid, 'haproxy', config)

/** Sends `signal` to the process group of `pid` (the master and its workers). Missing group: no-op. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err
  }
}

/** Sends `signal` to `pid` alone. Missing process: no-op. */
export function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err
  }
}

/** Resolves true once `pid` is gone, false if it is still alive after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (!(await processAlive(pid))) return true
    if (Date.now() >= deadline) return false
    await sleep(25)
  }
}

/**
 * Stops a master-worker HAProxy: SIGUSR1 (soft stop: workers finish their
 * connections, then the master exits), SIGTERM to the whole group after
 * `graceMs`, SIGKILL a second later. Resolves when the master is gone.
 */
export async function stopHaproxy(pid: number, graceMs: number): Promise<void> {
  signalProcess(pid, 'SIGUSR1')
  if (await waitForExit(pid, graceMs)) return
  signalGroup(pid, 'SIGTERM')
  if (await waitForExit(pid, 1000)) return
  signalGroup(pid, 'SIGKILL')
  await waitForExit(pid, 2000)
}
