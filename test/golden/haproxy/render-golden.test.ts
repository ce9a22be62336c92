/**
 * Golden files of the HAProxy renderer: each `<feature>.json` renders byte
 * for byte to `<feature>.cfg`, and every `.cfg` passes `haproxy -c` without
 * warnings. `UPDATE_GOLDEN=1` rewrites the `.cfg` files from the renderer
 * (review the diff before committing).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { renderHaproxyConfig } from '../../../src/drivers/amphora/haproxy/render-haproxy-config.js'
import { goldenCases } from './golden-cases.js'
import { haproxyCheck, haproxyMissing } from './haproxy-binary.js'

const update = process.env.UPDATE_GOLDEN === '1'
const cases = goldenCases()

test('when the golden directory is read, then it holds cases', () => {
  assert.ok(cases.length >= 20, `only ${cases.length} golden cases`)
})

for (const c of cases) {
  test(`when ${c.feature}.json is rendered, then it equals ${c.feature}.cfg`, () => {
    const rendered = renderHaproxyConfig(c.view, c.options, c.files)
    if (update) writeFileSync(c.cfgPath, rendered)
    assert.ok(existsSync(c.cfgPath), `${c.cfgPath} is missing (run with UPDATE_GOLDEN=1)`)
    assert.equal(rendered, readFileSync(c.cfgPath, 'utf8'))
  })

  test(`when ${c.feature}.cfg is checked by haproxy, then it is valid without warnings`, { skip: haproxyMissing }, async () => {
    const r = await haproxyCheck(readFileSync(c.cfgPath, 'utf8'))
    assert.ok(r.ok, r.output)
  })
}
