/**
 * The master CLI of a master-worker HAProxy (`-S <socket>`): its process
 * list and the `reload` command.
 */
import { socketCommand } from './runtime-socket.js'

/** `show proc` of HAProxy 2.6, parsed. */
export interface ProcessList {
  readonly masterPid: number
  /** Reloads the master went through, and how many of them failed. */
  readonly reloads: number
  readonly failedReloads: number
  /** Current workers (not the old ones still finishing connections). */
  readonly workers: readonly number[]
}

/**
 * Parses `show proc`. Lines: a `#<PID> <type> <reloads> ...` header, the
 * master (`<pid> master <n> [failed: <m>] ...`), then `# workers`, worker
 * lines, and optionally `# old workers` and `# programs`.
 */
export function parseShowProc(text: string): ProcessList {
  let section = 'master'
  let master: { pid: number; reloads: number; failed: number } | null = null
  const workers: number[] = []
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) {
      if (/^#\s*workers/.test(line)) section = 'workers'
      else if (/^#\s*(old workers|programs)/.test(line)) section = 'other'
      continue
    }
    const m = /^(\d+)\s+(\S+)\s+(\d+)(?:\s+\[failed:\s*(\d+)\])?/.exec(line.trim())
    if (m === null) continue
    if (m[2] === 'master') master = { pid: Number(m[1]), reloads: Number(m[3]), failed: Number(m[4] ?? 0) }
    else if (section === 'workers' && m[2] === 'worker') workers.push(Number(m[1]))
  }
  if (master === null) throw new Error(`unexpected 'show proc' answer: ${text.slice(0, 200)}`)
  return Object.freeze({ masterPid: master.pid, reloads: master.reloads, failedReloads: master.failed, workers: Object.freeze(workers) })
}

/** The master's process list. Rejects when the master socket does not answer. */
export async function showProc(masterSocket: string, timeoutMs = 2000): Promise<ProcessList> {
  return parseShowProc(await socketCommand(masterSocket, 'show proc', timeoutMs))
}

/**
 * Asks the master to reload (re-execute with the config file as it is now).
 * HAProxy 2.6 answers nothing and closes the connection; the outcome must be
 * read from `show proc` afterwards (see reloadOutcome).
 */
export async function requestReload(masterSocket: string): Promise<void> {
  await socketCommand(masterSocket, 'reload', 5000)
}

/**
 * Compares the process lists before and after a reload: 'done' once the
 * master counted the reload and runs a worker that was not there before,
 * 'failed' once it counted a failed reload, 'pending' otherwise.
 */
export function reloadOutcome(before: ProcessList, after: ProcessList): 'done' | 'failed' | 'pending' {
  if (after.failedReloads > before.failedReloads) return 'failed'
  if (after.reloads > before.reloads && after.workers.some((w) => !before.workers.includes(w))) return 'done'
  return 'pending'
}
