/**
 * The processes this agent's base directory marks as its own, found on the
 * host by their command lines: a HAProxy started with
 * `-f <base>/<amphora id>/<lb id>/haproxy.cfg`, a keepalived with
 * `-f <base>/<amphora id>/keepalived.conf` (their masters, workers and VRRP
 * children alike). Two agents never share a base directory, so such a
 * process was started by an agent of this deployment, for that amphora,
 * whether or not the amphora is still registered: this is how the agent
 * recognises what an earlier agent left running after its registrations were
 * deleted with the state directory. A name alone (`haproxy`, a namespace
 * `amp-…`) is never taken as a mark.
 */
import type { Logger } from '../common/logging.js'
import { readFileSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { basename } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { SAFE_ID } from '../amphora-api/agent-paths.js'
import { processAlive, signalProcess } from './haproxy/haproxy-process.js'

/** How long stopLeftoverProcesses waits after SIGTERM before SIGKILL. */
export const LEFTOVER_KILL_GRACE_MS = 2000

/**
 * The amphora a command line belongs to under `base` (absolute, no trailing
 * slash), or null: its program is haproxy or keepalived and its `-f` names
 * that program's configuration in an amphora's directory below `base`. Pure.
 */
export function amphoraOfCommandLine(argv: readonly string[], base: string): string | null {
  const program = basename(argv[0] ?? '')
  const f = argv.indexOf('-f')
  const config = f >= 0 ? argv[f + 1] : undefined
  if (config === undefined || !config.startsWith(`${base}/`)) return null
  const parts = config.slice(base.length + 1).split('/')
  const [ampId] = parts
  if (ampId === undefined || !SAFE_ID.test(ampId)) return null
  if (program.includes('haproxy') && parts.length === 3 && SAFE_ID.test(parts[1] ?? '') && parts[2] === 'haproxy.cfg') return ampId
  if (program.includes('keepalived') && parts.length === 2 && parts[1] === 'keepalived.conf') return ampId
  return null
}

/** /proc entries read between two yields to the event loop (a scan never blocks it long). */
const SCAN_BATCH = 256

/**
 * Every live process marked by `base`, by amphora id (one pass over /proc;
 * processes that end meanwhile are skipped). `only`: look for that amphora's
 * alone.
 *
 * NOTE: synchronous reads, a batch at a time: /proc files are generated in
 * memory, and a synchronous read costs ~25 µs where a promise-based one costs
 * ~150 µs (measured here); a zombie's command line reads empty, so what
 * matches is alive.
 */
export async function processesUnder(base: string, only?: string): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>()
  const pids = (await readdir('/proc')).filter((e) => /^\d+$/.test(e)).map(Number).filter((pid) => pid !== process.pid)
  for (let i = 0; i < pids.length; i += SCAN_BATCH) {
    if (i > 0) await new Promise((resolve) => setImmediate(resolve))
    for (const pid of pids.slice(i, i + SCAN_BATCH)) {
      const ampId = amphoraOfPid(pid, base)
      if (ampId === null || (only !== undefined && ampId !== only)) continue
      out.set(ampId, [...(out.get(ampId) ?? []), pid])
    }
  }
  return out
}

/** amphoraOfCommandLine of a running process; null when it is gone or not marked. */
function amphoraOfPid(pid: number, base: string): string | null {
  let cmdline: string
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
  } catch {
    return null
  }
  // cheap filter first: most processes do not mention the base at all
  return cmdline.includes(base) ? amphoraOfCommandLine(cmdline.split('\0'), base) : null
}

/**
 * Ends processes nobody manages any more: SIGTERM (HAProxy stops at once,
 * keepalived gives its addresses up), SIGKILL to those still alive after
 * `graceMs`. No graceful drain: an orphan's connections belong to a load
 * balancer that no longer exists. Resolves when they are gone (or after
 * SIGKILL had a moment to act).
 */
export async function stopLeftoverProcesses(pids: readonly number[], graceMs = LEFTOVER_KILL_GRACE_MS): Promise<void> {
  for (const pid of pids) signalProcess(pid, 'SIGTERM')
  const alive = async (): Promise<number[]> => (await Promise.all(pids.map(async (p) => (await processAlive(p) ? [p] : [])))).flat()
  const deadline = Date.now() + graceMs
  let left = await alive()
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(20)
    left = await alive()
  }
  for (const pid of left) signalProcess(pid, 'SIGKILL')
  for (let i = 0; i < 50 && left.length > 0; i++) {
    await sleep(20)
    left = await alive()
  }
}

/**
 * Ends the processes that still carry amphora `ampId`'s paths under `base`
 * although the agent has no registration of it (an earlier agent's, whose
 * state is gone). Logs what it ends.
 */
export async function endUnregisteredProcesses(base: string, ampId: string, log: Logger): Promise<void> {
  const leftovers = (await processesUnder(base, ampId)).get(ampId) ?? []
  if (leftovers.length === 0) return
  log.warn({ amphoraId: ampId, pids: leftovers }, 'ending processes of an unregistered amphora')
  await stopLeftoverProcesses(leftovers)
}
