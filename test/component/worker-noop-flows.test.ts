import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setTags } from '../../src/db/repositories/tag-repository.js'
import { nowIso } from '../../src/common/time.js'
import { freshDatabase, testDialects } from '../support/databases.js'
import {
  insertHealthMonitor, insertJobRow, insertL7Policy, insertL7Rule, insertListener, insertLoadBalancer, insertMember,
  insertPool, startTestWorker, statusOf, waitForJob, type TestWorker,
} from './worker-fixtures.js'
import type { Database, Dialect } from '../../src/db/database.js'

/** Runs `fn` with a fresh database and a started worker. */
async function withWorker(dialect: Dialect, fn: (database: Database, worker: TestWorker) => Promise<void>): Promise<void> {
  const { database, drop } = await freshDatabase(dialect)
  const worker = await startTestWorker(database)
  try {
    await fn(database, worker)
  } finally {
    await worker.stop()
    await drop()
  }
}

for (const dialect of testDialects) {
  test(`${dialect}: when a listener_create job is recorded, then the worker runs it to DONE and the listener and LB are ACTIVE`, () =>
    withWorker(dialect, async ({ db }, worker) => {
      await insertLoadBalancer(db, 'lb1', { provisioning_status: 'PENDING_UPDATE', operating_status: 'ONLINE' })
      await insertListener(db, 'li1', 'lb1')
      const jobId = await insertJobRow(db, 'listener_create', 'lb1', { listenerId: 'li1' })
      worker.bus.publish(jobId)
      const job = await waitForJob(db, jobId)
      assert.equal(job.state, 'DONE')
      assert.equal(job.step, 4)
      assert.equal(job.error, null)
      assert.equal(job.lease_expires_at, null)
      assert.equal(await statusOf(db, 'listener', 'li1'), 'ACTIVE/OFFLINE')
      assert.equal(await statusOf(db, 'load_balancer', 'lb1'), 'ACTIVE/ONLINE')
      assert.deepEqual(JSON.parse(job.results)['listener-to-error-on-revert'],
        { loadBalancerId: 'lb1', listenerIds: [], poolId: null, l7policyId: null })
    }))

  test(`${dialect}: when a graph loadbalancer_create job runs, then every object is ACTIVE with the operating statuses of api.md §0.4`, () =>
    withWorker(dialect, async ({ db }) => {
      await insertLoadBalancer(db, 'lb1')
      await insertPool(db, 'po1', 'lb1')
      await insertPool(db, 'po2', 'lb1', { enabled: 0, operating_status: 'ONLINE' })
      await insertListener(db, 'li1', 'lb1', { default_pool_id: 'po1' })
      await insertListener(db, 'li2', 'lb1', { enabled: 0, operating_status: 'ONLINE' })
      await insertMember(db, 'me1', 'po1', { operating_status: 'OFFLINE' })
      await insertMember(db, 'me2', 'po1', { enabled: 0, operating_status: 'NO_MONITOR' })
      await insertHealthMonitor(db, 'hm1', 'po1')
      await insertHealthMonitor(db, 'hm2', 'po2', { enabled: 0 })
      await insertL7Policy(db, 'lp1', 'li1')
      await insertL7Rule(db, 'lr1', 'lp1')
      await insertL7Rule(db, 'lr2', 'lp1', { enabled: 0 })
      const job = await waitForJob(db, await insertJobRow(db, 'loadbalancer_create', 'lb1', { loadBalancerId: 'lb1' }))
      assert.equal(job.state, 'DONE')
      assert.equal(await statusOf(db, 'load_balancer', 'lb1'), 'ACTIVE/OFFLINE')
      assert.equal(await statusOf(db, 'listener', 'li1'), 'ACTIVE/OFFLINE')
      assert.equal(await statusOf(db, 'listener', 'li2'), 'ACTIVE/OFFLINE')
      assert.equal(await statusOf(db, 'pool', 'po1'), 'ACTIVE/OFFLINE')
      assert.equal(await statusOf(db, 'pool', 'po2'), 'ACTIVE/OFFLINE')
      assert.equal(await statusOf(db, 'member', 'me1'), 'ACTIVE/OFFLINE')
      assert.equal(await statusOf(db, 'member', 'me2'), 'ACTIVE/OFFLINE')
      assert.equal(await statusOf(db, 'health_monitor', 'hm1'), 'ACTIVE/ONLINE')
      assert.equal(await statusOf(db, 'health_monitor', 'hm2'), 'ACTIVE/OFFLINE')
      assert.equal(await statusOf(db, 'l7policy', 'lp1'), 'ACTIVE/ONLINE')
      assert.equal(await statusOf(db, 'l7rule', 'lr1'), 'ACTIVE/ONLINE')
      assert.equal(await statusOf(db, 'l7rule', 'lr2'), 'ACTIVE/OFFLINE')
    }))

  test(`${dialect}: when a cascade loadbalancer_delete job runs, then children and tags go, the VIP is released and the LB and its amphorae are DELETED`, () =>
    withWorker(dialect, async ({ db }, worker) => {
      await insertLoadBalancer(db, 'lb1', { provisioning_status: 'PENDING_DELETE', operating_status: 'ONLINE' })
      await db.insertInto('vip').values({
        load_balancer_id: 'lb1', ip_address: '10.0.0.5', port_id: 'port-1', subnet_id: 's1', network_id: 'n1',
        qos_policy_id: null, octavia_owned: 1, vnic_type: 'normal', sg_ids: '[]',
      }).execute()
      await db.insertInto('additional_vip').values({ load_balancer_id: 'lb1', subnet_id: 's2', network_id: 'n2', port_id: 'port-2', ip_address: '10.1.0.5' }).execute()
      await db.insertInto('amphora').values({
        id: 'amp1', load_balancer_id: 'lb1', compute_id: null, status: 'ALLOCATED', lb_network_ip: null, vrrp_ip: null,
        ha_ip: null, vrrp_port_id: null, ha_port_id: null, role: 'STANDALONE', cert_expiration: null, cert_busy: 0,
        vrrp_interface: null, vrrp_id: null, vrrp_priority: null, cached_zone: null, image_id: null, compute_flavor: null,
        created_at: nowIso(), updated_at: null,
      }).execute()
      await insertPool(db, 'po1', 'lb1', { provisioning_status: 'PENDING_DELETE' })
      await insertPool(db, 'po2', 'lb1', { provisioning_status: 'PENDING_DELETE' })
      await insertListener(db, 'li1', 'lb1', { default_pool_id: 'po1', provisioning_status: 'PENDING_DELETE' })
      await insertMember(db, 'me1', 'po1')
      await insertHealthMonitor(db, 'hm1', 'po1')
      await insertL7Policy(db, 'lp1', 'li1', { action: 'REDIRECT_TO_POOL', redirect_pool_id: 'po2' })
      await insertL7Rule(db, 'lr1', 'lp1')
      for (const id of ['lb1', 'po1', 'li1', 'me1', 'hm1', 'lp1', 'lr1']) await setTags(db, id, ['t'])
      const job = await waitForJob(db, await insertJobRow(db, 'loadbalancer_delete', 'lb1', { loadBalancerId: 'lb1', cascade: true }))
      assert.equal(job.state, 'DONE', job.error ?? '')
      assert.equal((await db.selectFrom('load_balancer').select('provisioning_status').where('id', '=', 'lb1').executeTakeFirstOrThrow()).provisioning_status, 'DELETED')
      for (const t of ['listener', 'pool', 'member', 'health_monitor', 'l7policy', 'l7rule', 'tag'] as const) {
        assert.equal((await db.selectFrom(t).selectAll().execute()).length, 0, `${t} rows left`)
      }
      assert.deepEqual(await db.selectFrom('amphora').select(['id', 'status']).execute(), [{ id: 'amp1', status: 'DELETED' }])
      assert.deepEqual(worker.network.released.sort(), ['port-1', 'port-2'])
    }))

  test(`${dialect}: when a pool_delete job runs, then the pool and its children go and its listener and LB are ACTIVE`, () =>
    withWorker(dialect, async ({ db }) => {
      await insertLoadBalancer(db, 'lb1', { provisioning_status: 'PENDING_UPDATE' })
      await insertPool(db, 'po1', 'lb1', { provisioning_status: 'PENDING_DELETE' })
      await insertListener(db, 'li1', 'lb1', { default_pool_id: 'po1', provisioning_status: 'PENDING_UPDATE' })
      await insertMember(db, 'me1', 'po1', { provisioning_status: 'ACTIVE' })
      await insertHealthMonitor(db, 'hm1', 'po1', { provisioning_status: 'ACTIVE' })
      await setTags(db, 'me1', ['x'])
      const job = await waitForJob(db, await insertJobRow(db, 'pool_delete', 'lb1', { poolId: 'po1' }))
      assert.equal(job.state, 'DONE')
      assert.equal(await statusOf(db, 'pool', 'po1'), undefined)
      assert.equal(await statusOf(db, 'member', 'me1'), undefined)
      assert.equal(await statusOf(db, 'health_monitor', 'hm1'), undefined)
      assert.equal((await db.selectFrom('tag').selectAll().execute()).length, 0)
      assert.equal(await statusOf(db, 'listener', 'li1'), 'ACTIVE/OFFLINE')
      assert.equal((await db.selectFrom('listener').select('default_pool_id').executeTakeFirstOrThrow()).default_pool_id, null)
      assert.equal(await statusOf(db, 'load_balancer', 'lb1'), 'ACTIVE/OFFLINE')
    }))

  test(`${dialect}: when a health_monitor_delete job runs, then the pool's members are NO_MONITOR and pool, listener, LB ACTIVE`, () =>
    withWorker(dialect, async ({ db }) => {
      await insertLoadBalancer(db, 'lb1', { provisioning_status: 'PENDING_UPDATE' })
      await insertPool(db, 'po1', 'lb1', { provisioning_status: 'PENDING_UPDATE' })
      await insertListener(db, 'li1', 'lb1', { default_pool_id: 'po1', provisioning_status: 'PENDING_UPDATE' })
      await insertMember(db, 'me1', 'po1', { provisioning_status: 'ACTIVE', operating_status: 'ONLINE' })
      await insertHealthMonitor(db, 'hm1', 'po1', { provisioning_status: 'PENDING_DELETE', operating_status: 'ONLINE' })
      const job = await waitForJob(db, await insertJobRow(db, 'health_monitor_delete', 'lb1', { healthMonitorId: 'hm1' }))
      assert.equal(job.state, 'DONE')
      assert.equal(await statusOf(db, 'health_monitor', 'hm1'), undefined)
      assert.equal(await statusOf(db, 'member', 'me1'), 'ACTIVE/NO_MONITOR')
      assert.equal(await statusOf(db, 'pool', 'po1'), 'ACTIVE/OFFLINE')
      assert.equal(await statusOf(db, 'listener', 'li1'), 'ACTIVE/OFFLINE')
      assert.equal(await statusOf(db, 'load_balancer', 'lb1'), 'ACTIVE/OFFLINE')
    }))

  test(`${dialect}: when a member_batch_update job runs, then created and updated members are ACTIVE and deleted ones are gone`, () =>
    withWorker(dialect, async ({ db }) => {
      await insertLoadBalancer(db, 'lb1', { provisioning_status: 'PENDING_UPDATE' })
      await insertPool(db, 'po1', 'lb1', { provisioning_status: 'PENDING_UPDATE' })
      await insertMember(db, 'new1', 'po1')
      await insertMember(db, 'upd1', 'po1', { provisioning_status: 'PENDING_UPDATE', enabled: 0, operating_status: 'ONLINE' })
      await insertMember(db, 'del1', 'po1', { provisioning_status: 'PENDING_DELETE' })
      await insertMember(db, 'keep1', 'po1', { provisioning_status: 'ACTIVE' })
      const job = await waitForJob(db, await insertJobRow(db, 'member_batch_update', 'lb1',
        { poolId: 'po1', created: ['new1'], updated: ['upd1'], deleted: ['del1'] }))
      assert.equal(job.state, 'DONE')
      assert.equal(await statusOf(db, 'member', 'new1'), 'ACTIVE/NO_MONITOR')
      assert.equal(await statusOf(db, 'member', 'upd1'), 'ACTIVE/OFFLINE')
      assert.equal(await statusOf(db, 'member', 'del1'), undefined)
      assert.equal(await statusOf(db, 'member', 'keep1'), 'ACTIVE/NO_MONITOR')
      assert.equal(await statusOf(db, 'pool', 'po1'), 'ACTIVE/OFFLINE')
      assert.equal(await statusOf(db, 'load_balancer', 'lb1'), 'ACTIVE/OFFLINE')
    }))

  test(`${dialect}: when l7 policy and rule jobs run, then they are ACTIVE/ONLINE and a rule delete leaves policy, listener, LB ACTIVE`, () =>
    withWorker(dialect, async ({ db }) => {
      await insertLoadBalancer(db, 'lb1', { provisioning_status: 'PENDING_UPDATE' })
      await insertListener(db, 'li1', 'lb1', { provisioning_status: 'PENDING_UPDATE' })
      await insertL7Policy(db, 'lp1', 'li1')
      const j1 = await waitForJob(db, await insertJobRow(db, 'l7policy_create', 'lb1', { l7policyId: 'lp1' }))
      assert.equal(j1.state, 'DONE')
      assert.equal(await statusOf(db, 'l7policy', 'lp1'), 'ACTIVE/ONLINE')
      assert.equal(await statusOf(db, 'listener', 'li1'), 'ACTIVE/OFFLINE')
      await insertL7Rule(db, 'lr1', 'lp1', { provisioning_status: 'PENDING_DELETE' })
      await db.updateTable('l7policy').set({ provisioning_status: 'PENDING_UPDATE' }).execute()
      const j2 = await waitForJob(db, await insertJobRow(db, 'l7rule_delete', 'lb1', { l7ruleId: 'lr1' }))
      assert.equal(j2.state, 'DONE')
      assert.equal(await statusOf(db, 'l7rule', 'lr1'), undefined)
      assert.equal(await statusOf(db, 'l7policy', 'lp1'), 'ACTIVE/ONLINE')
      assert.equal(await statusOf(db, 'load_balancer', 'lb1'), 'ACTIVE/OFFLINE')
    }))

  test(`${dialect}: when a job names a provider that is not enabled, then it FAILs and leaves the object ERROR and its parents ACTIVE`, () =>
    withWorker(dialect, async ({ db }) => {
      await insertLoadBalancer(db, 'lb1', { provisioning_status: 'PENDING_UPDATE' })
      await insertPool(db, 'po1', 'lb1', { provisioning_status: 'PENDING_UPDATE' })
      await insertListener(db, 'li1', 'lb1', { default_pool_id: 'po1', provisioning_status: 'PENDING_UPDATE' })
      await insertMember(db, 'me1', 'po1')
      const job = await waitForJob(db, await insertJobRow(db, 'member_create', 'lb1', { memberId: 'me1' }, { provider: 'nosuch' }))
      assert.equal(job.state, 'FAILED')
      assert.equal(job.step, 0)
      assert.match(job.error ?? '', /provider 'nosuch' is not enabled/)
      assert.equal(await statusOf(db, 'member', 'me1'), 'ERROR/NO_MONITOR')
      assert.equal(await statusOf(db, 'pool', 'po1'), 'ACTIVE/OFFLINE')
      assert.equal(await statusOf(db, 'listener', 'li1'), 'ACTIVE/OFFLINE')
      assert.equal(await statusOf(db, 'load_balancer', 'lb1'), 'ACTIVE/OFFLINE')
    }))

  test(`${dialect}: when a job has an unknown operation, then it is FAILED without touching any row`, () =>
    withWorker(dialect, async ({ db }) => {
      await insertLoadBalancer(db, 'lb1', { provisioning_status: 'PENDING_UPDATE' })
      const job = await waitForJob(db, await insertJobRow(db, 'frobnicate', 'lb1', {}))
      assert.equal(job.state, 'FAILED')
      assert.match(job.error ?? '', /unknown operation 'frobnicate'/)
      assert.equal(await statusOf(db, 'load_balancer', 'lb1'), 'PENDING_UPDATE/OFFLINE')
    }))
}
