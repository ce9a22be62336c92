import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import type { Database } from '../../src/db/database.js'
import { findAmphoraHealth } from '../../src/db/repositories/amphora-health-repository.js'
import { listenerStatistics } from '../../src/db/repositories/listener-repository.js'
import { loadBalancerStats } from '../../src/db/repositories/load-balancer-repository.js'
import { encodeHeartbeat } from '../../src/amphora-api/heartbeat-codec.js'
import { freshDatabase, testDialects } from '../support/databases.js'
import { heartbeatFor, seedLoadBalancer, type SeededLoadBalancer } from '../support/health-fixtures.js'
import { startHealthManager, TEST_HEARTBEAT_KEY, type HealthManagerHarness } from '../support/health-manager-harness.js'

// The health manager's heartbeat path against a real database and a real UDP
// socket: signed v3 heartbeats in, operating statuses, liveness rows and
// listener statistics out (controlplane.md §5-6).

const statusOf = async (db: Database, table: 'load_balancer' | 'listener' | 'pool' | 'member', id: string): Promise<string> =>
  (await db.db.selectFrom(table).select('operating_status').where('id', '=', id).executeTakeFirstOrThrow()).operating_status

/** Everything a heartbeat may change, to compare before and after. */
async function dbState(db: Database): Promise<unknown> {
  const q = db.db
  return {
    lbs: await q.selectFrom('load_balancer').select(['id', 'operating_status', 'provisioning_status']).orderBy('id').execute(),
    listeners: await q.selectFrom('listener').select(['id', 'operating_status']).orderBy('id').execute(),
    pools: await q.selectFrom('pool').select(['id', 'operating_status']).orderBy('id').execute(),
    members: await q.selectFrom('member').select(['id', 'operating_status']).orderBy('id').execute(),
    health: await q.selectFrom('amphora_health').selectAll().orderBy('amphora_id').execute(),
    stats: await q.selectFrom('listener_statistics').select(['listener_id', 'amphora_id', 'bytes_in', 'active_connections']).orderBy('listener_id').execute(),
    jobs: await q.selectFrom('job').select('id').execute(),
  }
}

for (const dialect of testDialects) {
  describe(`health manager heartbeat processing (${dialect})`, () => {
    let database: Database
    let drop: () => Promise<void>
    let h: HealthManagerHarness
    let lb: SeededLoadBalancer
    let amp = ''
    let seq = 0
    const beat = (o: Parameters<typeof heartbeatFor>[3] = {}) => heartbeatFor(lb, amp, ++seq, o)

    before(async () => {
      const fresh = await freshDatabase(dialect)
      database = fresh.database
      drop = fresh.drop
      lb = await seedLoadBalancer(database.db, { operatingStatus: 'OFFLINE' })
      amp = lb.amphoraIds[0]!
      h = await startHealthManager(database, { tuning: { maxPacketBytes: 4096 } })
    })
    after(async () => {
      await h?.close()
      await drop?.()
    })

    it('when a healthy heartbeat arrives, then the objects go ONLINE and the amphora\'s liveness is recorded at its receive time', async () => {
      const t0 = Date.now()
      await h.deliver(beat())
      for (const [table, id] of [['load_balancer', lb.lbId], ['listener', lb.listenerIds[0]], ['pool', lb.poolIds[0]],
        ['member', lb.memberIds[0]![0]], ['member', lb.memberIds[0]![1]]] as const) {
        assert.equal(await statusOf(database, table, id!), 'ONLINE', `${table} ${id}`)
      }
      const row = await findAmphoraHealth(database.db, amp)
      assert.ok(row && row.busy === 0 && row.last_update >= t0 && row.last_update <= Date.now(), JSON.stringify(row))
      assert.equal(h.hm.counters.processor.processed, 1)
    })

    it('when a member is DOWN, then it is ERROR, its pool and the load balancer DEGRADED; when UP again, then all are ONLINE', async () => {
      const [m1, m2] = lb.memberIds[0]!
      await h.deliver(beat({ members: { [m2!]: 'DOWN' } }))
      assert.equal(await statusOf(database, 'member', m2!), 'ERROR')
      assert.equal(await statusOf(database, 'member', m1!), 'ONLINE')
      assert.equal(await statusOf(database, 'pool', lb.poolIds[0]!), 'DEGRADED')
      assert.equal(await statusOf(database, 'load_balancer', lb.lbId), 'DEGRADED')
      await h.deliver(beat())
      assert.equal(await statusOf(database, 'member', m2!), 'ONLINE')
      assert.equal(await statusOf(database, 'pool', lb.poolIds[0]!), 'ONLINE')
      assert.equal(await statusOf(database, 'load_balancer', lb.lbId), 'ONLINE')
    })

    it('when members drain, are in maintenance or unchecked, then they are DRAINING, OFFLINE and NO_MONITOR; an absent NO_MONITOR member stays so', async () => {
      const [m1, m2] = lb.memberIds[0]!
      await h.deliver(beat({ members: { [m1!]: 'DRAIN', [m2!]: 'MAINT' } }))
      assert.equal(await statusOf(database, 'member', m1!), 'DRAINING')
      assert.equal(await statusOf(database, 'member', m2!), 'OFFLINE')
      await h.deliver(beat({ memberStatus: 'no check' }))
      assert.equal(await statusOf(database, 'member', m1!), 'NO_MONITOR')
      const pool = `${lb.poolIds[0]}:${lb.listenerIds[0]}`
      const withoutM2 = beat({ memberStatus: 'no check' })
      await h.deliver({ ...withoutM2, pools: { [pool]: { status: 'UP', members: { [m1!]: 'no check' } } } })
      assert.equal(await statusOf(database, 'member', m2!), 'NO_MONITOR')
      await h.deliver(beat())
    })

    it('when the pool is DOWN, then the pool and the load balancer are ERROR; a FULL listener makes it DEGRADED', async () => {
      await h.deliver(beat({ pools: { [lb.poolIds[0]!]: 'DOWN' }, memberStatus: 'DOWN' }))
      assert.equal(await statusOf(database, 'pool', lb.poolIds[0]!), 'ERROR')
      assert.equal(await statusOf(database, 'load_balancer', lb.lbId), 'ERROR')
      await h.deliver(beat({ listeners: { [lb.listenerIds[0]!]: 'FULL' } }))
      assert.equal(await statusOf(database, 'listener', lb.listenerIds[0]!), 'DEGRADED')
      assert.equal(await statusOf(database, 'load_balancer', lb.lbId), 'DEGRADED')
      await h.deliver(beat())
      assert.equal(await statusOf(database, 'load_balancer', lb.lbId), 'ONLINE')
    })

    it('when an enabled listener is missing from the heartbeat, then it is ERROR, its pool OFFLINE, and liveness is not updated', async () => {
      const before = (await findAmphoraHealth(database.db, amp))!.last_update
      await new Promise(r => setTimeout(r, 5))
      await h.deliver({ ...beat(), listeners: {}, pools: {} })
      assert.equal(await statusOf(database, 'listener', lb.listenerIds[0]!), 'ERROR')
      assert.equal(await statusOf(database, 'pool', lb.poolIds[0]!), 'OFFLINE')
      assert.equal((await findAmphoraHealth(database.db, amp))!.last_update, before)
      assert.equal(h.hm.counters.processor.listenerMismatches, 1)
      await h.deliver(beat())
      assert.ok((await findAmphoraHealth(database.db, amp))!.last_update > before)
    })

    it('when statistics deltas arrive, then they add up per amphora and the listener and load balancer stats sum them', async () => {
      const two = await seedLoadBalancer(database.db, { amphorae: 2 })
      const [a, b] = two.amphoraIds as [string, string]
      const stats = (rx: number, tx: number, conns: number, totconns: number, ereq: number) => ({ rx, tx, conns, totconns, ereq })
      await h.deliver(heartbeatFor(two, a, 1, { stats: stats(100, 1000, 3, 10, 1) }), heartbeatFor(two, b, 1, { stats: stats(7, 70, 1, 2, 0) }))
      await h.deliver(heartbeatFor(two, a, 2, { stats: stats(50, 500, 4, 5, 0) }))
      await h.deliver(heartbeatFor(two, a, 3, { stats: stats(0, 0, 4, 0, 0) }))
      const want = { bytes_in: 157, bytes_out: 1570, active_connections: 5, total_connections: 17, request_errors: 1 }
      assert.deepEqual(await listenerStatistics(database.db, two.listenerIds[0]!), want)
      assert.deepEqual(await loadBalancerStats(database.db, two.lbId), want)
      await database.db.updateTable('amphora').set({ status: 'PENDING_DELETE' }).where('id', '=', b).execute()
      const l = await listenerStatistics(database.db, two.listenerIds[0]!)
      assert.deepEqual([l.bytes_in, l.active_connections], [157, 4], 'active connections only from ALLOCATED amphorae')
    })

    it('when two health managers receive the same heartbeats, then their deltas are added once', async () => {
      const other = await startHealthManager(database)
      try {
        const one = await seedLoadBalancer(database.db)
        const a = one.amphoraIds[0]!
        const stats = { rx: 10, tx: 100, conns: 1, totconns: 2, ereq: 0 }
        const packets = [1, 2, 3].map(seq => encodeHeartbeat(heartbeatFor(one, a, seq, { stats }), TEST_HEARTBEAT_KEY))
        await other.deliver(packets[0]!)
        await h.deliver(packets[0]!, packets[1]!)
        await other.deliver(packets[1]!, packets[2]!)
        await h.deliver(packets[2]!)
        const l = await listenerStatistics(database.db, one.listenerIds[0]!)
        assert.deepEqual([l.bytes_in, l.bytes_out, l.total_connections, l.active_connections], [30, 300, 6, 1])
      } finally {
        await other.close()
      }
    })

    it('when heartbeats are forged, truncated, oversized or replayed, then they are dropped and the database does not change', async () => {
      const old = beat({ memberStatus: 'DOWN' })
      await h.deliver(beat())
      const state = await dbState(database)
      const down = beat({ memberStatus: 'DOWN' })
      const good = encodeHeartbeat(down, TEST_HEARTBEAT_KEY)
      const forged = encodeHeartbeat(down, 'not-the-key')
      const oversized = encodeHeartbeat({ ...down, pools: { ...down.pools, [`${randomBytes(6000).toString('hex')}:y`]: { status: 'UP', members: {} } } }, TEST_HEARTBEAT_KEY)
      await h.deliver(forged, good.subarray(0, 20), good.subarray(0, good.length - 1), oversized, old)
      assert.deepEqual(await dbState(database), state)
      const d = h.hm.counters.receiver.dropped
      assert.deepEqual([d.bad_hmac, d.truncated, d.oversized, d.replay], [2, 1, 1, 1])
      await h.deliver(good)
      assert.equal(await statusOf(database, 'member', lb.memberIds[0]![0]!), 'ERROR', 'the same heartbeat, intact and new, is applied')
      await h.deliver(beat())
    })

    it('when an unknown amphora sends heartbeats, then they are counted and nothing is written', async () => {
      const state = await dbState(database)
      const before = h.hm.counters.processor.unknown
      await h.deliver({ ...beat(), id: 'a7f3c1de-0000-4000-8000-000000000000', seq: 1 }, { ...beat(), id: 'a7f3c1de-0000-4000-8000-000000000000', seq: 2 })
      assert.equal(h.hm.counters.processor.unknown - before, 2)
      assert.deepEqual(await dbState(database), state)
    })

    it('when the load balancer is PENDING_UPDATE, then a listener count mismatch still refreshes liveness and statuses follow', async () => {
      await database.db.updateTable('load_balancer').set({ provisioning_status: 'PENDING_UPDATE' }).where('id', '=', lb.lbId).execute()
      try {
        const before = (await findAmphoraHealth(database.db, amp))!.last_update
        await new Promise(r => setTimeout(r, 5))
        await h.deliver({ ...beat(), listeners: {}, pools: {} })
        assert.ok((await findAmphoraHealth(database.db, amp))!.last_update > before)
        assert.equal(await statusOf(database, 'listener', lb.listenerIds[0]!), 'OFFLINE', 'absent while the LB is not ACTIVE: OFFLINE')
      } finally {
        await database.db.updateTable('load_balancer').set({ provisioning_status: 'ACTIVE' }).where('id', '=', lb.lbId).execute()
      }
    })

    it('when an amphora has no load balancer any more, then its heartbeats are dropped as orphans', async () => {
      const gone = await seedLoadBalancer(database.db)
      await database.db.updateTable('load_balancer').set({ provisioning_status: 'DELETED' }).where('id', '=', gone.lbId).execute()
      const before = h.hm.counters.processor.orphans
      await h.deliver(heartbeatFor(gone, gone.amphoraIds[0]!, 1))
      assert.equal(h.hm.counters.processor.orphans - before, 1)
      assert.equal(await findAmphoraHealth(database.db, gone.amphoraIds[0]!), undefined)
    })
  })
}
