import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Heartbeat } from '../amphora-api/heartbeat-codec.js'
import {
  deriveOperatingStatuses, listenerStatus, memberStatus, poolIdOfKey, poolStatus, type StatusModel,
} from './operating-status-rules.js'

const hb = (listeners: Heartbeat['listeners'], pools: Heartbeat['pools']): Heartbeat => ({ id: 'amp', seq: 1, ver: 3, listeners, pools })

/** One enabled ACTIVE LB (currently ONLINE), listener l1, pool p1 with members m1, m2, all ONLINE. */
const model = (over: Partial<StatusModel> = {}): StatusModel => ({
  lb: { enabled: true, provisioningStatus: 'ACTIVE', operatingStatus: 'ONLINE' },
  listeners: [{ id: 'l1', enabled: true, operatingStatus: 'ONLINE' }],
  pools: [{ id: 'p1', operatingStatus: 'ONLINE', members: [{ id: 'm1', operatingStatus: 'ONLINE' }, { id: 'm2', operatingStatus: 'ONLINE' }] }],
  ...over,
})
const healthy = (members: Record<string, string> = { m1: 'UP', m2: 'UP' }, pool = 'UP', listener = 'OPEN'): Heartbeat =>
  hb({ l1: { status: listener } }, { 'p1:l1': { status: pool, members } })

describe('listener rules', () => {
  it('when OPEN, then ONLINE; when FULL, then DEGRADED; when unknown, then unchanged', () => {
    assert.equal(listenerStatus('OPEN', true, 'ACTIVE'), 'ONLINE')
    assert.equal(listenerStatus('FULL', true, 'ACTIVE'), 'DEGRADED')
    assert.equal(listenerStatus('WEIRD', true, 'ACTIVE'), null)
  })
  it('when absent, then ERROR if enabled and LB ACTIVE, else OFFLINE', () => {
    assert.equal(listenerStatus(undefined, true, 'ACTIVE'), 'ERROR')
    assert.equal(listenerStatus(undefined, false, 'ACTIVE'), 'OFFLINE')
    assert.equal(listenerStatus(undefined, true, 'PENDING_UPDATE'), 'OFFLINE')
  })
})

describe('pool rules', () => {
  it('when UP, then ONLINE; DOWN, then ERROR; unknown, then unchanged', () => {
    assert.equal(poolStatus('UP'), 'ONLINE')
    assert.equal(poolStatus('DOWN'), 'ERROR')
    assert.equal(poolStatus('MAINT'), null)
  })
  it('when the key is <pool>:<listener>, then the suffix is stripped; a bare id is kept', () => {
    assert.equal(poolIdOfKey('p1:l1'), 'p1')
    assert.equal(poolIdOfKey('p1'), 'p1')
  })
})

describe('member rules', () => {
  it('when UP or DOWN with a suffix, then ONLINE or ERROR', () => {
    assert.equal(memberStatus('UP', 'OFFLINE'), 'ONLINE')
    assert.equal(memberStatus('UP 1/3', 'OFFLINE'), 'ONLINE')
    assert.equal(memberStatus('DOWN', 'ONLINE'), 'ERROR')
    assert.equal(memberStatus('DOWN 1/2', 'ONLINE'), 'ERROR')
  })
  it('when DRAIN, MAINT or no check, then DRAINING, OFFLINE, NO_MONITOR', () => {
    assert.equal(memberStatus('DRAIN', 'ONLINE'), 'DRAINING')
    assert.equal(memberStatus('MAINT', 'ONLINE'), 'OFFLINE')
    assert.equal(memberStatus('no check', 'ONLINE'), 'NO_MONITOR')
  })
  it('when RESTARTING or unknown, then unchanged', () => {
    assert.equal(memberStatus('RESTARTING', 'ONLINE'), null)
    assert.equal(memberStatus('???', 'ONLINE'), null)
  })
  it('when absent, then OFFLINE unless currently NO_MONITOR', () => {
    assert.equal(memberStatus(undefined, 'ONLINE'), 'OFFLINE')
    assert.equal(memberStatus(undefined, 'NO_MONITOR'), null)
  })
})

describe('deriveOperatingStatuses', () => {
  const none = { loadBalancer: null, listeners: {}, pools: {}, members: {} }

  it('when everything is healthy and already ONLINE, then nothing changes', () => {
    assert.deepEqual(deriveOperatingStatuses(healthy(), model()), none)
  })
  it('when the LB is disabled, then it goes OFFLINE', () => {
    assert.equal(deriveOperatingStatuses(healthy(), model({ lb: { enabled: false, provisioningStatus: 'ACTIVE', operatingStatus: 'ONLINE' } })).loadBalancer, 'OFFLINE')
  })
  it('when a listener is FULL, then it is DEGRADED and the LB DEGRADED', () => {
    const c = deriveOperatingStatuses(healthy(undefined, 'UP', 'FULL'), model())
    assert.deepEqual(c, { ...none, loadBalancer: 'DEGRADED', listeners: { l1: 'DEGRADED' } })
  })
  it('when a member is DOWN, then member ERROR, pool DEGRADED, LB DEGRADED', () => {
    const c = deriveOperatingStatuses(healthy({ m1: 'UP', m2: 'DOWN' }), model())
    assert.deepEqual(c, { loadBalancer: 'DEGRADED', listeners: {}, pools: { p1: 'DEGRADED' }, members: { m2: 'ERROR' } })
  })
  it('when a pool is DOWN, then pool ERROR and LB ERROR (members still updated, pool not lowered to DEGRADED)', () => {
    const c = deriveOperatingStatuses(healthy({ m1: 'DOWN', m2: 'DOWN' }, 'DOWN'), model())
    assert.deepEqual(c, { loadBalancer: 'ERROR', listeners: {}, pools: { p1: 'ERROR' }, members: { m1: 'ERROR', m2: 'ERROR' } })
  })
  it('when a pool is DOWN and a listener FULL, then the LB stays ERROR', () => {
    assert.equal(deriveOperatingStatuses(healthy({ m1: 'UP', m2: 'UP' }, 'DOWN', 'FULL'), model()).loadBalancer, 'ERROR')
  })
  it('when a listener is absent, then ERROR (enabled, LB ACTIVE)', () => {
    const c = deriveOperatingStatuses(hb({}, { 'p1:l1': { status: 'UP', members: { m1: 'UP', m2: 'UP' } } }), model())
    assert.deepEqual(c.listeners, { l1: 'ERROR' })
  })
  it('when a pool is absent under every listener, then it is OFFLINE and its members are left alone', () => {
    const c = deriveOperatingStatuses(hb({ l1: { status: 'OPEN' } }, {}), model())
    assert.deepEqual(c, { ...none, pools: { p1: 'OFFLINE' } })
  })
  it('when a pool is reported under its bare id (LVS), then it is matched', () => {
    const c = deriveOperatingStatuses(hb({ l1: { status: 'OPEN' } }, { p1: { status: 'UP', members: { m1: 'DRAIN', m2: 'MAINT' } } }), model())
    assert.deepEqual(c, { ...none, members: { m1: 'DRAINING', m2: 'OFFLINE' } })
  })
  it('when a member is absent or no check, then OFFLINE / NO_MONITOR, and the LB stays ONLINE', () => {
    const c = deriveOperatingStatuses(healthy({ m1: 'no check' }), model())
    assert.deepEqual(c, { ...none, members: { m1: 'NO_MONITOR', m2: 'OFFLINE' } })
  })
  it('when the stored statuses were degraded and the heartbeat is healthy, then everything returns to ONLINE', () => {
    const m = model({
      lb: { enabled: true, provisioningStatus: 'ACTIVE', operatingStatus: 'DEGRADED' },
      listeners: [{ id: 'l1', enabled: true, operatingStatus: 'DEGRADED' }],
      pools: [{ id: 'p1', operatingStatus: 'DEGRADED', members: [{ id: 'm1', operatingStatus: 'ERROR' }, { id: 'm2', operatingStatus: 'OFFLINE' }] }],
    })
    assert.deepEqual(deriveOperatingStatuses(healthy(), m), {
      loadBalancer: 'ONLINE', listeners: { l1: 'ONLINE' }, pools: { p1: 'ONLINE' }, members: { m1: 'ONLINE', m2: 'ONLINE' },
    })
  })
})
