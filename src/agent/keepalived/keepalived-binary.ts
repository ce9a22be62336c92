/**
 * The keepalived executable run briefly: configuration checks (inside the
 * amphora's namespace, because keepalived checks that the instance's
 * interface exists) and its version.
 */
import { execFile } from 'node:child_process'

/** Result of `keepalived --config-test`. */
export interface KeepalivedCheck {
  readonly valid: boolean
  /** What keepalived said (warnings and errors), trimmed. */
  readonly output: string
}

interface Run { readonly code: number; readonly output: string }

function run(cmd: string, args: readonly string[], timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(cmd, [...args], { timeout: timeoutMs, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      const output = `${stdout}${stderr}`
      if (err === null) { resolve({ code: 0, output }); return }
      const code = (err as NodeJS.ErrnoException & { code?: unknown }).code
      if (typeof code === 'number') { resolve({ code, output }); return }
      reject(new Error(`cannot run ${cmd}: ${err.message}`, { cause: err }))
    })
  })
}

/**
 * `ip netns exec <netns> keepalived --config-test -f <file>`: exit status 0
 * only for a config keepalived accepts whole (known keywords, valid values,
 * existing interface, a check script that exists and is secure). Rejects only
 * when the command cannot run at all.
 */
export async function testKeepalivedConfig(keepalivedCmd: string, netns: string, file: string, timeoutMs = 30_000): Promise<KeepalivedCheck> {
  const { code, output } = await run('ip', ['netns', 'exec', netns, keepalivedCmd, '--config-test', '-f', file], timeoutMs)
  return Object.freeze({ valid: code === 0, output: output.trim() })
}

/** The version keepalived reports (`2.2.7`); rejects when it is not installed. */
export async function keepalivedVersion(keepalivedCmd: string): Promise<string> {
  const { output } = await run(keepalivedCmd, ['--version'], 10_000)
  const m = /Keepalived v(\S+)/.exec(output)
  if (m?.[1] === undefined) throw new Error(`unexpected output of ${keepalivedCmd} --version: ${output.slice(0, 200)}`)
  return m[1]
}
