import assert from 'node:assert/strict'
import { it } from 'node:test'
import { LogThrottle } from './log-throttle.js'

it('when a key repeats within the interval, then it is suppressed and the next allowed line counts the suppressed ones', () => {
  const t = new LogThrottle(1000)
  assert.equal(t.take('unknown:a', 0), 0)
  assert.equal(t.take('unknown:a', 10), null)
  assert.equal(t.take('unknown:a', 999), null)
  assert.equal(t.take('unknown:b', 500), 0, 'keys are independent')
  assert.equal(t.take('unknown:a', 1000), 2)
  assert.equal(t.take('unknown:a', 1500), null)
})
