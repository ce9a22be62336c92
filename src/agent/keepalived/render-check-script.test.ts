/**
 * The check script as keepalived runs it: a real /bin/sh over a real
 * amphora directory, with the pids of real processes (alive, gone, zombie).
 */
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFile, spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { KeepalivedConfigError } from './keepalived-config-error.js'
import { renderCheckScript } from './render-check-script.js'

const root = mkdtempSync(join(tmpdir(), 'ka-check-'))
after(() => rmSync(root, { recursive: true, force: true }))

/** A fresh amphora directory with the script in it; returns a function running the script (its exit status). */
function amphora(name: string): { dir: string; run: () => Promise<number> } {
  const dir = join(root, name)
  mkdirSync(dir)
  const script = join(dir, 'keepalived-check.sh')
  writeFileSync(script, renderCheckScript(dir), { mode: 0o700 })
  return {
    dir,
    run: () => new Promise((resolve) => execFile(script, (err) => resolve(err === null ? 0 : Number((err as { code?: unknown }).code)))),
  }
}

function lb(dir: string, id: string, files: Record<string, string>): void {
  mkdirSync(join(dir, id))
  writeFileSync(join(dir, id, 'haproxy.cfg'), 'global\n')
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, id, f), text)
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' })
  return Number(r.stdout.trim())
}

test('when the amphora has no load balancer, then the check passes', async () => {
  assert.equal(await amphora('empty').run(), 0)
})

test('when every load balancer has a live HAProxy pid (or was stopped on purpose), then the check passes', async () => {
  const a = amphora('alive')
  lb(a.dir, 'lb1', { 'haproxy.pid': `${process.pid}\n` })
  lb(a.dir, 'lb2', { stopped: '' })
  mkdirSync(join(a.dir, 'not-a-load-balancer'))
  assert.equal(await a.run(), 0)
})

test('when a load balancer that should serve has no pid, a dead pid or garbage, then the check fails', async () => {
  const cases: Record<string, string> = { missing: '', dead: `${deadPid()}\n`, garbage: '12a\n', empty: '\n', negative: '-1\n' }
  for (const [name, pid] of Object.entries(cases)) {
    const a = amphora(`fail-${name}`)
    lb(a.dir, 'ok', { 'haproxy.pid': `${process.pid}\n` })
    lb(a.dir, 'lb', name === 'missing' ? {} : { 'haproxy.pid': pid })
    assert.equal(await a.run(), 1, name)
  }
})

test('when the HAProxy pid names a zombie, then the check fails', async () => {
  // A parent that forks a child which exits at once and never reaps it: a zombie for 5 s. (A shell
  // `sleep 0 & exec sleep 5` races: dash may reap the finished job before its exec.)
  const fork = 'import os, time\npid = os.fork()\nif pid == 0:\n    os._exit(0)\nprint(pid, flush=True)\ntime.sleep(5)\n'
  const parent = spawn('python3', ['-c', fork], { stdio: ['ignore', 'pipe', 'ignore'] })
  try {
    const [line] = await once(parent.stdout!, 'data') as [Buffer]
    const zombie = Number(line.toString().trim())
    const stat = (): string => spawnSync('cat', [`/proc/${zombie}/stat`], { encoding: 'utf8' }).stdout
    for (let i = 0; i < 300 && !/\) Z /.test(stat()); i++) await new Promise((r) => setTimeout(r, 10))
    assert.match(stat(), /\) Z /, 'the process is a zombie')
    const a = amphora('zombie')
    lb(a.dir, 'lb', { 'haproxy.pid': `${zombie}\n` })
    assert.equal(await a.run(), 1)
  } finally {
    parent.kill('SIGKILL')
  }
})

test('when the amphora directory is not a plain absolute path, then no script is rendered', () => {
  for (const dir of ['relative/dir', "/tmp/it's", '/tmp/a b', '/tmp/$(reboot)', '/tmp/x\nexit 0', '/']) {
    assert.throws(() => renderCheckScript(dir), KeepalivedConfigError, JSON.stringify(dir))
  }
})
