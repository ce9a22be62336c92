import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'

// The data-plane acceptance files (balancing/persistence, L7, health monitor,
// PROMETHEUS) in loopback mode as an unprivileged user: as root they run under
// `runuser -u nobody` (HAProxy then cannot bind below 1024, hence their ports
// ≥ 10080). Run as a normal user, those files already run loopback only, so
// this one is skipped. By hand:
//   runuser -u nobody -- env HOME=/tmp OCTAVIA_E2E_MODES=loopback node --import tsx --test test/e2e/dataplane-l7.test.ts

const FILES = ['dataplane-balancing', 'dataplane-l7', 'dataplane-health', 'dataplane-prometheus']
  .map(f => fileURLToPath(new URL(`./${f}.test.ts`, import.meta.url)))
const root = process.geteuid?.() === 0

test('when the data-plane acceptance files run as nobody in loopback mode, then every case passes', { skip: !root && 'not root: the files run unprivileged by themselves' }, async () => {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OCTAVIA_') && !k.startsWith('NODE_TEST')) env[k] = v
  const argv = ['-u', 'nobody', '--', 'env', 'HOME=/tmp', 'OCTAVIA_E2E_MODES=loopback',
    process.execPath, '--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=tap', ...FILES]
  const result = await runGroup('runuser', argv, env, 240_000)
  const summary = (name: string): number => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(result.out)?.[1] ?? -1)
  assert.equal(result.code, 0, `the unprivileged run failed:\n${result.out.slice(-6000)}`)
  assert.equal(summary('fail'), 0)
  assert.equal(summary('cancelled'), 0)
  assert.ok(summary('pass') >= 15, `expected every case to pass:\n${result.out.slice(-3000)}`)
})

/**
 * Runs `cmd` in a process group of its own and collects its output. After
 * `ms` the whole group (test runner, its HAProxies) gets SIGTERM, then SIGKILL
 * 10 s later, so nothing outlives a stuck run.
 */
function runGroup(cmd: string, argv: string[], env: NodeJS.ProcessEnv, ms: number): Promise<{ code: number; out: string }> {
  return new Promise(resolve => {
    const child = spawn(cmd, argv, { env, cwd: fileURLToPath(new URL('../../', import.meta.url)), detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', c => { out += c })
    child.stderr.on('data', c => { out += c })
    const signalGroup = (sig: NodeJS.Signals): void => { try { process.kill(-child.pid!, sig) } catch { /* gone */ } }
    let killer: NodeJS.Timeout | undefined
    const timer = setTimeout(() => { signalGroup('SIGTERM'); killer = setTimeout(() => signalGroup('SIGKILL'), 10_000) }, ms)
    child.on('close', code => {
      clearTimeout(timer)
      if (killer) clearTimeout(killer)
      resolve({ code: code ?? -1, out })
    })
  })
}
