/**
 * Housekeeping's certificate rotation bookkeeping on a real database (SQLite
 * and PostgreSQL): which amphorae are picked, one rotation per agent, the
 * cert_busy claim between two housekeeping processes, cert_rotate_threads,
 * and cert_busy cleared after a failure. The agent side is a stand-in that
 * issues real certificates from a throwaway CA (the real agent is covered by
 * test/e2e/cert-rotation.test.ts).
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, beforeEach, describe, it } from 'node:test'
import { loadConfig } from '../../src/common/config/load.js'
import { silentLogger } from '../../src/common/logging.js'
import type { Database } from '../../src/db/database.js'
import { compose } from '../../src/cmd/compose.js'
import { CertRotation, type RotateAgent } from '../../src/housekeeping/cert-rotation.js'
import { LocalCa } from '../../src/pki/local-ca.js'
import { freshDatabase, testDialects } from '../support/databases.js'

const DAY_MS = 86_400_000
const stored = (d: Date): string => d.toISOString().slice(0, 23)
const inDays = (days: number): string => stored(new Date(Date.now() + days * DAY_MS))

let caDir: string
let ca: LocalCa
before(async () => {
  caDir = await mkdtemp(join(tmpdir(), 'octavia-rotation-ca-'))
  ca = await LocalCa.open(caDir)
})
after(async () => { await rm(caDir, { recursive: true, force: true }) })

const config = (threads = 10) => loadConfig(undefined, {
  OCTAVIA_TS__DEFAULT__state_dir: caDir, OCTAVIA_TS__house_keeping__cert_rotate_threads: String(threads),
})

async function lb(d: Database, id: string, provider: string): Promise<void> {
  await d.db.insertInto('load_balancer').values({
    id, project_id: 'p', name: null, description: null, provisioning_status: 'ACTIVE', operating_status: 'ONLINE',
    enabled: 1, topology: 'SINGLE', provider, flavor_id: null, availability_zone: null, created_at: stored(new Date()), updated_at: null,
  }).execute()
}

async function amphora(
  d: Database, id: string, lbId: string, host: string | null, expiration: string | null,
  extra: { status?: string; busy?: number; updated?: string } = {},
): Promise<void> {
  await d.db.insertInto('amphora').values({
    id, load_balancer_id: lbId, compute_id: null, status: extra.status ?? 'ALLOCATED', lb_network_ip: host, vrrp_ip: null, ha_ip: null,
    vrrp_port_id: null, ha_port_id: null, role: 'STANDALONE', cert_expiration: expiration, cert_busy: extra.busy ?? 0,
    vrrp_interface: null, vrrp_id: null, vrrp_priority: null, cached_zone: null, image_id: null,
    compute_flavor: null, created_at: stored(new Date()), updated_at: extra.updated ?? null,
  }).execute()
}

const rows = async (d: Database) => Object.fromEntries((await d.db.selectFrom('amphora').select(['id', 'cert_expiration', 'cert_busy']).execute())
  .map((r) => [r.id, { expiration: r.cert_expiration, busy: Number(r.cert_busy) }]))

/** A stand-in agent side: issues a real certificate per call after `delayMs`, counting calls per host and concurrency. */
function recordingRotate(delayMs: number, fail: (host: string) => boolean = () => false) {
  const calls: string[] = []
  let active = 0
  let peak = 0
  const rotate: RotateAgent = async (host) => {
    calls.push(host)
    peak = Math.max(peak, ++active)
    try {
      await sleep(delayMs)
      if (fail(host)) throw new Error(`agent ${host} refused the certificate`)
      return (await ca.issueServer({ commonName: host, ipAddresses: [host], validityDays: 30 })).info
    } finally {
      active--
    }
  }
  return { rotate, calls, peak: () => peak }
}

for (const dialect of testDialects) {
  describe(`housekeeping certificate rotation (${dialect})`, () => {
    let db: Awaited<ReturnType<typeof freshDatabase>>
    beforeEach(async () => {
      await db?.drop()
      db = await freshDatabase(dialect)
      await lb(db.database, 'lb-amp', 'amphora')
      await lb(db.database, 'lb-oct', 'octavia')
      await lb(db.database, 'lb-noop', 'noop_driver')
    })
    after(async () => { await db.drop() })

    it('when amphorae are due, then exactly Octavia\'s selection is rotated, once per agent, and every live amphora of that agent gets the new expiry', async () => {
      const d = db.database
      const old = inDays(3)
      await amphora(d, 'a1', 'lb-amp', '127.0.0.11', old)
      await amphora(d, 'a2', 'lb-oct', '127.0.0.11', old)
      await amphora(d, 'a3-not-due', 'lb-amp', '127.0.0.11', inDays(20))
      await amphora(d, 'a4-unknown', 'lb-amp', '127.0.0.11', null)
      await amphora(d, 'b1', 'lb-amp', '127.0.0.12', old)
      await amphora(d, 'b2-abandoned-claim', 'lb-amp', '127.0.0.12', old, { busy: 1, updated: inDays(-2 / 24) })
      await amphora(d, 'x-deleted', 'lb-amp', '127.0.0.13', old, { status: 'DELETED' })
      await amphora(d, 'x-pending-delete', 'lb-amp', '127.0.0.13', old, { status: 'PENDING_DELETE' })
      await amphora(d, 'x-busy', 'lb-amp', '127.0.0.14', old, { busy: 1 })
      await amphora(d, 'x-noop', 'lb-noop', '192.0.2.7', old)
      await amphora(d, 'x-no-address', 'lb-amp', null, old)
      const side = recordingRotate(10)
      const rotation = new CertRotation(config(), { database: d, log: silentLogger(), rotate: side.rotate })

      const counts = await rotation.runOnce()
      assert.deepEqual(counts, { agents: 2, amphorae: 4, rotated: 2, failed: 0, skipped: 0 })
      assert.deepEqual([...side.calls].sort(), ['127.0.0.11', '127.0.0.12'])
      const r = await rows(d)
      const agent11 = r.a1?.expiration
      assert.ok(agent11 !== null && agent11 !== undefined && agent11 > inDays(29), `new expiry ${agent11}`)
      for (const id of ['a1', 'a2', 'a3-not-due', 'a4-unknown']) assert.deepEqual(r[id], { expiration: agent11, busy: 0 }, id)
      assert.ok((r.b1?.expiration ?? '') > inDays(29))
      assert.deepEqual(r['b2-abandoned-claim'], { expiration: r.b1?.expiration, busy: 0 }, 'a claim abandoned an hour ago is taken over')
      for (const id of ['x-deleted', 'x-pending-delete', 'x-noop', 'x-no-address']) assert.deepEqual(r[id], { expiration: old, busy: 0 }, id)
      assert.deepEqual(r['x-busy'], { expiration: old, busy: 1 }, 'an amphora another rotation holds (claimed just now) is left alone')
      assert.deepEqual(await rotation.runOnce(), { agents: 0, amphorae: 0, rotated: 0, failed: 0, skipped: 0 }, 'nothing due any more')
    })

    it('when two housekeeping processes run a round at once, then each agent is rotated by only one of them', async () => {
      const d = db.database
      for (let agent = 0; agent < 4; agent++) {
        for (let n = 0; n < 3; n++) await amphora(d, `amp-${agent}-${n}`, 'lb-amp', `127.0.1.${agent + 1}`, inDays(1))
      }
      const side = recordingRotate(150)
      const first = new CertRotation(config(), { database: d, log: silentLogger(), rotate: side.rotate })
      const second = new CertRotation(config(), { database: d, log: silentLogger(), rotate: side.rotate })
      const [a, b] = await Promise.all([first.runOnce(), second.runOnce()])
      assert.equal([...side.calls].sort().join(), ['127.0.1.1', '127.0.1.2', '127.0.1.3', '127.0.1.4'].join(), 'one rotation per agent in all')
      assert.equal(a.rotated + b.rotated, 4)
      assert.equal(a.failed + b.failed, 0)
      for (const [id, row] of Object.entries(await rows(d))) {
        assert.equal(row.busy, 0, id)
        assert.ok((row.expiration ?? '') > inDays(29), `${id} ${row.expiration}`)
      }
    })

    it('when more agents are due than cert_rotate_threads, then at most that many rotate at once', async () => {
      const d = db.database
      for (let agent = 0; agent < 5; agent++) await amphora(d, `amp-${agent}`, 'lb-amp', `127.0.2.${agent + 1}`, inDays(1))
      const side = recordingRotate(60)
      const counts = await new CertRotation(config(2), { database: d, log: silentLogger(), rotate: side.rotate }).runOnce()
      assert.equal(counts.rotated, 5)
      assert.equal(side.peak(), 2)
    })

    it('when a rotation fails, then cert_busy is cleared, the old expiry kept, and other agents still rotate', async () => {
      const d = db.database
      const old = inDays(2)
      await amphora(d, 'bad-1', 'lb-amp', '127.0.3.1', old)
      await amphora(d, 'bad-2', 'lb-amp', '127.0.3.1', old)
      await amphora(d, 'good', 'lb-amp', '127.0.3.2', old)
      const side = recordingRotate(10, (host) => host === '127.0.3.1')
      const rotation = new CertRotation(config(), { database: d, log: silentLogger(), rotate: side.rotate })
      assert.deepEqual(await rotation.runOnce(), { agents: 2, amphorae: 3, rotated: 1, failed: 1, skipped: 0 })
      const r = await rows(d)
      assert.deepEqual(r['bad-1'], { expiration: old, busy: 0 })
      assert.deepEqual(r['bad-2'], { expiration: old, busy: 0 })
      assert.ok((r.good?.expiration ?? '') > inDays(29))
      assert.equal((await rotation.runOnce()).failed, 1, 'the failed agent is tried again next round')
    })

    it('when the amphora driver is the noop one, then serve\'s housekeeping renews through it, as Octavia\'s noop gate does, contacting no agent', async () => {
      const d = db.database
      await amphora(d, 'noop-1', 'lb-amp', '192.0.2.1', inDays(2))
      await amphora(d, 'noop-2', 'lb-oct', '192.0.2.1', inDays(2))
      const noopConfig = loadConfig(undefined, {
        OCTAVIA_TS__DEFAULT__state_dir: join(caDir, 'no-such-dir'), OCTAVIA_TS__controller_worker__amphora_driver: 'amphora_noop_driver',
      })
      const rotation = compose({ config: noopConfig, database: d, log: silentLogger() }).housekeeping().find(r => r instanceof CertRotation)
      assert.deepEqual(await rotation?.runOnce(), { agents: 1, amphorae: 2, rotated: 1, failed: 0, skipped: 0 })
      for (const [id, row] of Object.entries(await rows(d))) {
        assert.ok(row.expiration !== null && row.expiration > inDays(29.9) && row.expiration <= inDays(30), `${id}: ${row.expiration}`)
      }
    })
  })
}
