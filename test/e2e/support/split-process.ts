import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from './service-process.js'

/** One `octavia-ts <command>` child process of a split deployment (api, worker, ...), logging to a file. */
export interface SplitProcess {
  readonly command: string
  readonly pid: number
  /** Its log so far (JSON lines). */
  logs(): string
  /** Whether it still runs. */
  running(): boolean
  /** Sends `signal` and waits for the exit (SIGKILL after `ms`); no-op when it has exited. */
  stop(signal?: NodeJS.Signals, ms?: number): Promise<void>
}

/**
 * Starts `bin/octavia-ts <command> --config <configFile>` (the built bundle),
 * logging to `<dir>/<name>.log`; resolves once its log shows `readyLine`.
 * Rejects (after killing it) when it exits first or within `readyMs` it has not.
 */
export async function startSplitProcess(opts: {
  command: string; name: string; configFile: string; dir: string; readyLine: string; readyMs?: number
}): Promise<SplitProcess> {
  const logFile = join(opts.dir, `${opts.name}.log`)
  const log = createWriteStream(logFile, { flags: 'a' })
  const env = { ...process.env }
  for (const k of Object.keys(env)) if (k.startsWith('OCTAVIA_TS')) delete env[k]
  const child: ChildProcess = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'octavia-ts'), opts.command, '--config', opts.configFile], {
    cwd: opts.dir, env, stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.pipe(log, { end: false })
  child.stderr?.pipe(log, { end: false })
  const exited = new Promise<void>(resolve => child.once('exit', () => { log.end(); resolve() }))
  const running = (): boolean => child.exitCode === null && child.signalCode === null
  const logs = (): string => { try { return readFileSync(logFile, 'utf8') } catch { return '' } }
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', ms = 10_000): Promise<void> => {
    if (!running()) return
    child.kill(signal)
    const timer = setTimeout(() => child.kill('SIGKILL'), ms)
    await exited
    clearTimeout(timer)
  }
  const proc: SplitProcess = { command: opts.command, pid: child.pid ?? -1, logs, running, stop }
  const deadline = Date.now() + (opts.readyMs ?? 20_000)
  while (!logs().includes(opts.readyLine)) {
    if (!running()) throw new Error(`octavia-ts ${opts.command} exited before '${opts.readyLine}':\n${logs().slice(-3000)}`)
    if (Date.now() > deadline) {
      await stop('SIGKILL')
      throw new Error(`octavia-ts ${opts.command} not ready within the deadline:\n${logs().slice(-3000)}`)
    }
    await new Promise(r => setTimeout(r, 50))
  }
  return proc
}
