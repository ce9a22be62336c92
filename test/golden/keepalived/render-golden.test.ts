/**
 * Golden files of the keepalived renderer: each `<case>.json` renders byte
 * for byte to `<case>.conf`; as root, keepalived itself accepts every case
 * (`--config-test` in a scratch namespace). `UPDATE_GOLDEN=1` rewrites the
 * `.conf` files from the renderer (review the diff before committing).
 */
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderKeepalivedConfig, type KeepalivedRenderInput } from '../../../src/agent/keepalived/render-keepalived-config.js'
import { testKeepalivedConfig } from '../../../src/agent/keepalived/keepalived-binary.js'

const DIR = dirname(fileURLToPath(import.meta.url))
const update = process.env.UPDATE_GOLDEN === '1'
const cases = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort().map((f) => ({
  name: f.slice(0, -'.json'.length),
  input: (JSON.parse(readFileSync(join(DIR, f), 'utf8')) as { input: KeepalivedRenderInput }).input,
  confPath: join(DIR, f.replace(/\.json$/, '.conf')),
}))

const keepalivedMissing = (() => {
  if (process.geteuid?.() !== 0) return 'keepalived --config-test of the golden files needs root (a scratch network namespace)'
  try { execFileSync('keepalived', ['--version'], { stdio: 'ignore' }); return false } catch { return 'keepalived is not installed' }
})()

const scratch: string[] = []
after(() => { for (const ns of scratch) try { execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' }) } catch { /* gone */ } })

test('when the golden directory is read, then it holds cases', () => {
  assert.ok(cases.length >= 5, `only ${cases.length} golden cases`)
})

for (const c of cases) {
  test(`when ${c.name}.json is rendered, then it equals ${c.name}.conf`, () => {
    const rendered = renderKeepalivedConfig(c.input)
    if (update) writeFileSync(c.confPath, rendered)
    assert.ok(existsSync(c.confPath), `${c.confPath} is missing (run with UPDATE_GOLDEN=1)`)
    assert.equal(rendered, readFileSync(c.confPath, 'utf8'))
  })

  test(`when ${c.name} is checked by keepalived in a namespace with its interface, then it is accepted`, { skip: keepalivedMissing }, async () => {
    const ns = `kagold-${randomBytes(4).toString('hex')}`
    scratch.push(ns)
    const ip = (...args: string[]): void => { execFileSync('ip', ['-n', ns, ...args], { stdio: 'ignore' }) }
    execFileSync('ip', ['netns', 'add', ns])
    ip('link', 'add', c.input.interfaceName, 'type', 'veth', 'peer', 'name', 'peer0')
    ip('address', 'add', `${c.input.spec.ownIp}/${c.input.spec.ownIp.includes(':') ? 64 : 24}`, 'dev', c.input.interfaceName)
    const dir = mkdtempSync(join(tmpdir(), 'kagold-'))
    try {
      const script = join(dir, 'check.sh')
      writeFileSync(script, '#!/bin/sh\nexit 0\n', { mode: 0o700 })
      const conf = join(dir, 'keepalived.conf')
      writeFileSync(conf, renderKeepalivedConfig({ ...c.input, checkScriptPath: script }))
      const check = await testKeepalivedConfig('keepalived', ns, conf)
      assert.ok(check.valid, check.output)
      assert.equal(check.output, '', 'keepalived says nothing about a good config')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
}
