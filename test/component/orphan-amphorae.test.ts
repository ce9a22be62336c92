import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import type { AmphoraInventory } from '../../src/amphora-api/agent-api.js'
import { loadConfig } from '../../src/common/config/load.js'
import { silentLogger } from '../../src/common/logging.js'
import type { Database } from '../../src/db/database.js'
import type { AgentEndpoint } from '../../src/drivers/amphora/amphora-driver.js'
import { NoopComputeDriver, noopComputeId } from '../../src/drivers/compute/noop/noop-compute-driver.js'
import { OrphanAmphorae, type HostAgent } from '../../src/housekeeping/orphan-amphorae.js'
import { freshDatabase, testDialects } from '../support/databases.js'

const ENDPOINT: AgentEndpoint = { host: '127.0.0.1', port: 9443 }

/** An agent that reports a fixed inventory and records what it was told to delete. */
class RecordingAgent implements HostAgent {
  inventory: AmphoraInventory = { registered: [], unregistered: [] }
  readonly deleted: string[] = []
  failDeletes = false

  async listAmphorae(): Promise<AmphoraInventory> { return this.inventory }

  async deleteAmphora(_ep: AgentEndpoint, amphoraId: string): Promise<void> {
    if (this.failDeletes) throw new Error('agent unreachable')
    this.deleted.push(amphoraId)
    this.inventory = {
      registered: this.inventory.registered.filter((id) => id !== amphoraId),
      unregistered: this.inventory.unregistered.filter((u) => u.id !== amphoraId),
    }
  }
}

/** The noop compute driver, except that the instances named `foreign` carry no owner mark of ours. */
class HostWithStrangers extends NoopComputeDriver {
  readonly foreign = new Set<string>()
  override async ownedHere(computeId: string): Promise<boolean> {
    return !this.foreign.has(computeId) && super.ownedHere(computeId)
  }
}

async function amphoraRow(database: Database, id: string, status: string): Promise<void> {
  await database.db.insertInto('amphora').values({
    id, load_balancer_id: null, compute_id: noopComputeId(id), status, lb_network_ip: '127.0.0.1', vrrp_ip: null, ha_ip: null,
    vrrp_port_id: null, ha_port_id: null, role: 'STANDALONE', cert_expiration: null, cert_busy: 0,
    vrrp_interface: null, vrrp_id: null, vrrp_priority: null, cached_zone: null, image_id: null,
    compute_flavor: null, created_at: '2026-12-01T00:00:00.000', updated_at: null,
  }).execute()
}

for (const dialect of testDialects) {
  describe(`orphan amphorae sweep (${dialect})`, () => {
    let db: Awaited<ReturnType<typeof freshDatabase>>
    let agent: RecordingAgent
    let compute: HostWithStrangers
    before(async () => { db = await freshDatabase(dialect) })
    after(async () => { await db.drop() })

    /**
     * The host: `live` (ALLOCATED row, registered, instance), `zombie` (DELETED row, still registered),
     * `lost` (no row; only its processes run), `marked` (no row; only its instance, with our mark),
     * `stranger` (no row; an instance named like ours without our mark).
     */
    beforeEach(async () => {
      await db.database.db.deleteFrom('amphora').execute()
      await amphoraRow(db.database, 'live', 'ALLOCATED')
      await amphoraRow(db.database, 'zombie', 'DELETED')
      agent = new RecordingAgent()
      agent.inventory = { registered: ['live', 'zombie'], unregistered: [{ id: 'lost', pids: [4242, 4243] }] }
      compute = new HostWithStrangers()
      for (const id of ['live', 'marked', 'stranger']) await compute.build({ amphoraId: id, loadBalancerId: 'lb' }, new AbortController().signal)
      compute.foreign.add(noopComputeId('stranger'))
    })

    const sweep = (remove: boolean): OrphanAmphorae => new OrphanAmphorae(
      { ...loadConfig(undefined, {}).house_keeping, remove_orphan_amphorae: remove },
      { database: db.database, compute, agent: async () => agent, endpoint: ENDPOINT, log: silentLogger() },
    )

    it('when amphorae on the host have no live row, then exactly those proven ours are removed and counted', async () => {
      const s = sweep(true)
      assert.deepEqual(await s.runOnce(), { orphans: 3, removed: 3, failed: 0 })
      assert.deepEqual(agent.deleted.sort(), ['lost', 'marked', 'zombie'])
      assert.deepEqual([...compute.built].sort(), [noopComputeId('live'), noopComputeId('stranger')].sort(), 'the orphan\'s instance deleted, the stranger\'s and the live one kept')
      assert.deepEqual(s.counters, { present: 0, found: 3, removed: 3, failed: 0, rounds: 1 })
      assert.deepEqual(await s.runOnce(), { orphans: 0, removed: 0, failed: 0 }, 'a second round finds nothing')
    })

    it('when removal is off, then orphans are counted once however many rounds see them, and nothing is touched', async () => {
      const s = sweep(false)
      assert.deepEqual(await s.runOnce(), { orphans: 3, removed: 0, failed: 0 })
      assert.deepEqual(await s.runOnce(undefined, { confirmed: true }), { orphans: 3, removed: 0, failed: 0 })
      assert.deepEqual(s.counters, { present: 3, found: 3, removed: 0, failed: 0, rounds: 2 })
      assert.deepEqual(agent.deleted, [])
      assert.deepEqual([...compute.built].sort(), [noopComputeId('live'), noopComputeId('marked'), noopComputeId('stranger')].sort())
    })

    it('when a periodic round sees an orphan for the first time, then only the next round removes it', async () => {
      const s = sweep(true)
      assert.deepEqual(await s.runOnce(undefined, { confirmed: true }), { orphans: 3, removed: 0, failed: 0 })
      assert.deepEqual(agent.deleted, [])
      assert.deepEqual(await s.runOnce(undefined, { confirmed: true }), { orphans: 3, removed: 3, failed: 0 })
      assert.deepEqual(s.counters, { present: 0, found: 3, removed: 3, failed: 0, rounds: 2 })
    })

    it('when the agent cannot remove an orphan, then its instance still goes, the failure is counted and the orphan stays present', async () => {
      agent.failDeletes = true
      const s = sweep(true)
      assert.deepEqual(await s.runOnce(), { orphans: 3, removed: 0, failed: 3 })
      assert.deepEqual([...compute.built].sort(), [noopComputeId('live'), noopComputeId('stranger')].sort(), 'the instance delete does not depend on the agent')
      assert.deepEqual(s.counters, { present: 3, found: 3, removed: 0, failed: 3, rounds: 1 })
      agent.failDeletes = false
      assert.deepEqual(await s.runOnce(), { orphans: 2, removed: 2, failed: 0 }, 'retried next round (the marked one has nothing left)')
      assert.deepEqual(s.counters, { present: 0, found: 3, removed: 2, failed: 3, rounds: 2 })
    })

    it('when the agent cannot be reached, then the round throws and start logs it and carries on', async () => {
      const s = new OrphanAmphorae(loadConfig(undefined, {}).house_keeping, {
        database: db.database, compute, agent: async () => { throw new Error('no TLS material') }, endpoint: ENDPOINT, log: silentLogger(),
      })
      await assert.rejects(s.runOnce(), /no TLS material/)
      const abort = new AbortController()
      await s.start(abort.signal)
      abort.abort()
      await s.stopped
      assert.equal(s.counters.rounds, 0)
    })
  })
}
