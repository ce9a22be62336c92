import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const BIN = new URL('../../bin/octavia-ts', import.meta.url).pathname
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }

const tempConfig = (text: string): { dir: string; file: string } => {
  const dir = mkdtempSync(join(tmpdir(), 'octavia-ts-cli-'))
  const file = join(dir, 'octavia.ini')
  writeFileSync(file, text.replaceAll('@DIR@', dir))
  return { dir, file }
}

test('when asked for --version, then it prints the package version', async () => {
  const { stdout } = await run(BIN, ['--version'])
  assert.equal(stdout.trim(), pkg.version)
})

test('when asked for --help, then it lists every command', async () => {
  const { stdout } = await run(BIN, ['--help'])
  for (const cmd of ['serve', 'api', 'worker', 'housekeeping', 'health-manager', 'agent', 'db']) assert.match(stdout, new RegExp(`^\\s+${cmd}\\b`, 'm'))
})

test('when db upgrade runs twice on a new state dir, then it creates the database and is idempotent', async () => {
  const { dir, file } = tempConfig('[DEFAULT]\nstate_dir = @DIR@/state\n')
  for (let i = 0; i < 2; i++) {
    const { stdout } = await run(BIN, ['db', 'upgrade', '--config', file])
    assert.equal(stdout.trim(), 'database is up to date')
  }
  assert.ok(readFileSync(join(dir, 'state', 'octavia.sqlite')).length > 0)
})

test('when the configuration has a bad value, then serve exits non-zero naming it', async () => {
  const { file } = tempConfig('[api_settings]\nbind_port = eighty\n')
  await assert.rejects(run(BIN, ['serve', '--config', file]), (err: { code: number; stderr: string }) => {
    assert.equal(err.code, 1)
    assert.match(err.stderr, /invalid configuration: \[api_settings\] bind_port: expected an integer, got 'eighty'/)
    return true
  })
})

test('when OCTAVIA_TS_CONFIG names the file, then commands use it', async () => {
  const { file } = tempConfig('[api_settings]\nauth_strategy = nonsense\n')
  await assert.rejects(run(BIN, ['db', 'upgrade'], { env: { ...process.env, OCTAVIA_TS_CONFIG: file } }),
    (err: { stderr: string }) => /auth_strategy/.test(err.stderr))
})
