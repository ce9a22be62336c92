/**
 * Runs Debian's HAProxy 2.6 in check mode on a configuration text, in
 * zero-warning mode (`-dW`): a warning fails the check like an error.
 *
 * NOTE: HAProxy warns when the `server-state-file` is missing or has no
 * version line, so the check points that directive at a temporary file
 * holding only the version ("1"), as the agent must provide before a start.
 * TLS file paths point at real files of their kind (tls-check-files.ts).
 */
import { execFile, spawnSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { withCheckFiles } from './tls-check-files.js'

const probe = spawnSync('haproxy', ['-v'], { encoding: 'utf8' })

/** Why the HAProxy checks are skipped, or false when haproxy is installed. */
export const haproxyMissing: string | false = probe.error === undefined && probe.status === 0
  ? false
  : 'haproxy is not installed (apt-get install -y haproxy); skipping haproxy -c checks'

export interface CheckResult {
  readonly ok: boolean
  readonly output: string
}

/** `haproxy -dW -c -f <file>` on the text; `output` holds its messages. */
export async function haproxyCheck(config: string): Promise<CheckResult> {
  const dir = await mkdtemp(join(tmpdir(), 'octavia-ts-haproxy-'))
  try {
    const file = join(dir, 'haproxy.cfg')
    const state = join(dir, 'servers-state')
    await writeFile(state, '1\n')
    const text = withCheckFiles(config).replace(/^( *server-state-file ).*$/m, (_, directive: string) => directive + state)
    await writeFile(file, text)
    return await new Promise((resolve) => {
      execFile('haproxy', ['-dW', '-c', '-f', file], { encoding: 'utf8', timeout: 20_000 }, (err, stdout, stderr) => {
        resolve({ ok: err === null, output: `${stdout}${stderr}` })
      })
    })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Checks many configurations, a few HAProxy processes at a time. */
export async function haproxyCheckAll(configs: readonly string[], parallel = 6): Promise<CheckResult[]> {
  const results: CheckResult[] = new Array(configs.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < configs.length) {
      const i = next++
      results[i] = await haproxyCheck(configs[i] as string)
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, configs.length) }, worker))
  return results
}
