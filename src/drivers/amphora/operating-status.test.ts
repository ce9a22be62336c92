import { test } from 'node:test'
import assert from 'node:assert/strict'
import { healthMonitor, id, listener, loadBalancer, member, pool } from '../../../test/golden/haproxy/view-builders.js'
import { afterPush, type OperatingStatuses } from './operating-status.js'

const L1 = id('listener', 1)
const L2 = id('listener', 2)
const P1 = id('pool', 1)
const P2 = id('pool', 2)
const M1 = id('member', 1)
const M2 = id('member', 2)

const offline = (): OperatingStatuses => ({
  loadBalancer: 'OFFLINE', listeners: { [L1]: 'OFFLINE', [L2]: 'OFFLINE' }, pools: { [P1]: 'OFFLINE', [P2]: 'OFFLINE' },
  members: { [M1]: 'OFFLINE', [M2]: 'NO_MONITOR' },
})

test('when a configuration was pushed, then served objects go ONLINE, unserved ones OFFLINE, unmonitored members NO_MONITOR', () => {
  const view = loadBalancer({
    listeners: [listener(1), listener(2, { enabled: false, defaultPoolId: id('pool', 2) })],
    pools: [pool(1, { members: [member(1), member(2, { enabled: false })] }), pool(2, { members: [] })],
  })
  assert.deepEqual(afterPush(view, offline()), {
    loadBalancer: 'ONLINE',
    listeners: { [L1]: 'ONLINE', [L2]: 'OFFLINE' },
    pools: { [P1]: 'ONLINE', [P2]: 'OFFLINE' },
    members: { [M1]: 'NO_MONITOR', [M2]: 'OFFLINE' },
  })
})

test('when a pushed pool is monitored, then its members keep their status (NO_MONITOR becomes OFFLINE until checked)', () => {
  const view = loadBalancer({ pools: [pool(1, { healthMonitor: healthMonitor(1), members: [member(1), member(2)] })] })
  const now = { ...offline(), loadBalancer: 'DEGRADED', members: { [M1]: 'ERROR', [M2]: 'NO_MONITOR' } }
  const next = afterPush(view, now)
  assert.equal(next.loadBalancer, 'DEGRADED', 'a status the statistics set is kept')
  assert.deepEqual(next.members, { [M1]: 'ERROR', [M2]: 'OFFLINE' })
})

test('when the load balancer is disabled, then everything it serves is OFFLINE', () => {
  const view = loadBalancer({ enabled: false, pools: [pool(1, { members: [member(1)] })] })
  const next = afterPush(view, offline())
  assert.equal(next.loadBalancer, 'OFFLINE')
  assert.equal(next.listeners[L1], 'OFFLINE')
  assert.equal(next.members[M1], 'OFFLINE')
})
