import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'

const run = promisify(execFile)
const scenario = fileURLToPath(new URL('./support/loopback-scenario.ts', import.meta.url))
const root = process.geteuid?.() === 0

/*
 * Loopback mode needs no privilege: as root this runs the scenario as `nobody`
 * (runuser), otherwise as the current user. By hand:
 *   runuser -u nobody -- node --import tsx test/e2e/support/loopback-scenario.ts
 */
test(`when an unprivileged user runs a loopback amphora, then its VIP in 127.226.0.0/16 serves and delete leaves nothing`, async () => {
  const argv = ['--import', 'tsx', scenario]
  const { stdout } = root
    ? await run('runuser', ['-u', 'nobody', '--', process.execPath, ...argv], { timeout: 60_000 })
    : await run(process.execPath, argv, { timeout: 60_000 })
  const seen = JSON.parse(stdout.trim().split('\n').at(-1)!)
  assert.notEqual(seen.uid, 0, 'the scenario ran unprivileged')
  assert.equal(seen.computeDriver, 'loopback', 'compute_driver = auto picks loopback without root')
  assert.equal(seen.mode, 'loopback')
  assert.equal(seen.subnet, '127.226.0.0/16')
  assert.deepEqual(seen.warnings, [])
  assert.match(seen.computeId, /^loopback:[0-9a-f-]{36}$/)
  assert.equal(seen.netns, null)
  assert.deepEqual(seen.plugged.addresses, [`${seen.vip}/16`])
  assert.equal(seen.plugged.interfaceName, 'lo')
  assert.equal(seen.answer, 'member on 127.0.0.1')
  assert.equal(seen.existed, true)
  assert.equal(seen.existsAfterDelete, false)
})
