import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { InProcessBus } from '../../src/bus/in-process-bus.js'
import { openDatabase, type Database } from '../../src/db/database.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { findAmphoraHealth, upsertAmphoraHealth } from '../../src/db/repositories/amphora-health-repository.js'
import { freshDatabase, testDialects } from '../support/databases.js'
import { heartbeatFor, seedLoadBalancer } from '../support/health-fixtures.js'
import { startHealthManager } from '../support/health-manager-harness.js'

// Stale-amphora detection and failover submission of the health manager
// (controlplane.md §6): claims, load balancer locking, failover_amphora jobs,
// the failover_threshold circuit breaker, the start grace, the `failed`
// extension, and several health managers on one database.

const HOUR = 3_600_000
const SCAN_PROCESS = new URL('../support/health-scan-process.ts', import.meta.url).pathname

/** Runs test/support/health-scan-process.ts; resolves to what it printed. */
function runScanProcess(url: string, startAt: string, timeout: string): Promise<{ counters: { submitted: number; errors: number } }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', SCAN_PROCESS, url, startAt, timeout], { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`scan process failed: ${err.message}\n${stderr}`))
      else resolve(JSON.parse(stdout.trim().split('\n').pop()!))
    })
  })
}

const jobsOf = async (db: Database, amphoraId: string) =>
  (await db.db.selectFrom('job').select(['id', 'operation', 'provider', 'load_balancer_id', 'payload', 'state']).execute())
    .filter(j => JSON.parse(j.payload).amphoraId === amphoraId)
const lbStatus = async (db: Database, id: string) =>
  (await db.db.selectFrom('load_balancer').select('provisioning_status').where('id', '=', id).executeTakeFirstOrThrow()).provisioning_status
const ampStatus = async (db: Database, id: string) =>
  (await db.db.selectFrom('amphora').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status

/** An amphora-provider load balancer whose amphora was last heard `agoMs` ago. */
async function silentAmphora(db: Database, agoMs: number, o: Parameters<typeof seedLoadBalancer>[1] = {}) {
  const lb = await seedLoadBalancer(db.db, o)
  await upsertAmphoraHealth(db.db, lb.amphoraIds.map(amphoraId => ({ amphoraId, lastUpdate: Date.now() - agoMs })))
  return lb
}

for (const dialect of testDialects) {
  describe(`health manager failover (${dialect})`, () => {
    let database: Database
    let drop: () => Promise<void>
    before(async () => {
      const fresh = await freshDatabase(dialect)
      database = fresh.database
      drop = fresh.drop
    })
    after(async () => { await drop?.() })

    it('when an amphora is silent past the timeout, then one scan claims it, locks its load balancer and submits a failover job on the bus', async () => {
      const bus = new InProcessBus()
      const published: string[] = []
      bus.subscribe(async id => { published.push(id) })
      const h = await startHealthManager(database, { bus, settings: { heartbeat_timeout: 2 } })
      try {
        const lb = await silentAmphora(database, 10_000)
        const amp = lb.amphoraIds[0]!
        const r = await h.hm.scanOnce()
        assert.equal(r?.submitted, 1)
        const jobs = await jobsOf(database, amp)
        assert.deepEqual(jobs.map(j => [j.operation, j.provider, j.load_balancer_id, j.state]), [['failover_amphora', 'amphora', lb.lbId, 'PENDING']])
        assert.deepEqual(published, [jobs[0]!.id])
        assert.equal(await lbStatus(database, lb.lbId), 'PENDING_UPDATE')
        assert.equal((await findAmphoraHealth(database.db, amp))?.busy, 1)
        assert.equal((await h.hm.scanOnce())?.submitted, 0, 'a busy amphora is not claimed again')
        assert.equal((await jobsOf(database, amp)).length, 1)
        assert.deepEqual([h.hm.counters.scan.failoversSubmitted, h.hm.counters.failovers.submitted], [1, 1])
      } finally {
        await h.close()
      }
    })

    it('when the load balancer is immutable, then the stale amphora is skipped and left unclaimed; ERROR is failed over', async () => {
      const h = await startHealthManager(database, { settings: { heartbeat_timeout: 2 } })
      try {
        const busy = await silentAmphora(database, 10_000, { provisioningStatus: 'PENDING_UPDATE' })
        const broken = await silentAmphora(database, 10_000, { provisioningStatus: 'ERROR' })
        const building = await silentAmphora(database, 10_000, { amphoraStatus: 'PENDING_CREATE' })
        await h.hm.scanOnce()
        assert.equal((await jobsOf(database, busy.amphoraIds[0]!)).length, 0)
        assert.equal(await lbStatus(database, busy.lbId), 'PENDING_UPDATE')
        assert.equal((await findAmphoraHealth(database.db, busy.amphoraIds[0]!))?.busy, 0, 'the claim was rolled back')
        assert.equal(h.hm.counters.failovers.loadBalancerImmutable, 1)
        assert.equal((await jobsOf(database, broken.amphoraIds[0]!)).length, 1)
        assert.equal(await lbStatus(database, broken.lbId), 'PENDING_UPDATE')
        assert.equal((await jobsOf(database, building.amphoraIds[0]!)).length, 0, 'only ALLOCATED or FAILOVER_STOPPED amphorae')
      } finally {
        await h.close()
        await database.db.deleteFrom('amphora_health').execute()
      }
    })

    it('when the agent reports an amphora failed, then it is failed over at once, before the grace ends, and only once', async () => {
      const h = await startHealthManager(database, { settings: { heartbeat_timeout: 60 } })
      try {
        const lb = await seedLoadBalancer(database.db)
        const amp = lb.amphoraIds[0]!
        await h.deliver(heartbeatFor(lb, amp, 1))
        await h.deliver(heartbeatFor(lb, amp, 2, { failed: 'haproxy died unasked' }))
        for (let i = 0; i < 200 && (await jobsOf(database, amp)).length === 0; i++) await sleep(10)
        assert.equal((await jobsOf(database, amp)).length, 1)
        assert.equal(await lbStatus(database, lb.lbId), 'PENDING_UPDATE')
        assert.equal(h.hm.counters.scan.scans, 0, 'no stale scan ran: still in the grace')
        await h.deliver(heartbeatFor(lb, amp, 3, { failed: 'haproxy died unasked' }))
        await sleep(50)
        assert.equal((await jobsOf(database, amp)).length, 1, 'a busy amphora is not failed over twice')
        const fresh = await seedLoadBalancer(database.db)
        await h.deliver(heartbeatFor(fresh, fresh.amphoraIds[0]!, 1, { failed: 'namespace vanished' }))
        for (let i = 0; i < 200 && (await jobsOf(database, fresh.amphoraIds[0]!)).length === 0; i++) await sleep(10)
        assert.equal((await jobsOf(database, fresh.amphoraIds[0]!)).length, 1, 'also on its first heartbeat')
      } finally {
        await h.close()
        await database.db.deleteFrom('amphora_health').execute()
      }
    })

    it('when failover_threshold amphorae are stale at once, then all become FAILOVER_STOPPED, none fails over, and they return to ALLOCATED when heard again', async () => {
      const h = await startHealthManager(database, { settings: { heartbeat_timeout: 2, failover_threshold: 3 } })
      try {
        const lbs = [await silentAmphora(database, 10_000), await silentAmphora(database, 10_000), await silentAmphora(database, 10_000)]
        const amps = lbs.map(l => l.amphoraIds[0]!)
        const r = await h.hm.scanOnce()
        assert.deepEqual([r?.stale, r?.stopped, r?.submitted], [3, 3, 0])
        for (const a of amps) assert.equal(await ampStatus(database, a), 'FAILOVER_STOPPED')
        for (const l of lbs) assert.equal(await lbStatus(database, l.lbId), 'ACTIVE')
        assert.equal((await database.db.selectFrom('job').select('id').where('operation', '=', 'failover_amphora')
          .where('load_balancer_id', 'in', lbs.map(l => l.lbId)).execute()).length, 0)
        assert.equal((await h.hm.scanOnce())?.stopped, 0, 'stopped ones are not counted twice')
        await h.deliver(...lbs.map((l, i) => heartbeatFor(l, amps[i]!, 1)))
        const back = await h.hm.scanOnce()
        assert.deepEqual([back?.resumed, back?.stale], [3, 0])
        for (const a of amps) assert.equal(await ampStatus(database, a), 'ALLOCATED')
        assert.equal(h.hm.counters.scan.failoverStopped, 3)
      } finally {
        await h.close()
        await database.db.deleteFrom('amphora_health').execute()
      }
    })

    it('when the health manager starts after being down longer than the timeout, then amphorae that keep sending are not failed over; one that stops is', async () => {
      const keep = await silentAmphora(database, HOUR)
      const quiet = await silentAmphora(database, HOUR)
      const h = await startHealthManager(database, { settings: { heartbeat_timeout: 1.5, health_check_interval: 0.2 } })
      try {
        const sender = (async () => {
          for (let seq = 1; seq <= 12; seq++) {
            await h.send(heartbeatFor(keep, keep.amphoraIds[0]!, seq))
            await sleep(250)
          }
        })()
        await sender
        await h.settle()
        assert.ok(h.hm.counters.scan.scans >= 3, `scans ran after the grace: ${JSON.stringify(h.hm.counters.scan)}`)
        assert.equal((await jobsOf(database, keep.amphoraIds[0]!)).length, 0, 'the amphora that kept sending was not failed over')
        assert.equal((await jobsOf(database, quiet.amphoraIds[0]!)).length, 1, 'the silent one was')
        const started = Date.now()
        for (let i = 0; i < 400 && (await jobsOf(database, keep.amphoraIds[0]!)).length === 0; i++) await sleep(10)
        assert.equal((await jobsOf(database, keep.amphoraIds[0]!)).length, 1, 'once it stops sending it is failed over')
        assert.ok(Date.now() - started < 4000)
      } finally {
        await h.close()
        await database.db.deleteFrom('amphora_health').execute()
      }
    })
  })

  describe(`two health manager processes on one ${dialect} database`, () => {
    let url = ''
    let cleanup: () => Promise<void> = async () => {}
    let database: Database
    before(async () => {
      if (dialect === 'sqlite') {
        const dir = mkdtempSync(join(tmpdir(), 'hm-two-'))
        url = `sqlite:///${join(dir, 'octavia.sqlite')}`
        cleanup = async () => rmSync(dir, { recursive: true, force: true })
      } else {
        const fresh = await freshDatabase(dialect)
        await fresh.database.close()
        url = fresh.url
        cleanup = () => fresh.drop()
      }
      database = openDatabase(url)
      await migrateToLatest(database.db)
    })
    after(async () => {
      await database?.close()
      await cleanup()
    })

    it('when both scan the same stale amphorae at once, then each amphora gets exactly one failover job', async () => {
      for (let i = 0; i < 30; i++) await silentAmphora(database, 10_000)
      const startAt = String(Date.now() + 4000)
      const runs = await Promise.all([0, 1].map(() => runScanProcess(url, startAt, '2')))
      const jobs = await database.db.selectFrom('job').select(['payload']).where('operation', '=', 'failover_amphora').execute()
      const perAmphora = new Map<string, number>()
      for (const j of jobs) {
        const id = JSON.parse(j.payload).amphoraId as string
        perAmphora.set(id, (perAmphora.get(id) ?? 0) + 1)
      }
      assert.equal(perAmphora.size, 30)
      assert.deepEqual([...new Set(perAmphora.values())], [1])
      const submitted = runs.map(r => r.counters.submitted)
      assert.equal(submitted[0]! + submitted[1]!, 30, `split ${submitted.join('+')}`)
      assert.deepEqual(runs.map(r => r.counters.errors), [0, 0])
    })
  })
}
