import { test } from 'node:test'
import assert from 'node:assert/strict'
import { growth } from './listener-stats-accumulator.js'

const c = (rx: number, tx: number, totconns: number, ereq = 0) => ({ rx, tx, totconns, ereq })

test('when counters grew since the last read, then only the growth is added', () => {
  assert.deepEqual(growth(c(150, 300, 12, 1), c(100, 200, 10), false, true), c(50, 100, 2, 1))
})

test('when a counter went down, or a reload was noted, then the process is new and everything counts', () => {
  assert.deepEqual(growth(c(30, 60, 3), c(100, 200, 10), false, true), c(30, 60, 3))
  assert.deepEqual(growth(c(130, 260, 13), c(100, 200, 10), true, true), c(130, 260, 13))
})

test('when a listener is read for the first time, then a new row counts everything and an existing row only sets the baseline', () => {
  assert.deepEqual(growth(c(100, 200, 10), undefined, false, false), c(100, 200, 10))
  assert.deepEqual(growth(c(100, 200, 10), undefined, false, true), c(0, 0, 0))
})
