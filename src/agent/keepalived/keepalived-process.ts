/**
 * keepalived processes as the agent sees them: started detached in a
 * session of their own inside the amphora's namespace (so they outlive the
 * agent), in the foreground (`--dont-fork`: the pid the agent gets is the
 * parent's), recognised again by pid and command line after an agent restart.
 *
 * keepalived's parent forks a VRRP child that does the work. The child gets
 * SIGTERM when the parent dies (so a killed parent still releases the VIPs
 * cleanly), but when both are killed hard the VIPs stay on the interface:
 * the agent ends what is left and removes them itself then
 * (AmphoraKeepalived.halt).
 */
import { spawn } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import type { KeepalivedPaths } from '../../amphora-api/agent-paths.js'
import { runsConfig } from '../haproxy/haproxy-process.js'

/** How to start the keepalived of one amphora. */
export interface KeepalivedLaunch {
  readonly keepalivedCmd: string
  readonly netns: string
  readonly paths: KeepalivedPaths
}

/**
 * The command line: VRRP subsystem only (`--vrrp`), foreground, messages to
 * stdout/stderr (the log file) and not to syslog, its own pid files (several
 * keepalived run on one host: with the default /run/keepalived.pid the second
 * would refuse to start).
 */
export function keepalivedArgv(l: KeepalivedLaunch): string[] {
  return ['ip', 'netns', 'exec', l.netns, l.keepalivedCmd, '--vrrp', '--dont-fork', '--log-console', '--log-detail', '--no-syslog',
    '-f', l.paths.config, '-p', l.paths.pidFile, '-r', l.paths.vrrpPidFile]
}

/**
 * Starts keepalived detached (setsid), stdin closed, output appended to the
 * log file. `ip netns exec` execs keepalived in place, so the pid is
 * keepalived's parent. `exited` resolves with the exit code (or the signal's
 * name) when it ends while this agent runs. Rejects when it cannot be spawned.
 */
export async function spawnKeepalived(l: KeepalivedLaunch): Promise<{ pid: number; exited: Promise<number | string | null> }> {
  const [cmd, ...args] = keepalivedArgv(l)
  const fd = openSync(l.paths.log, 'a', 0o600)
  try {
    const child = spawn(cmd ?? 'ip', args, { cwd: l.paths.dir, detached: true, stdio: ['ignore', fd, fd] })
    const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)))
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve())
      child.once('error', reject)
    })
    child.unref()
    if (child.pid === undefined) throw new Error('keepalived did not start')
    return { pid: child.pid, exited }
  } finally {
    closeSync(fd)
  }
}

/** Whether `pid` is a live keepalived running `config` (`-f <config>` on its command line). */
export const isKeepalivedFor = (pid: number, config: string): Promise<boolean> => runsConfig(pid, 'keepalived', config)

/** The pid in a pid file, or null. */
export async function readPid(file: string): Promise<number | null> {
  const pid = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10)
  return Number.isInteger(pid) && pid > 1 ? pid : null
}
