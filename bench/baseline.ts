import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../test/e2e/support/service-process.js'

/** The baseline server of a bench run (bench/baseline-server.ts in a child process). */
export interface Baseline {
  readonly url: string
  stop(): Promise<void>
}

const SERVER = fileURLToPath(new URL('./baseline-server.ts', import.meta.url))

/** Starts the baseline on a free loopback port, answering with `samples`; resolves when it listens. */
export async function startBaseline(samples: { one: unknown; list: unknown; create: unknown }): Promise<Baseline> {
  const dir = mkdtempSync(join(tmpdir(), 'octavia-bench-'))
  const file = join(dir, 'samples.json')
  writeFileSync(file, JSON.stringify(samples))
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER, String(port), file], { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<void>(r => child.once('exit', () => r()))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('baseline server did not start within 20 s')), 20000)
    child.stdout?.on('data', (d: Buffer) => { if (d.toString().includes('ready')) { clearTimeout(timer); resolve() } })
    child.once('exit', code => { clearTimeout(timer); reject(new Error(`baseline server exited (${code})`)) })
  })
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM')
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
