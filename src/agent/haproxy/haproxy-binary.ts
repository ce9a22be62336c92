/**
 * The HAProxy executable: configuration checks and version. Both run the
 * binary briefly on the agent host (a check binds nothing, so it needs no
 * network namespace).
 */
import { execFile } from 'node:child_process'

/** Result of `haproxy -c`. */
export interface ConfigCheck {
  readonly valid: boolean
  /** The ALERT lines when invalid (HAProxy's whole output when there are none). */
  readonly alerts: string
  readonly output: string
}

interface Run { readonly code: number; readonly output: string }

function run(cmd: string, args: readonly string[], timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(cmd, [...args], { timeout: timeoutMs, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      const output = `${stdout}${stderr}`
      if (err === null) { resolve({ code: 0, output }); return }
      const code = (err as NodeJS.ErrnoException & { code?: unknown }).code
      if (typeof code === 'number') { resolve({ code, output }); return }
      reject(new Error(`cannot run ${cmd}: ${err.message}`, { cause: err }))
    })
  })
}

/** Runs `haproxy -c -f <file>`. Rejects only when the binary cannot run at all. */
export async function checkConfig(haproxyCmd: string, file: string, timeoutMs = 30_000): Promise<ConfigCheck> {
  const { code, output } = await run(haproxyCmd, ['-c', '-f', file], timeoutMs)
  const alerts = output.split('\n').filter((l) => l.includes('[ALERT]')).join('\n')
  return Object.freeze({ valid: code === 0, alerts: code === 0 ? '' : alerts || output.trim(), output })
}

/** The version HAProxy reports, e.g. `2.6.12-1+deb12u4`. */
export async function haproxyVersion(haproxyCmd: string): Promise<string> {
  const { output } = await run(haproxyCmd, ['-v'], 10_000)
  const m = /version (\S+)/i.exec(output)
  if (m?.[1] === undefined) throw new Error(`unexpected output of ${haproxyCmd} -v: ${output.slice(0, 200)}`)
  return m[1]
}
