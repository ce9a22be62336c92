import { execFile } from 'node:child_process'
import type { Logger } from '../logging.js'

/** A failed `ip` (or other host tool) invocation; the message names the command and its stderr. */
export class HostCommandError extends Error {
  readonly command: string
  readonly exitCode: number | null
  readonly stderr: string

  constructor(command: string, exitCode: number | null, stderr: string, opts?: ErrorOptions) {
    super(`command failed (exit ${exitCode ?? 'signal'}): ${command}: ${stderr.trim() || 'no output'}`, opts)
    this.name = 'HostCommandError'
    this.command = command
    this.exitCode = exitCode
    this.stderr = stderr
  }

  /** True when the kernel said the object already exists (`File exists`). */
  get exists(): boolean { return /File exists|already exists/i.test(this.stderr) }
  /** True when the object is missing (`Cannot find device`, `does not exist`, `No such file`). */
  get missing(): boolean {
    return /Cannot find device|does not exist|No such file or directory|No such device|not found/i.test(this.stderr)
  }
}

/** Options of one invocation. */
export interface RunOptions {
  /** Run against this network namespace (`ip -n NS …`). */
  readonly netns?: string | null
  /** Text written to the command's stdin (e.g. `-batch -`). */
  readonly input?: string
  readonly signal?: AbortSignal
}

/**
 * Runs iproute2's `ip` (and a few other host tools) with execFile: no shell,
 * arguments passed as given. Every call is logged at debug level; a non-zero
 * exit becomes a HostCommandError naming the command line.
 */
export class IpCommand {
  readonly #log: Logger
  readonly #binary: string

  constructor(log: Logger, binary = 'ip') {
    this.#log = log
    this.#binary = binary
  }

  /** `ip [-n NS] ARGS…`; resolves with stdout. */
  ip(args: readonly string[], opts: RunOptions = {}): Promise<string> {
    const full = opts.netns ? ['-n', opts.netns, ...args] : [...args]
    return this.exec(this.#binary, full, opts)
  }

  /** `ip [-n NS] -j ARGS…` parsed as JSON (iproute2 prints nothing for an empty list). */
  async ipJson<T>(args: readonly string[], opts: RunOptions = {}): Promise<T[]> {
    const out = await this.ip(['-j', ...args], opts)
    return out.trim() === '' ? [] : JSON.parse(out) as T[]
  }

  /** `ip [-n NS] -batch -` with one command per line (stops at the first failing line). */
  batch(lines: readonly string[], opts: RunOptions = {}): Promise<string> {
    if (lines.length === 0) return Promise.resolve('')
    return this.ip(['-batch', '-'], { ...opts, input: lines.join('\n') + '\n' })
  }

  /** `ip netns exec NS COMMAND…` (for sysctl inside a namespace). */
  inNetns(netns: string, command: readonly string[], opts: RunOptions = {}): Promise<string> {
    return this.exec(this.#binary, ['netns', 'exec', netns, ...command], opts)
  }

  /** Runs any host tool the same way (no shell, logged, HostCommandError on failure). */
  exec(file: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
    const command = [file, ...args].join(' ')
    const started = process.hrtime.bigint()
    return new Promise((resolve, reject) => {
      const child = execFile(file, args, { signal: opts.signal, encoding: 'utf8', maxBuffer: 16 << 20 },
        (err, stdout, stderr) => {
          const ms = Number(process.hrtime.bigint() - started) / 1e6
          if (err) {
            const code = typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null
            const failure = new HostCommandError(opts.input ? `${command} <<< ${JSON.stringify(opts.input)}` : command,
              code, stderr || err.message, { cause: err })
            this.#log.debug({ command, ms, stderr: failure.stderr.trim() }, 'host command failed')
            reject(failure)
            return
          }
          this.#log.debug({ command, ms }, 'host command')
          resolve(stdout)
        })
      // a command that exits before reading its input must not crash us with EPIPE; its exit status tells
      child.stdin?.on('error', () => {})
      if (opts.input !== undefined) child.stdin?.end(opts.input)
    })
  }
}
