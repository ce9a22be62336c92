import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { LAYERS } from './layers.js'
import { relativeImports, sourceFiles, topFolder } from './source-imports.js'

const SRC = fileURLToPath(new URL('../../src/', import.meta.url))
const files = sourceFiles(SRC)
const imports = relativeImports(SRC, files)

describe('layers of src/', () => {
  it('when src/ is read, then every file lives in a folder the layer table knows', () => {
    const unknown = files.filter(f => !Object.hasOwn(LAYERS, topFolder(f)))
    assert.deepEqual(unknown, [], 'files outside the layers (add their folder to test/architecture/layers.ts and docs/architecture.md)')
  })

  it('when a file imports another folder, then the layer table allows that import', () => {
    const broken = imports
      .filter(i => topFolder(i.from) !== topFolder(i.to) && !LAYERS[topFolder(i.from)]?.includes(topFolder(i.to)))
      .map(i => `${i.from} -> ${i.to}`)
    assert.deepEqual(broken, [])
  })

  it('when an import is relative, then it names a file that exists inside src/', () => {
    const dangling = imports.filter(i => i.to.startsWith('..') || !existsSync(join(SRC, i.to))).map(i => `${i.from} -> ${i.specifier}`)
    assert.deepEqual(dangling, [])
  })

  it('when the layer table is followed, then no chain of folders leads back to where it started', () => {
    const visiting = new Set<string>()
    const done = new Set<string>()
    const visit = (folder: string, path: readonly string[]): void => {
      if (done.has(folder)) return
      assert.ok(!visiting.has(folder), `cycle: ${[...path, folder].join(' -> ')}`)
      visiting.add(folder)
      for (const next of LAYERS[folder] ?? []) visit(next, [...path, folder])
      visiting.delete(folder)
      done.add(folder)
    }
    for (const folder of Object.keys(LAYERS)) visit(folder, [])
  })

  it('when anything but cmd is read, then nothing imports cmd, and the agent imports only its contract, common and pki', () => {
    assert.deepEqual(imports.filter(i => topFolder(i.to) === 'cmd' && topFolder(i.from) !== 'cmd').map(i => i.from), [])
    const agentReaches = new Set(imports.filter(i => topFolder(i.from) === 'agent').map(i => topFolder(i.to)))
    assert.deepEqual([...agentReaches].filter(f => !['agent', 'amphora-api', 'common', 'pki'].includes(f)), [])
  })

  it('when a file outside src/db is read, then it builds no SQL (DESIGN.md §3: repositories hold every query)', () => {
    const query = /\.(selectFrom|updateTable|insertInto|deleteFrom|replaceInto|mergeInto)\(|\bsql`|\bsql\.(raw|ref|table|id|lit)\(/
    const outside = files.filter(f => topFolder(f) !== 'db' && query.test(readFileSync(join(SRC, f), 'utf8')))
    assert.deepEqual(outside, [])
  })
})
