import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'
import { activePool, addPool, forceStatus, jobsOf, settle, statusOf } from '../support/pool-fixtures.js'

const membersUrl = (poolId: string) => `/v2/lbaas/pools/${poolId}/members`
const memberUrl = (poolId: string, id: string) => `${membersUrl(poolId)}/${id}`

for (const dialect of testDialects) {
  describe(`members (${dialect})`, () => {
    let h: Harness
    before(async () => { h = await startHarness(dialect) })
    after(async () => { await h.close() })

    /** Creates a member and waits for the worker to finish it. */
    const member = async (poolId: string, lbId: string, body: Record<string, unknown>) => {
      const r = await h.request('POST', membersUrl(poolId), { member: body })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      await settle(h, lbId)
      return r.body.member
    }
    const fault = async (method: string, url: string, body: unknown, status: number, message: string) => {
      const r = await h.request(method, url, body)
      assert.equal(r.status, status, JSON.stringify(r.body))
      assert.equal(r.body.faultstring, message)
    }

    describe('create', () => {
      it('when only address and port are given, then the defaults are filled and the project is the LB one', async () => {
        const f = await activePool(h)
        const r = await h.request('POST', membersUrl(f.poolId),
          { member: { address: '192.0.2.10', protocol_port: 80, project_id: 'someone-else' } })
        assert.equal(r.status, 201)
        const m = r.body.member
        assert.equal(m.name, '')
        assert.equal(m.admin_state_up, true)
        assert.equal(m.weight, 1)
        assert.equal(m.backup, false)
        assert.equal(m.subnet_id, null)
        assert.equal(m.monitor_address, null)
        assert.equal(m.monitor_port, null)
        assert.deepEqual(m.tags, [])
        assert.equal(m.vnic_type, 'normal')
        assert.equal(m.provisioning_status, 'PENDING_CREATE')
        assert.equal(m.operating_status, 'NO_MONITOR')
        assert.equal(m.project_id, f.projectId)
        assert.match(m.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/)
        assert.equal(m.updated_at, null)
        assert.equal('tenant_id' in m, false)
        await settle(h, f.lbId)
        const got = await h.request('GET', memberUrl(f.poolId, m.id))
        assert.equal(got.body.member.provisioning_status, 'ACTIVE')
        assert.equal(await statusOf(h, 'pool', f.poolId), 'ACTIVE')
      })

      it('when every field is given, then they are stored and rendered', async () => {
        const f = await activePool(h)
        const subnetId = h.deps.network.listSubnets()[0].id
        const m = await member(f.poolId, f.lbId, {
          address: '2001:db8::5', protocol_port: 8080, name: 'web', admin_state_up: false, weight: 0, backup: true,
          subnet_id: subnetId, monitor_address: '192.0.2.3', monitor_port: 9000, tags: ['b', 'a'], request_sriov: false,
        })
        assert.deepEqual(
          [m.address, m.protocol_port, m.name, m.admin_state_up, m.weight, m.backup, m.subnet_id, m.monitor_address, m.monitor_port, m.tags],
          ['2001:db8::5', 8080, 'web', false, 0, true, subnetId, '192.0.2.3', 9000, ['a', 'b']])
      })

      it('when the pool has a health monitor, then the member starts OFFLINE', async () => {
        const f = await activePool(h)
        const hm = await h.request('POST', '/v2/lbaas/healthmonitors',
          { healthmonitor: { pool_id: f.poolId, type: 'TCP', delay: 1, timeout: 1, max_retries: 1 } })
        assert.equal(hm.status, 201)
        await settle(h, f.lbId)
        const r = await h.request('POST', membersUrl(f.poolId), { member: { address: '192.0.2.1', protocol_port: 80 } })
        assert.equal(r.body.member.operating_status, 'OFFLINE')
        await settle(h, f.lbId)
      })

      it('when a member is created, then one member_create job is recorded for the LB provider', async () => {
        const f = await activePool(h)
        const m = await member(f.poolId, f.lbId, { address: '192.0.2.1', protocol_port: 80 })
        assert.deepEqual(await jobsOf(h, f.lbId), [{ operation: 'member_create', payload: { memberId: m.id } }])
      })

      it('when the path uses /v2.0, then it is the same resource', async () => {
        const f = await activePool(h)
        const m = await member(f.poolId, f.lbId, { address: '192.0.2.1', protocol_port: 80 })
        const r = await h.request('GET', `/v2.0/lbaas/pools/${f.poolId}/members/${m.id}`)
        assert.equal(r.body.member.id, m.id)
      })
    })

    describe('create validation', () => {
      let f: Awaited<ReturnType<typeof activePool>>
      before(async () => { f = await activePool(h) })
      const post = (member: unknown, status: number, message: string) => fault('POST', membersUrl(f.poolId), { member }, status, message)

      it('when address is missing, then 400 Mandatory field missing', () =>
        post({ protocol_port: 80 }, 400, "Invalid input for field/attribute address. Value: 'None'. Mandatory field missing."))
      it('when address is not an IP, then 400', () =>
        post({ address: '192.0.2', protocol_port: 80 }, 400,
          "Invalid input for field/attribute address. Value: '192.0.2'. Value should be IPv4 or IPv6 format"))
      it('when protocol_port is 0, then 400', () =>
        post({ address: '192.0.2.1', protocol_port: 0 }, 400,
          "Invalid input for field/attribute protocol_port. Value: '0'. Value should be greater or equal to 1"))
      it('when protocol_port is 65536, then 400', () =>
        post({ address: '192.0.2.1', protocol_port: 65536 }, 400,
          "Invalid input for field/attribute protocol_port. Value: '65536'. Value should be lower or equal to 65535"))
      it('when weight is 257, then 400', () =>
        post({ address: '192.0.2.1', protocol_port: 80, weight: 257 }, 400,
          "Invalid input for field/attribute weight. Value: '257'. Value should be lower or equal to 256"))
      it('when weight is -1, then 400', () =>
        post({ address: '192.0.2.1', protocol_port: 80, weight: -1 }, 400,
          "Invalid input for field/attribute weight. Value: '-1'. Value should be greater or equal to 0"))
      it('when monitor_port is 0, then 400', () =>
        post({ address: '192.0.2.1', protocol_port: 80, monitor_port: 0 }, 400,
          "Invalid input for field/attribute monitor_port. Value: '0'. Value should be greater or equal to 1"))
      it('when monitor_address is not an IP, then 400', () =>
        post({ address: '192.0.2.1', protocol_port: 80, monitor_address: 'host' }, 400,
          "Invalid input for field/attribute monitor_address. Value: 'host'. Value should be IPv4 or IPv6 format"))
      it('when subnet_id is not a UUID, then 400', () =>
        post({ address: '192.0.2.1', protocol_port: 80, subnet_id: 'abc' }, 400,
          "Invalid input for field/attribute subnet_id. Value: 'abc'. Value should be UUID format"))
      it('when name is longer than 255, then 400', () =>
        post({ address: '192.0.2.1', protocol_port: 80, name: 'x'.repeat(256) }, 400,
          `Invalid input for field/attribute name. Value: '${'x'.repeat(256)}'. Value should have a maximum character requirement of 255`))
      it('when the address is reserved, then 400', () =>
        post({ address: '169.254.169.254', protocol_port: 80 }, 400, '169.254.169.254 is not a valid option for member address'))
      it('when the subnet does not exist, then 400 Subnet not found', async () => {
        const id = randomUUID()
        await post({ address: '192.0.2.1', protocol_port: 80, subnet_id: id }, 400, `Subnet ${id} not found.`)
      })
      it('when SR-IOV is requested, then 400 (no flavor allows it)', () =>
        post({ address: '192.0.2.1', protocol_port: 80, request_sriov: true }, 400,
          'The load balancer flavor does not allow SR-IOV member ports.'))
      it('when an unknown attribute is given, then 400', async () => {
        const r = await h.request('POST', membersUrl(f.poolId), { member: { address: '192.0.2.1', protocol_port: 80, bogus: 1 } })
        assert.equal(r.status, 400)
        assert.match(r.body.faultstring, /Unknown attribute .*bogus/)
      })
      it('when nothing was created by the failures, then the LB and pool are still ACTIVE', async () => {
        assert.equal(await statusOf(h, 'load_balancer', f.lbId), 'ACTIVE')
        assert.equal(await statusOf(h, 'pool', f.poolId), 'ACTIVE')
        assert.deepEqual((await h.request('GET', membersUrl(f.poolId))).body.members, [])
      })
    })

    describe('404 and 409', () => {
      it('when the pool does not exist, then every member route answers 404 Pool not found', async () => {
        const poolId = randomUUID()
        const msg = `Pool ${poolId} not found.`
        await fault('GET', membersUrl(poolId), undefined, 404, msg)
        await fault('POST', membersUrl(poolId), { member: { bogus: true } }, 404, msg)
        await fault('PUT', membersUrl(poolId), { members: [] }, 404, msg)
        await fault('GET', memberUrl(poolId, randomUUID()), undefined, 404, msg)
        await fault('PUT', memberUrl(poolId, randomUUID()), { member: {} }, 404, msg)
        await fault('DELETE', memberUrl(poolId, randomUUID()), undefined, 404, msg)
      })

      it('when the member does not exist or is on another pool, then 404 Member not found', async () => {
        const f = await activePool(h)
        const other = await addPool(h, f.lbId, f.projectId)
        const m = await member(f.poolId, f.lbId, { address: '192.0.2.1', protocol_port: 80 })
        const missing = randomUUID()
        await fault('GET', memberUrl(f.poolId, missing), undefined, 404, `Member ${missing} not found.`)
        await fault('GET', memberUrl(other, m.id), undefined, 404, `Member ${m.id} not found.`)
        await fault('PUT', memberUrl(other, m.id), { member: { name: 'x' } }, 404, `Member ${m.id} not found.`)
        await fault('DELETE', memberUrl(other, m.id), undefined, 404, `Member ${m.id} not found.`)
        assert.equal(await statusOf(h, 'load_balancer', f.lbId), 'ACTIVE')
      })

      it('when the address and port are already used in the pool, then 409', async () => {
        const f = await activePool(h)
        await member(f.poolId, f.lbId, { address: '192.0.2.1', protocol_port: 80 })
        await fault('POST', membersUrl(f.poolId), { member: { address: '192.0.2.1', protocol_port: 80 } }, 409,
          'Another member on this pool is already using ip 192.0.2.1 on protocol_port 80')
        assert.equal(await statusOf(h, 'load_balancer', f.lbId), 'ACTIVE')
        const other = await addPool(h, f.lbId, f.projectId)
        await member(other, f.lbId, { address: '192.0.2.1', protocol_port: 80 })
      })

      it('when the load balancer is not ACTIVE, then every write answers 409 immutable', async () => {
        const f = await activePool(h)
        const m = await member(f.poolId, f.lbId, { address: '192.0.2.1', protocol_port: 80 })
        await forceStatus(h, 'load_balancer', f.lbId, 'PENDING_UPDATE')
        const msg = `Load Balancer ${f.lbId} is immutable and cannot be updated.`
        await fault('POST', membersUrl(f.poolId), { member: { address: '192.0.2.2', protocol_port: 80 } }, 409, msg)
        await fault('PUT', memberUrl(f.poolId, m.id), { member: { name: 'x' } }, 409, msg)
        await fault('DELETE', memberUrl(f.poolId, m.id), undefined, 409, msg)
        await fault('PUT', membersUrl(f.poolId), { members: [] }, 409, msg)
        assert.equal(await statusOf(h, 'pool', f.poolId), 'ACTIVE')
        assert.equal(await statusOf(h, 'member', m.id), 'ACTIVE')
      })

      it('when the pool is not ACTIVE, then every write answers 409 Pool immutable', async () => {
        const f = await activePool(h)
        const m = await member(f.poolId, f.lbId, { address: '192.0.2.1', protocol_port: 80 })
        await forceStatus(h, 'pool', f.poolId, 'ERROR')
        const msg = `Pool ${f.poolId} is immutable and cannot be updated.`
        await fault('POST', membersUrl(f.poolId), { member: { address: '192.0.2.2', protocol_port: 80 } }, 409, msg)
        await fault('PUT', memberUrl(f.poolId, m.id), { member: { name: 'x' } }, 409, msg)
        await fault('DELETE', memberUrl(f.poolId, m.id), undefined, 409, msg)
        await fault('PUT', membersUrl(f.poolId), { members: [] }, 409, msg)
        assert.equal(await statusOf(h, 'load_balancer', f.lbId), 'ACTIVE')
      })
    })

    describe('update and delete', () => {
      it('when name, weight and tags change, then the member is PENDING_UPDATE then ACTIVE with them', async () => {
        const f = await activePool(h)
        const m = await member(f.poolId, f.lbId, { address: '192.0.2.1', protocol_port: 80, name: 'a', tags: ['old'] })
        const r = await h.request('PUT', memberUrl(f.poolId, m.id), { member: { name: 'b', weight: 7, tags: ['new'] } })
        assert.equal(r.status, 200)
        assert.equal(r.body.member.provisioning_status, 'PENDING_UPDATE')
        assert.equal(r.body.member.created_at, m.created_at)
        await settle(h, f.lbId)
        const got = (await h.request('GET', memberUrl(f.poolId, m.id))).body.member
        assert.deepEqual([got.name, got.weight, got.tags, got.provisioning_status], ['b', 7, ['new'], 'ACTIVE'])
        assert.notEqual(got.updated_at, null)
        assert.deepEqual((await jobsOf(h, f.lbId)).map(j => j.operation), ['member_create', 'member_update'])
      })

      it('when optional fields are set to null, then they revert to their defaults', async () => {
        const f = await activePool(h)
        const m = await member(f.poolId, f.lbId, {
          address: '192.0.2.1', protocol_port: 80, name: 'n', backup: true, weight: 10, monitor_address: '192.0.2.2', monitor_port: 8888,
        })
        const r = await h.request('PUT', memberUrl(f.poolId, m.id),
          { member: { name: null, backup: null, weight: null, monitor_address: null, monitor_port: null } })
        assert.equal(r.status, 200)
        const u = r.body.member
        assert.deepEqual([u.name, u.backup, u.weight, u.monitor_address, u.monitor_port], ['', false, 1, null, null])
        await settle(h, f.lbId)
      })

      it('when address or port is in a PUT, then 400 unknown attribute', async () => {
        const f = await activePool(h)
        const m = await member(f.poolId, f.lbId, { address: '192.0.2.1', protocol_port: 80 })
        const r = await h.request('PUT', memberUrl(f.poolId, m.id), { member: { protocol_port: 81 } })
        assert.equal(r.status, 400)
        assert.match(r.body.faultstring, /Unknown attribute .*protocol_port/)
      })

      it('when a member is deleted, then it is PENDING_DELETE and then gone', async () => {
        const f = await activePool(h, { listener: true })
        const m = await member(f.poolId, f.lbId, { address: '192.0.2.1', protocol_port: 80, tags: ['t'] })
        const r = await h.request('DELETE', memberUrl(f.poolId, m.id))
        assert.equal(r.status, 204)
        assert.equal(r.body, null)
        await settle(h, f.lbId)
        await fault('GET', memberUrl(f.poolId, m.id), undefined, 404, `Member ${m.id} not found.`)
        assert.equal(await statusOf(h, 'listener', f.listenerId as string), 'ACTIVE')
        const tags = await h.deps.database.db.selectFrom('tag').selectAll().where('resource_id', '=', m.id).execute()
        assert.deepEqual(tags, [])
      })
    })

    describe('batch update', () => {
      const batch = (poolId: string, members: unknown[], query = '') =>
        h.request('PUT', `${membersUrl(poolId)}${query}`, { members })
      const byAddress = async (poolId: string) => {
        const list = (await h.request('GET', membersUrl(poolId))).body.members as any[]
        return Object.fromEntries(list.map(m => [`${m.address}:${m.protocol_port}`, m]))
      }
      const fourMembers = async () => {
        const f = await activePool(h)
        const ids: string[] = []
        for (const a of ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4']) {
          ids.push((await member(f.poolId, f.lbId, { address: a, protocol_port: 80 })).id)
        }
        return { f, ids }
      }

      it('when members are added, kept and omitted, then they are created, updated and deleted in one job', async () => {
        const { f, ids } = await fourMembers()
        const r = await batch(f.poolId, [
          { address: '192.0.2.1', protocol_port: 80, weight: 5 }, { address: '192.0.2.2', protocol_port: 80 },
          { address: '192.0.2.5', protocol_port: 80 }, { address: '192.0.2.6', protocol_port: 80, name: 'six' },
        ])
        assert.equal(r.status, 202)
        assert.equal(r.body, null)
        await settle(h, f.lbId)
        const done = await byAddress(f.poolId)
        const job = (await jobsOf(h, f.lbId)).at(-1)
        assert.equal(job?.operation, 'member_batch_update')
        assert.deepEqual(job?.payload, {
          poolId: f.poolId, created: [done['192.0.2.5:80'].id, done['192.0.2.6:80'].id],
          updated: [ids[0], ids[1]], deleted: [ids[2], ids[3]],
        })
        assert.deepEqual(Object.keys(done).sort(), ['192.0.2.1:80', '192.0.2.2:80', '192.0.2.5:80', '192.0.2.6:80'])
        assert.equal(done['192.0.2.1:80'].weight, 5)
        assert.equal(done['192.0.2.6:80'].name, 'six')
        assert.ok(Object.values(done).every((m: any) => m.provisioning_status === 'ACTIVE'))
      })

      it('when an existing member is listed without its optional fields, then they revert to defaults', async () => {
        const f = await activePool(h)
        const m = await member(f.poolId, f.lbId, {
          address: '192.0.2.1', protocol_port: 80, name: 'keep', weight: 10, backup: true, admin_state_up: false,
          monitor_address: '192.0.2.9', monitor_port: 8080, tags: ['t1'],
        })
        assert.equal((await batch(f.poolId, [{ address: '192.0.2.1', protocol_port: 80 }])).status, 202)
        await settle(h, f.lbId)
        const u = (await h.request('GET', memberUrl(f.poolId, m.id))).body.member
        assert.deepEqual([u.name, u.weight, u.backup, u.admin_state_up, u.monitor_address, u.monitor_port, u.tags],
          ['keep', 1, false, true, null, null, ['t1']])
      })

      it('when additive_only is true, then omitted members are left alone', async () => {
        const { f, ids } = await fourMembers()
        const r = await batch(f.poolId, [
          { address: '192.0.2.1', protocol_port: 80 }, { address: '192.0.2.5', protocol_port: 80 },
        ], '?additive_only=True')
        assert.equal(r.status, 202)
        await settle(h, f.lbId)
        const after = await byAddress(f.poolId)
        const job = (await jobsOf(h, f.lbId)).at(-1)
        assert.deepEqual(job?.payload, { poolId: f.poolId, created: [after['192.0.2.5:80'].id], updated: [ids[0]], deleted: [] })
        assert.equal(Object.keys(await byAddress(f.poolId)).length, 5)
      })

      it('when the list is empty and the pool is empty, then 202 without a job or a lock', async () => {
        const f = await activePool(h)
        assert.equal((await batch(f.poolId, [])).status, 202)
        assert.deepEqual(await jobsOf(h, f.lbId), [])
        assert.equal(await statusOf(h, 'load_balancer', f.lbId), 'ACTIVE')
        assert.equal(await statusOf(h, 'pool', f.poolId), 'ACTIVE')
      })

      it('when the list is empty and the pool has members, then all of them are deleted', async () => {
        const { f } = await fourMembers()
        assert.equal((await batch(f.poolId, [])).status, 202)
        await settle(h, f.lbId)
        assert.deepEqual(await byAddress(f.poolId), {})
      })

      it('when an existing member is listed twice, then 400 and nothing changes', async () => {
        const { f } = await fourMembers()
        const r = await batch(f.poolId, [
          { address: '192.0.2.1', protocol_port: 80, name: 'a' }, { address: '192.0.2.1', protocol_port: 80, name: 'b' },
        ])
        assert.equal(r.status, 400)
        assert.equal(r.body.faultstring, 'Validation failure: Member must be updated only once in the same request.')
        assert.equal(await statusOf(h, 'load_balancer', f.lbId), 'ACTIVE')
        assert.ok(Object.values(await byAddress(f.poolId)).every((m: any) => m.provisioning_status === 'ACTIVE'))
      })

      it('when a new member is listed twice, then 409 duplicate', async () => {
        const f = await activePool(h)
        const r = await batch(f.poolId, [{ address: '192.0.2.7', protocol_port: 80 }, { address: '192.0.2.7', protocol_port: 80 }])
        assert.equal(r.status, 409)
        assert.equal(r.body.faultstring, 'Another member on this pool is already using ip 192.0.2.7 on protocol_port 80')
        assert.deepEqual(await byAddress(f.poolId), {})
      })

      it('when a new member has a reserved address or an unknown subnet, then 400', async () => {
        const f = await activePool(h)
        const r1 = await batch(f.poolId, [{ address: '169.254.169.254', protocol_port: 80 }])
        assert.equal(r1.status, 400)
        assert.equal(r1.body.faultstring, '169.254.169.254 is not a valid option for member address')
        const subnet = randomUUID()
        const r2 = await batch(f.poolId, [{ address: '192.0.2.1', protocol_port: 80, subnet_id: subnet }])
        assert.equal(r2.status, 400)
        assert.equal(r2.body.faultstring, `Subnet ${subnet} not found.`)
        assert.equal(await statusOf(h, 'load_balancer', f.lbId), 'ACTIVE')
      })

      it('when a batch item has a bad field, then 400 names the field', async () => {
        const f = await activePool(h)
        await fault('PUT', membersUrl(f.poolId), { members: [{ address: '192.0.2.1', protocol_port: 80, weight: 300 }] }, 400,
          "Invalid input for field/attribute weight. Value: '300'. Value should be lower or equal to 256")
      })
    })

    describe('lists', () => {
      let f: Awaited<ReturnType<typeof activePool>>
      const ids: string[] = []
      before(async () => {
        f = await activePool(h)
        const specs = [
          { address: '192.0.2.1', protocol_port: 81, name: 'm1', weight: 3, tags: ['a', 'b'] },
          { address: '192.0.2.2', protocol_port: 82, name: 'm2', weight: 1, tags: ['a'] },
          { address: '192.0.2.3', protocol_port: 83, name: 'm3', weight: 2, admin_state_up: false, tags: ['c'] },
        ]
        for (const s of specs) ids.push((await member(f.poolId, f.lbId, s)).id)
        const other = await addPool(h, f.lbId, f.projectId)
        await member(other, f.lbId, { address: '192.0.2.1', protocol_port: 81 })
      })
      const names = async (query: string) => {
        const r = await h.request('GET', `${membersUrl(f.poolId)}?${query}`)
        assert.equal(r.status, 200, JSON.stringify(r.body))
        return (r.body.members as any[]).map(m => m.name)
      }

      it('when listing, then only the pool members come, oldest first, with empty links', async () => {
        const r = await h.request('GET', membersUrl(f.poolId))
        assert.deepEqual(r.body.members.map((m: any) => m.id), ids)
        assert.deepEqual(r.body.members_links, [])
      })
      it('when paginating with limit and marker, then pages and links follow', async () => {
        const r1 = await h.request('GET', `${membersUrl(f.poolId)}?limit=2`)
        assert.deepEqual(r1.body.members.map((m: any) => m.name), ['m1', 'm2'])
        const next = r1.body.members_links.find((l: any) => l.rel === 'next')
        assert.match(next.href, new RegExp(`/v2/lbaas/pools/${f.poolId}/members\\?limit=2&marker=${ids[1]}$`))
        const r2 = await h.request('GET', `${membersUrl(f.poolId)}?limit=2&marker=${ids[1]}`)
        assert.deepEqual(r2.body.members.map((m: any) => m.name), ['m3'])
        assert.deepEqual(r2.body.members_links.map((l: any) => l.rel), ['previous'])
        assert.deepEqual(await names(`limit=2&marker=${ids[2]}&page_reverse=True`), ['m1', 'm2'])
      })
      it('when sorting, then the order follows the keys', async () => {
        assert.deepEqual(await names('sort=weight:desc'), ['m1', 'm3', 'm2'])
        assert.deepEqual(await names('sort_key=protocol_port&sort_dir=desc'), ['m3', 'm2', 'm1'])
      })
      it('when filtering by attributes, then only matching members come', async () => {
        assert.deepEqual(await names('address=192.0.2.2'), ['m2'])
        assert.deepEqual(await names('admin_state_up=false'), ['m3'])
        assert.deepEqual(await names('weight=3&protocol_port=81'), ['m1'])
      })
      it('when filtering by tags, then the four tag filters apply', async () => {
        assert.deepEqual(await names('tags=a,b'), ['m1'])
        assert.deepEqual(await names('tags-any=b,c'), ['m1', 'm3'])
        assert.deepEqual(await names('not-tags=a,b'), ['m2', 'm3'])
        assert.deepEqual(await names('not-tags-any=a'), ['m3'])
      })
      it('when fields are selected, then only they are rendered (list and one)', async () => {
        const r = await h.request('GET', `${membersUrl(f.poolId)}?fields=id&fields=address`)
        assert.deepEqual(Object.keys(r.body.members[0]).sort(), ['address', 'id'])
        const one = await h.request('GET', `${memberUrl(f.poolId, ids[0])}?fields=name`)
        assert.deepEqual(one.body.member, { name: 'm1' })
      })
      it('when the query is invalid, then Octavia’s 400s come', async () => {
        await fault('GET', `${membersUrl(f.poolId)}?bogus=1`, undefined, 400, 'One or more arguments are either duplicate or invalid')
        await fault('GET', `${membersUrl(f.poolId)}?marker=nope`, undefined, 400, "Supplied pagination marker 'nope' is not valid.")
        await fault('GET', `${membersUrl(f.poolId)}?sort=bogus:asc`, undefined, 400, "Supplied sort key 'bogus' is not valid.")
        await fault('GET', `${membersUrl(f.poolId)}?limit=x`, undefined, 400, "Supplied pagination limit 'x' is not valid.")
      })
    })
  })
}

for (const dialect of testDialects) {
  describe(`members while the provider works (${dialect})`, () => {
    let h: Harness
    before(async () => { h = await startHarness(dialect, { noop_provider: { task_delay_ms: '150' } }) })
    after(async () => { await h.close() })

    it('when a member is written, then LB, listener and pool are PENDING_UPDATE until the job ends', async () => {
      const f = await activePool(h, { listener: true })
      const parents = async () => [
        await statusOf(h, 'load_balancer', f.lbId), await statusOf(h, 'listener', f.listenerId as string), await statusOf(h, 'pool', f.poolId),
      ]
      const created = await h.request('POST', membersUrl(f.poolId), { member: { address: '192.0.2.1', protocol_port: 80 } })
      assert.equal(created.status, 201)
      assert.deepEqual(await parents(), ['PENDING_UPDATE', 'PENDING_UPDATE', 'PENDING_UPDATE'])
      const id = created.body.member.id
      const again = await h.request('POST', membersUrl(f.poolId), { member: { address: '192.0.2.2', protocol_port: 80 } })
      assert.equal(again.status, 409)
      assert.equal(again.body.faultstring, `Pool ${f.poolId} is immutable and cannot be updated.`)
      await settle(h, f.lbId)
      assert.deepEqual(await parents(), ['ACTIVE', 'ACTIVE', 'ACTIVE'])

      assert.equal((await h.request('PUT', memberUrl(f.poolId, id), { member: { weight: 2 } })).status, 200)
      assert.deepEqual(await parents(), ['PENDING_UPDATE', 'PENDING_UPDATE', 'PENDING_UPDATE'])
      assert.equal(await statusOf(h, 'member', id), 'PENDING_UPDATE')
      await settle(h, f.lbId)

      assert.equal((await h.request('PUT', membersUrl(f.poolId), { members: [] })).status, 202)
      assert.deepEqual(await parents(), ['PENDING_UPDATE', 'PENDING_UPDATE', 'PENDING_UPDATE'])
      assert.equal(await statusOf(h, 'member', id), 'PENDING_DELETE')
      await settle(h, f.lbId)
      assert.equal(await statusOf(h, 'member', id), undefined)
      assert.deepEqual(await parents(), ['ACTIVE', 'ACTIVE', 'ACTIVE'])
    })

    it('when a batch runs, then created, updated and removed members show their PENDING state', async () => {
      const f = await activePool(h)
      for (const address of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) {
        assert.equal((await h.request('POST', membersUrl(f.poolId), { member: { address, protocol_port: 80 } })).status, 201)
        await settle(h, f.lbId)
      }
      const states = async () => Object.fromEntries(((await h.request('GET', membersUrl(f.poolId))).body.members as any[])
        .map(m => [m.address, m.provisioning_status]))
      const r = await h.request('PUT', membersUrl(f.poolId), { members: [
        { address: '192.0.2.1', protocol_port: 80 }, { address: '192.0.2.4', protocol_port: 80 }] })
      assert.equal(r.status, 202)
      assert.deepEqual(await states(), {
        '192.0.2.1': 'PENDING_UPDATE', '192.0.2.2': 'PENDING_DELETE', '192.0.2.3': 'PENDING_DELETE', '192.0.2.4': 'PENDING_CREATE',
      })
      await settle(h, f.lbId)
      const add = await h.request('PUT', `${membersUrl(f.poolId)}?additive_only=true`, { members: [{ address: '192.0.2.5', protocol_port: 80 }] })
      assert.equal(add.status, 202)
      assert.deepEqual(await states(), { '192.0.2.1': 'ACTIVE', '192.0.2.4': 'ACTIVE', '192.0.2.5': 'PENDING_CREATE' })
      await settle(h, f.lbId)
    })
  })
}
