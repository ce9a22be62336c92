import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseShowProc, reloadOutcome } from './master-cli.js'

const SHOW_PROC = `#<PID>          <type>          <reloads>       <uptime>        <version>
24252           master          2 [failed: 1]   0d00h00m08s     2.6.12-1+deb12u4
# workers
24361           worker          1               0d00h00m06s     2.6.12-1+deb12u4
# old workers
24263           worker          [was: 1]        0d00h00m09s     2.6.12-1+deb12u4
# programs

`

describe('master CLI', () => {
  it('when show proc lists current and old workers, then only the current ones count', () => {
    assert.deepEqual(parseShowProc(SHOW_PROC), { masterPid: 24252, reloads: 2, failedReloads: 1, workers: [24361] })
  })

  it('when the answer has no master line, then parsing throws', () => {
    assert.throws(() => parseShowProc('Unknown command.\n'), /unexpected/)
  })

  it('when a reload added a new worker, then it is done; when it counted a failure, then it failed', () => {
    const before = { masterPid: 1, reloads: 0, failedReloads: 0, workers: [10] }
    assert.equal(reloadOutcome(before, before), 'pending')
    assert.equal(reloadOutcome(before, { ...before, reloads: 1, workers: [11] }), 'done')
    assert.equal(reloadOutcome(before, { ...before, reloads: 1, failedReloads: 1, workers: [10] }), 'failed')
    assert.equal(reloadOutcome(before, { ...before, reloads: 1, workers: [10] }), 'pending')
  })
})
