import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { HealthLoadBalancer, HealthSnapshot } from '../db/repositories/health-snapshot-repository.js'
import type { Heartbeat } from '../amphora-api/heartbeat-codec.js'
import { listenerCounts, planHealthUpdates, type QueuedHeartbeat } from './health-update-plan.js'

const NOW = 1_800_000_000_000
const opts = { now: NOW, heartbeatIntervalMs: 1000 }

const lb = (over: Partial<HealthLoadBalancer> = {}): HealthLoadBalancer => ({
  id: 'lb-1', enabled: true, provisioningStatus: 'ACTIVE', operatingStatus: 'ONLINE',
  listeners: [{ id: 'l-1', enabled: true, protocol: 'HTTP', operatingStatus: 'ONLINE' }],
  pools: [{ id: 'p-1', operatingStatus: 'ONLINE', members: [{ id: 'm-1', operatingStatus: 'ONLINE' }, { id: 'm-2', operatingStatus: 'ONLINE' }] }],
  ...over,
})

const snapshot = (lbs: HealthLoadBalancer[], amps: Record<string, { lb: string | null; status?: string }>, conns: Record<string, number> = {}): HealthSnapshot => ({
  amphorae: new Map(Object.entries(amps).map(([id, a]) => [id, { id, status: a.status ?? 'ALLOCATED', loadBalancerId: a.lb }])),
  loadBalancers: new Map(lbs.map(l => [l.id, l])),
  activeConnections: new Map(Object.entries(conns)),
})

const hb = (id: string, seq: number, over: Partial<Heartbeat> = {}): Heartbeat => ({
  id, seq, ver: 3,
  listeners: { 'l-1': { status: 'OPEN', stats: { rx: 0, tx: 0, conns: 0, totconns: 0, ereq: 0 } } },
  pools: { 'p-1:l-1': { status: 'UP', members: { 'm-1': 'UP', 'm-2': 'UP' } } },
  ...over,
})
const q = (msg: Heartbeat, recvTime = NOW - 10): QueuedHeartbeat => ({ msg, recvTime })

describe('planHealthUpdates', () => {
  it('when the amphora id has no row, then the heartbeat is counted unknown and nothing is written', () => {
    const p = planHealthUpdates([q(hb('ghost', 1)), q(hb('ghost', 2))], snapshot([lb()], {}), opts)
    assert.deepEqual(p.unknown, ['ghost', 'ghost'])
    assert.deepEqual([p.liveness, p.stats, p.statuses.members.size], [[], [], 0])
  })

  it('when the amphora is DELETED or has no live load balancer, then its heartbeats are orphans', () => {
    const snap = snapshot([lb()], { 'a-del': { lb: 'lb-1', status: 'DELETED' }, 'a-spare': { lb: null } })
    const p = planHealthUpdates([q(hb('a-del', 1)), q(hb('a-spare', 1))], snap, opts)
    assert.deepEqual(p.orphans, ['a-del', 'a-spare'])
    assert.deepEqual(p.liveness, [])
  })

  it('when the reported listeners match the enabled ones, then liveness is recorded at the receive time and nothing else changes', () => {
    const p = planHealthUpdates([q(hb('a-1', 1), NOW - 30)], snapshot([lb()], { 'a-1': { lb: 'lb-1' } }, { 'l-1/a-1': 0 }), opts)
    assert.deepEqual(p.liveness, [{ amphoraId: 'a-1', lastUpdate: NOW - 30 }])
    assert.deepEqual([p.statuses.loadBalancers.size, p.statuses.listeners.size, p.statuses.pools.size, p.statuses.members.size], [0, 0, 0, 0])
    assert.deepEqual(p.stats, [], 'zero deltas and unchanged active connections write nothing')
  })

  it('when the listener count mismatches, then liveness is skipped but statuses are still derived', () => {
    const two = lb({ listeners: [{ id: 'l-1', enabled: true, protocol: 'HTTP', operatingStatus: 'ONLINE' }, { id: 'l-2', enabled: true, protocol: 'TCP', operatingStatus: 'ONLINE' }] })
    const p = planHealthUpdates([q(hb('a-1', 1))], snapshot([two], { 'a-1': { lb: 'lb-1' } }), opts)
    assert.deepEqual(p.liveness, [])
    assert.deepEqual(p.listenerMismatches, [{ amphoraId: 'a-1', loadBalancerId: 'lb-1', reported: 1, expected: 2 }])
    assert.equal(p.statuses.listeners.get('l-2'), 'ERROR')
  })

  it('when the load balancer is PENDING_* or disabled, then the listener count is not checked', () => {
    const none = { listeners: {} }
    assert.equal(listenerCounts(lb({ provisioningStatus: 'PENDING_UPDATE' }), none).expected, null)
    assert.equal(listenerCounts(lb({ enabled: false }), none).expected, null)
    assert.equal(listenerCounts(lb({ listeners: [{ id: 'x', enabled: false, protocol: 'HTTP', operatingStatus: 'OFFLINE' }] }), none).expected, 0)
    const pending = lb({ provisioningStatus: 'PENDING_UPDATE' })
    const p = planHealthUpdates([q(hb('a-1', 1, { listeners: {} }))], snapshot([pending], { 'a-1': { lb: 'lb-1' } }), opts)
    assert.equal(p.liveness.length, 1)
  })

  it('when the load balancer has UDP or SCTP listeners, then they count neither as expected nor as reported', () => {
    const mixed = lb({ listeners: [
      { id: 'l-1', enabled: true, protocol: 'HTTP', operatingStatus: 'ONLINE' },
      { id: 'l-udp', enabled: true, protocol: 'UDP', operatingStatus: 'ONLINE' },
      { id: 'l-sctp', enabled: true, protocol: 'SCTP', operatingStatus: 'ONLINE' },
    ] })
    assert.deepEqual(listenerCounts(mixed, hb('a-1', 1)), { expected: 1, reported: 1 })
    const withUdp = hb('a-1', 2, { listeners: { ...hb('a-1', 2).listeners, 'l-udp': { status: 'OPEN' } } })
    assert.deepEqual(listenerCounts(mixed, withUdp), { expected: 1, reported: 1 })
    const p = planHealthUpdates([q(hb('a-1', 3))], snapshot([mixed], { 'a-1': { lb: 'lb-1' } }), opts)
    assert.equal(p.liveness.length, 1)
  })

  it('when a member is DOWN, then only the changed statuses are planned: member ERROR, pool and load balancer DEGRADED', () => {
    const beat = hb('a-1', 1, { pools: { 'p-1:l-1': { status: 'UP', members: { 'm-1': 'UP', 'm-2': 'DOWN' } } } })
    const p = planHealthUpdates([q(beat)], snapshot([lb()], { 'a-1': { lb: 'lb-1' } }), opts)
    assert.deepEqual([...p.statuses.members], [['m-2', 'ERROR']])
    assert.deepEqual([...p.statuses.pools], [['p-1', 'DEGRADED']])
    assert.deepEqual([...p.statuses.loadBalancers], [['lb-1', 'DEGRADED']])
    assert.equal(p.statuses.listeners.size, 0)
  })

  it('when one amphora sent several heartbeats in the batch, then each adds its deltas in seq order and the newest gives statuses', () => {
    const first = hb('a-1', 7, {
      listeners: { 'l-1': { status: 'OPEN', stats: { rx: 100, tx: 200, conns: 5, totconns: 3, ereq: 1 } }, 'l-gone': { status: 'OPEN', stats: { rx: 9 } } },
      pools: { 'p-1:l-1': { status: 'DOWN', members: { 'm-1': 'DOWN', 'm-2': 'DOWN' } } },
    })
    const second = hb('a-1', 8, { listeners: { 'l-1': { status: 'OPEN', stats: { rx: 10, tx: 20, conns: 2, totconns: 1, ereq: -4 } } } })
    const p = planHealthUpdates([q(second), q(first)], snapshot([lb()], { 'a-1': { lb: 'lb-1' } }), opts)
    assert.deepEqual(p.stats, [
      { listenerId: 'l-1', amphoraId: 'a-1', seq: 7, bytesIn: 100, bytesOut: 200, totalConnections: 3, requestErrors: 1, activeConnections: 5 },
      { listenerId: 'l-1', amphoraId: 'a-1', seq: 8, bytesIn: 10, bytesOut: 20, totalConnections: 1, requestErrors: 0, activeConnections: 2 },
    ], 'a listener of another load balancer and a negative counter add nothing')
    assert.equal(p.statuses.members.size, 0, 'the newest heartbeat (seq 8) reports every member UP')
  })

  it('when a heartbeat waited a heartbeat interval before processing, then it is late: stats only', () => {
    const beat = hb('a-1', 1, { listeners: { 'l-1': { status: 'FULL', stats: { rx: 5 } } } })
    const p = planHealthUpdates([q(beat, NOW - 1000)], snapshot([lb()], { 'a-1': { lb: 'lb-1' } }), opts)
    assert.deepEqual(p.late, ['a-1'])
    assert.deepEqual([p.liveness.length, p.statuses.listeners.size, p.stats.length], [0, 0, 1])
  })

  it('when the agent reports the amphora failed, then a failover is asked and neither liveness nor statuses are planned', () => {
    const beat = hb('a-1', 1, { failed: 'namespace vanished', listeners: {}, pools: {} })
    const p = planHealthUpdates([q(beat)], snapshot([lb()], { 'a-1': { lb: 'lb-1' } }), opts)
    assert.deepEqual(p.failed, [{ amphoraId: 'a-1', loadBalancerId: 'lb-1', reason: 'namespace vanished' }])
    assert.deepEqual([p.liveness.length, p.statuses.listeners.size, p.statuses.members.size], [0, 0, 0])
  })

  it('when both amphorae of a load balancer report, then they apply in turn and the writes are the final difference', () => {
    const down = hb('a-1', 1, { pools: { 'p-1:l-1': { status: 'UP', members: { 'm-1': 'UP', 'm-2': 'DOWN' } } } })
    const up = hb('a-2', 1)
    const snap = snapshot([lb()], { 'a-1': { lb: 'lb-1' }, 'a-2': { lb: 'lb-1' } })
    const p = planHealthUpdates([q(down), q(up)], snap, opts)
    assert.equal(p.statuses.members.size, 0, 'the second amphora brought m-2 back to its stored ONLINE')
    assert.equal(p.statuses.loadBalancers.size, 0)
    assert.deepEqual(p.liveness.map(l => l.amphoraId), ['a-1', 'a-2'])
    const reversed = planHealthUpdates([q(up), q(down)], snap, opts)
    assert.equal(reversed.statuses.members.get('m-2'), 'ERROR')
  })

  it('when a statistics row does not exist yet, then a zero report creates it', () => {
    const p = planHealthUpdates([q(hb('a-1', 1))], snapshot([lb()], { 'a-1': { lb: 'lb-1' } }), opts)
    assert.deepEqual(p.stats.map(s => [s.listenerId, s.bytesIn, s.activeConnections]), [['l-1', 0, 0]])
  })
})
