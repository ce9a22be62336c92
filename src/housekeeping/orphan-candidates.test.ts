import assert from 'node:assert/strict'
import { test } from 'node:test'
import { hostAmphorae } from './orphan-candidates.js'

test('when the agent and the compute driver report amphorae, then each id appears once with the agent\'s evidence and its instance', () => {
  const found = hostAmphorae(
    { registered: ['b', 'a'], unregistered: [{ id: 'c', pids: [7, 8] }] },
    [{ computeId: 'amp-a', amphoraId: 'a' }, { computeId: 'amp-c', amphoraId: 'c' }, { computeId: 'amp-d', amphoraId: 'd' }],
  )
  assert.deepEqual(found, [
    { amphoraId: 'a', evidence: ['registered'], computeId: 'amp-a', pids: [] },
    { amphoraId: 'b', evidence: ['registered'], computeId: null, pids: [] },
    { amphoraId: 'c', evidence: ['processes'], computeId: 'amp-c', pids: [7, 8] },
    { amphoraId: 'd', evidence: [], computeId: 'amp-d', pids: [] },
  ])
})

test('when nothing is on the host, then there is nothing to look at', () => {
  assert.deepEqual(hostAmphorae({ registered: [], unregistered: [] }, []), [])
})
