import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'
import { stableId } from '../../src/common/net/stable-id.js'

const LBS = '/v2/lbaas/loadbalancers'
const lbUrl = (id: string) => `${LBS}/${id}`
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/

/** Sections of a network config with a second subnet on `public` and a separate network `other`. */
const NETWORKS = {
  'network:public': { cidr: '127.226.0.0/16' },
  'network:extra': { network: 'public', subnet_name: 'extra-subnet', cidr: '127.227.0.0/24' },
  'network:other': { cidr: '127.228.0.0/24' },
}

for (const dialect of testDialects) {
  describe(`load balancers (${dialect})`, () => {
    let h: Harness
    before(async () => { h = await startHarness(dialect, NETWORKS) })
    after(async () => { await h.close() })

    const subnet = (name = 'public-subnet') => h.deps.network.listSubnets().find(s => s.name === name)!
    const fault = async (method: string, url: string, body: unknown, status: number, message: string) => {
      const r = await h.request(method, url, body)
      assert.equal(r.status, status, JSON.stringify(r.body))
      assert.equal(r.body.faultstring, message)
    }
    /** Creates a load balancer and waits until the worker made it ACTIVE. */
    const activeLb = async (extra: Record<string, unknown> = {}) => {
      const r = await h.request('POST', LBS, { loadbalancer: { vip_subnet_id: subnet().id, ...extra } })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      await h.waitFor(lbUrl(r.body.loadbalancer.id))
      return r.body.loadbalancer as Record<string, any>
    }
    const forceStatus = async (table: 'load_balancer' | 'listener' | 'pool', id: string, status: string) => {
      await h.deps.database.db.updateTable(table).set({ provisioning_status: status }).where('id', '=', id).execute()
    }

    describe('create', () => {
      it('when only a VIP subnet is given, then the defaults are filled and the VIP is allocated on it', async () => {
        const s = subnet()
        const r = await h.request('POST', LBS, { loadbalancer: { vip_subnet_id: s.id } })
        assert.equal(r.status, 201, JSON.stringify(r.body))
        const lb = r.body.loadbalancer
        assert.equal(lb.name, '')
        assert.equal(lb.description, '')
        assert.equal(lb.admin_state_up, true)
        assert.equal(lb.provisioning_status, 'PENDING_CREATE')
        assert.equal(lb.operating_status, 'OFFLINE')
        assert.equal(lb.project_id, h.config.api_settings.default_project_id)
        assert.equal(lb.vip_subnet_id, s.id)
        assert.equal(lb.vip_network_id, s.networkId)
        assert.match(lb.vip_address, /^127\.226\.\d+\.\d+$/)
        assert.match(lb.vip_port_id, /^[0-9a-f-]{36}$/)
        assert.equal(lb.vip_qos_policy_id, null)
        assert.deepEqual(lb.vip_sg_ids, [])
        assert.equal(lb.vip_vnic_type, 'normal')
        assert.deepEqual(lb.additional_vips, [])
        assert.deepEqual(lb.listeners, [])
        assert.deepEqual(lb.pools, [])
        assert.equal(lb.provider, 'noop_driver')
        assert.equal(lb.flavor_id, null)
        assert.equal(lb.availability_zone, null)
        assert.deepEqual(lb.tags, [])
        assert.match(lb.created_at, TIMESTAMP)
        assert.equal(lb.updated_at, null)
        assert.equal('tenant_id' in lb, false)
        const done = await h.waitFor(lbUrl(lb.id))
        assert.equal(done.loadbalancer.provisioning_status, 'ACTIVE')
        const row = await h.deps.database.db.selectFrom('load_balancer').select('topology').where('id', '=', lb.id).executeTakeFirstOrThrow()
        assert.equal(row.topology, 'SINGLE')
        const jobs = await h.deps.database.db.selectFrom('job').select(['operation', 'payload']).where('load_balancer_id', '=', lb.id).execute()
        assert.deepEqual(jobs.map(j => [j.operation, JSON.parse(j.payload)]), [['loadbalancer_create', { loadBalancerId: lb.id }]])
      })

      it('when every writable field is given, then each is stored and rendered', async () => {
        const s = subnet()
        const r = await h.request('POST', LBS, {
          loadbalancer: {
            name: 'web', description: 'front', admin_state_up: false, vip_subnet_id: s.id, vip_network_id: s.networkId,
            vip_address: '127.226.9.9', project_id: 'p-every', provider: 'noop_driver', tags: ['b', 'a'], vip_sg_ids: [],
          },
        })
        assert.equal(r.status, 201, JSON.stringify(r.body))
        const lb = r.body.loadbalancer
        assert.equal(lb.name, 'web')
        assert.equal(lb.description, 'front')
        assert.equal(lb.admin_state_up, false)
        assert.equal(lb.vip_address, '127.226.9.9')
        assert.equal(lb.project_id, 'p-every')
        assert.deepEqual(lb.tags, ['a', 'b'])
        const got = await h.waitFor(lbUrl(lb.id))
        assert.deepEqual(got.loadbalancer.tags, ['a', 'b'])
        assert.equal(got.loadbalancer.admin_state_up, false)
      })

      it('when tenant_id or the X-Project-Id header names the project, then the load balancer belongs to it', async () => {
        let r = await h.request('POST', LBS, { loadbalancer: { vip_subnet_id: subnet().id, tenant_id: 'p-tenant' } })
        assert.equal(r.body.loadbalancer.project_id, 'p-tenant')
        r = await h.request('POST', LBS, { loadbalancer: { vip_subnet_id: subnet().id } }, { 'x-project-id': 'p-header' })
        assert.equal(r.body.loadbalancer.project_id, 'p-header')
      })

      it('when admin_state_up is null, then it is stored as false (WSME)', async () => {
        const r = await h.request('POST', LBS, { loadbalancer: { vip_subnet_id: subnet().id, admin_state_up: null } })
        assert.equal(r.status, 201)
        assert.equal(r.body.loadbalancer.admin_state_up, false)
      })

      it('when only a VIP network is given, then a subnet of it is chosen', async () => {
        const s = subnet()
        const r = await h.request('POST', LBS, { loadbalancer: { vip_network_id: s.networkId } })
        assert.equal(r.status, 201, JSON.stringify(r.body))
        assert.equal(r.body.loadbalancer.vip_network_id, s.networkId)
        assert.ok([s.id, subnet('extra-subnet').id].includes(r.body.loadbalancer.vip_subnet_id))
      })

      it('when a VIP network and an address are given, then the subnet holding the address is chosen', async () => {
        const r = await h.request('POST', LBS, { loadbalancer: { vip_network_id: subnet().networkId, vip_address: '127.227.0.77' } })
        assert.equal(r.status, 201, JSON.stringify(r.body))
        assert.equal(r.body.loadbalancer.vip_subnet_id, subnet('extra-subnet').id)
        assert.equal(r.body.loadbalancer.vip_address, '127.227.0.77')
      })

      it('when the VIP address is already used, then the answer is 409 and nothing is written', async () => {
        const before = await h.request('GET', `${LBS}?vip_address=127.226.20.20`)
        assert.equal(before.body.loadbalancers.length, 0)
        await activeLb({ vip_address: '127.226.20.20' })
        const r = await h.request('POST', LBS, { loadbalancer: { vip_subnet_id: subnet().id, vip_address: '127.226.20.20', name: 'dup' } })
        assert.equal(r.status, 409)
        assert.match(r.body.faultstring, /^The VIP IP address is already in use: /)
        const list = await h.request('GET', `${LBS}?name=dup`)
        assert.equal(list.body.loadbalancers.length, 0)
      })

      it('when a free port is given, then the VIP takes its address, subnet and network', async () => {
        const port = await h.deps.network.allocatePort(h.deps.database.db, { subnetId: subnet().id, name: 'mine' })
        const r = await h.request('POST', LBS, { loadbalancer: { vip_port_id: port.id } })
        assert.equal(r.status, 201, JSON.stringify(r.body))
        const lb = r.body.loadbalancer
        assert.equal(lb.vip_port_id, port.id)
        assert.equal(lb.vip_address, port.ipAddress)
        assert.equal(lb.vip_subnet_id, port.subnetId)
        assert.equal(lb.vip_network_id, port.networkId)
        const vip = await h.deps.database.db.selectFrom('vip').select('octavia_owned').where('load_balancer_id', '=', lb.id).executeTakeFirstOrThrow()
        assert.equal(vip.octavia_owned, 0)
        await h.waitFor(lbUrl(lb.id))
      })

      it('when the given port is already used or has another address, then the answer says so', async () => {
        const lb = await activeLb()
        await fault('POST', LBS, { loadbalancer: { vip_port_id: lb.vip_port_id } }, 400,
          `Validation failure: Port ${lb.vip_port_id} is already used by device lb-${lb.id} `)
        const port = await h.deps.network.allocatePort(h.deps.database.db, { subnetId: subnet().id })
        await fault('POST', LBS, { loadbalancer: { vip_port_id: port.id, vip_address: '127.226.250.250' } }, 400,
          'Validation failure: Specified VIP address not found on the specified VIP port.')
      })

      it('when additional VIPs on the same network are given, then each is allocated and rendered', async () => {
        const extra = subnet('extra-subnet')
        const r = await h.request('POST', LBS, {
          loadbalancer: { vip_subnet_id: subnet().id, additional_vips: [{ subnet_id: extra.id, ip_address: '127.227.0.10' }] },
        })
        assert.equal(r.status, 201, JSON.stringify(r.body))
        const vips = r.body.loadbalancer.additional_vips
        assert.equal(vips.length, 1)
        assert.equal(vips[0].subnet_id, extra.id)
        assert.equal(vips[0].ip_address, '127.227.0.10')
        assert.match(vips[0].port_id, /^[0-9a-f-]{36}$/)
        assert.deepEqual(Object.keys(vips[0]).sort(), ['ip_address', 'port_id', 'subnet_id'])
        const got = await h.waitFor(lbUrl(r.body.loadbalancer.id))
        assert.deepEqual(got.loadbalancer.additional_vips, vips)
      })
    })

    describe('create validation', () => {
      const post = (lb: Record<string, unknown>) => ({ loadbalancer: lb })

      it('when no VIP id is given, then the answer names the three allowed objects', async () => {
        await fault('POST', LBS, post({ name: 'x' }), 400,
          'Validation failure: VIP must contain one of: vip_port_id, vip_network_id, vip_subnet_id.')
      })

      it('when a VIP id is empty or not a UUID, then the answer is WSME\'s UUID message', async () => {
        await fault('POST', LBS, post({ vip_subnet_id: '' }), 400,
          "Invalid input for field/attribute vip_subnet_id. Value: ''. Value should be UUID format")
        await fault('POST', LBS, post({ vip_subnet_id: subnet().id, flavor_id: 'BOGUS' }), 400,
          "Invalid input for field/attribute flavor_id. Value: 'BOGUS'. Value should be UUID format")
      })

      it('when the VIP subnet, network or port is unknown, then the answer is a 400 "<Resource> <id> not found."', async () => {
        const id = randomUUID()
        await fault('POST', LBS, post({ vip_subnet_id: id }), 400, `Subnet ${id} not found.`)
        await fault('POST', LBS, post({ vip_network_id: id }), 400, `Network ${id} not found.`)
        await fault('POST', LBS, post({ vip_port_id: id }), 400, `Port ${id} not found.`)
        await fault('POST', LBS, post({ vip_network_id: subnet().networkId, vip_subnet_id: subnet('other-subnet').id }), 400,
          `Subnet ${subnet('other-subnet').id} not found.`)
      })

      it('when the VIP address is outside the network\'s subnets, then the answer says so', async () => {
        await fault('POST', LBS, post({ vip_network_id: subnet().networkId, vip_address: '198.51.100.10' }), 400,
          'Validation failure: Supplied network does not contain a subnet for VIP address specified.')
      })

      it('when a QoS policy is named, then it is a 400 "qos_policy <id> not found." (no QoS service)', async () => {
        const id = randomUUID()
        await fault('POST', LBS, post({ vip_subnet_id: subnet().id, vip_qos_policy_id: id }), 400, `qos_policy ${id} not found.`)
      })

      it('when a security group is named, then it is a 400 "Security Group <id> not found."', async () => {
        const id = randomUUID()
        await fault('POST', LBS, post({ vip_subnet_id: subnet().id, vip_sg_ids: [id] }), 400, `Security Group ${id} not found.`)
      })

      it('when a flavor or an availability zone is named, then it is invalid (none exist)', async () => {
        await fault('POST', LBS, post({ vip_subnet_id: subnet().id, flavor_id: randomUUID() }), 400, 'Validation failure: Invalid flavor_id.')
        await fault('POST', LBS, post({ vip_subnet_id: subnet().id, availability_zone: 'bogus-az' }), 400,
          'Validation failure: Invalid availability zone.')
      })

      it('when the provider is not enabled, then the answer is 400 "Provider \'<p>\' is not enabled."', async () => {
        await fault('POST', LBS, post({ vip_subnet_id: subnet().id, provider: 'BOGUS' }), 400, "Provider 'BOGUS' is not enabled.")
        await fault('POST', LBS, post({ vip_subnet_id: subnet().id, provider: 'amphora' }), 400, "Provider 'amphora' is not enabled.")
      })

      it('when a string is too long, then the answer is WSME\'s length message', async () => {
        await fault('POST', LBS, post({ vip_subnet_id: subnet().id, name: 'n'.repeat(256) }), 400,
          `Invalid input for field/attribute name. Value: '${'n'.repeat(256)}'. Value should have a maximum character requirement of 255`)
        await fault('POST', LBS, post({ vip_subnet_id: subnet().id, description: 'd'.repeat(256) }), 400,
          `Invalid input for field/attribute description. Value: '${'d'.repeat(256)}'. Value should have a maximum character requirement of 255`)
      })

      it('when a VIP address is not an IP, then the answer is the IP format message', async () => {
        await fault('POST', LBS, post({ vip_subnet_id: subnet().id, vip_address: 'nope' }), 400,
          "Invalid input for field/attribute vip_address. Value: 'nope'. Value should be IPv4 or IPv6 format")
      })

      it('when an attribute is unknown, then WSME\'s unknown attribute message is returned', async () => {
        await fault('POST', LBS, post({ vip_subnet_id: subnet().id, vip_ip_version: 4 }), 400,
          'Unknown attribute for argument load_balancer.loadbalancer: vip_ip_version')
      })

      it('when additional VIPs repeat a subnet, then the answer is the duplicate message', async () => {
        await fault('POST', LBS, post({ vip_subnet_id: subnet().id, additional_vips: [{ subnet_id: subnet().id }] }), 400,
          'Validation failure: Duplicate VIP subnet(s) specified. Only one IP can be bound per subnet.')
      })

      it('when additional VIPs are on another network, then the answer is the same-network message', async () => {
        await fault('POST', LBS, post({ vip_subnet_id: subnet().id, additional_vips: [{ subnet_id: subnet('other-subnet').id }] }), 400,
          'Validation failure: All VIP subnets must belong to the same network.')
      })

      it('when an additional VIP subnet is unknown, then the answer names it', async () => {
        const id = randomUUID()
        await fault('POST', LBS, post({ vip_subnet_id: subnet().id, additional_vips: [{ subnet_id: id }] }), 400,
          `Validation failure: Subnet ${id} not found`)
      })

      it('when an additional VIP lacks its subnet, then the mandatory field message is returned', async () => {
        await fault('POST', LBS, post({ vip_subnet_id: subnet().id, additional_vips: [{ ip_address: '127.227.0.3' }] }), 400,
          "Invalid input for field/attribute subnet_id. Value: 'None'. Mandatory field missing.")
      })
    })

    describe('deployment restrictions', () => {
      let r: Harness
      before(async () => {
        r = await startHarness(dialect, {
          ...NETWORKS,
          networking: { allow_vip_subnet_id: 'false', allow_vip_port_id: 'false' },
        })
      })
      after(async () => { await r.close() })

      it('when a disallowed VIP object is used, then the answer says it is disallowed', async () => {
        const s = r.deps.network.listSubnets()[0]
        const res = await r.request('POST', LBS, { loadbalancer: { vip_subnet_id: s.id } })
        assert.equal(res.status, 400)
        assert.equal(res.body.faultstring, "Validation failure: use of vip_subnet_id is disallowed by this deployment's configuration.")
      })

      it('when no VIP object is given, then only the allowed objects are named', async () => {
        const res = await r.request('POST', LBS, { loadbalancer: {} })
        assert.equal(res.status, 400)
        assert.equal(res.body.faultstring, 'Validation failure: VIP must contain one of: vip_network_id.')
      })
    })

    describe('denylisted VIP networks', () => {
      let r: Harness
      before(async () => { r = await startHarness(dialect, { networking: { denylist_vip_networks: stableId('network', 'public') } }) })
      after(async () => { await r.close() })

      it('when the network is on the deny list, then the create is refused and nothing is written', async () => {
        const s = r.deps.network.listSubnets()[0]
        const res = await r.request('POST', LBS, { loadbalancer: { vip_subnet_id: s.id } })
        assert.equal(res.status, 400)
        assert.equal(res.body.faultstring, 'Validation failure: Supplied VIP network_id is not allowed by the configuration of this deployment.')
        const list = await r.request('GET', LBS)
        assert.deepEqual(list.body.loadbalancers, [])
        const jobs = await r.deps.database.db.selectFrom('job').select('id').execute()
        assert.deepEqual(jobs, [])
      })
    })

    describe('show', () => {
      it('when the load balancer does not exist, then the answer is 404', async () => {
        const id = randomUUID()
        await fault('GET', lbUrl(id), undefined, 404, `Load Balancer ${id} not found.`)
      })

      it('when fields are selected, then only they are rendered', async () => {
        const lb = await activeLb({ name: 'fields' })
        const r = await h.request('GET', `${lbUrl(lb.id)}?fields=id&fields=name,vip_address`)
        assert.deepEqual(r.body, { loadbalancer: { id: lb.id, name: 'fields', vip_address: lb.vip_address } })
      })

      it('when the load balancer is DELETED, then it is invisible', async () => {
        const lb = await activeLb({ name: 'ghost', project_id: 'p-ghost' })
        await forceStatus('load_balancer', lb.id, 'DELETED')
        await fault('GET', lbUrl(lb.id), undefined, 404, `Load Balancer ${lb.id} not found.`)
        await fault('GET', `${lbUrl(lb.id)}/status`, undefined, 404, `Load Balancer ${lb.id} not found.`)
        await fault('GET', `${lbUrl(lb.id)}/stats`, undefined, 404, `Load Balancer ${lb.id} not found.`)
        await fault('PUT', lbUrl(lb.id), { loadbalancer: { name: 'x' } }, 404, `Load Balancer ${lb.id} not found.`)
        await fault('DELETE', lbUrl(lb.id), undefined, 404, `Load Balancer ${lb.id} not found.`)
        const list = await h.request('GET', `${LBS}?project_id=p-ghost`)
        assert.deepEqual(list.body.loadbalancers, [])
      })
    })

    describe('update', () => {
      it('when name, description, admin_state_up and tags change, then the answer is PENDING_UPDATE and the job makes it ACTIVE', async () => {
        const lb = await activeLb({ name: 'old', tags: ['x'] })
        const r = await h.request('PUT', lbUrl(lb.id), {
          loadbalancer: { name: 'new', description: 'desc', admin_state_up: false, tags: ['t2', 't1'] },
        })
        assert.equal(r.status, 200, JSON.stringify(r.body))
        assert.equal(r.body.loadbalancer.provisioning_status, 'PENDING_UPDATE')
        assert.equal(r.body.loadbalancer.name, 'new')
        assert.equal(r.body.loadbalancer.description, 'desc')
        assert.equal(r.body.loadbalancer.admin_state_up, false)
        assert.deepEqual(r.body.loadbalancer.tags, ['t1', 't2'])
        assert.match(r.body.loadbalancer.updated_at, TIMESTAMP)
        const got = await h.waitFor(lbUrl(lb.id))
        assert.equal(got.loadbalancer.name, 'new')
        const jobs = await h.deps.database.db.selectFrom('job').select('operation').where('load_balancer_id', '=', lb.id).execute()
        assert.deepEqual(jobs.map(j => j.operation).sort(), ['loadbalancer_create', 'loadbalancer_update'])
      })

      it('when name is null, then it is cleared and renders as ""', async () => {
        const lb = await activeLb({ name: 'named' })
        const r = await h.request('PUT', lbUrl(lb.id), { loadbalancer: { name: null, vip_qos_policy_id: null, vip_sg_ids: null } })
        assert.equal(r.status, 200, JSON.stringify(r.body))
        assert.equal(r.body.loadbalancer.name, '')
        assert.deepEqual(r.body.loadbalancer.vip_sg_ids, [])
        assert.equal(r.body.loadbalancer.vip_qos_policy_id, null)
      })

      it('when the load balancer is not ACTIVE, then the answer is 409 "Invalid state …"', async () => {
        const lb = await activeLb()
        for (const status of ['PENDING_UPDATE', 'ERROR']) {
          await forceStatus('load_balancer', lb.id, status)
          await fault('PUT', lbUrl(lb.id), { loadbalancer: { name: 'x' } }, 409,
            `Invalid state ${status} of loadbalancer resource ${lb.id}`)
        }
      })

      it('when an immutable or unknown attribute is sent, then the answer is WSME\'s unknown attribute message', async () => {
        const lb = await activeLb()
        await fault('PUT', lbUrl(lb.id), { loadbalancer: { vip_subnet_id: subnet().id } }, 400,
          'Unknown attribute for argument load_balancer.loadbalancer: vip_subnet_id')
      })

      it('when a QoS policy or a security group is named, then the answer is 400 and nothing changes', async () => {
        const lb = await activeLb({ name: 'keep' })
        const qos = randomUUID()
        const sg = randomUUID()
        await fault('PUT', lbUrl(lb.id), { loadbalancer: { name: 'x', vip_qos_policy_id: qos } }, 400, `qos_policy ${qos} not found.`)
        await fault('PUT', lbUrl(lb.id), { loadbalancer: { name: 'x', vip_sg_ids: [sg] } }, 400, `Security Group ${sg} not found.`)
        const got = await h.request('GET', lbUrl(lb.id))
        assert.equal(got.body.loadbalancer.name, 'keep')
        assert.equal(got.body.loadbalancer.provisioning_status, 'ACTIVE')
      })

      it('when the load balancer does not exist, then the answer is 404', async () => {
        const id = randomUUID()
        await fault('PUT', lbUrl(id), { loadbalancer: { name: 'x' } }, 404, `Load Balancer ${id} not found.`)
      })
    })

    describe('delete', () => {
      it('when the load balancer has no children, then it goes PENDING_DELETE and disappears', async () => {
        const lb = await activeLb()
        const r = await h.request('DELETE', lbUrl(lb.id))
        assert.equal(r.status, 204)
        assert.equal(r.body, null)
        const row = await h.deps.database.db.selectFrom('load_balancer').select('provisioning_status').where('id', '=', lb.id).executeTakeFirst()
        assert.ok(['PENDING_DELETE', 'DELETED'].includes(row!.provisioning_status))
        await h.waitFor(lbUrl(lb.id), 'gone', body => (body?.faultstring ? 'gone' : 'there'))
        const jobs = await h.deps.database.db.selectFrom('job').select(['operation', 'payload'])
          .where('load_balancer_id', '=', lb.id).where('operation', '=', 'loadbalancer_delete').execute()
        assert.deepEqual(JSON.parse(jobs[0].payload), { loadBalancerId: lb.id, cascade: false })
      })

      it('when it has children and cascade is not true, then the answer is 400', async () => {
        const lb = await activeLb()
        await insertChildren(h, lb.id)
        for (const q of ['', '?cascade=false', '?cascade=nope']) {
          await fault('DELETE', `${lbUrl(lb.id)}${q}`, undefined, 400,
            `Validation failure: Cannot delete Load Balancer ${lb.id} - it has children`)
        }
      })

      it('when cascade is any oslo true string, then the load balancer and all its children are deleted', async () => {
        for (const flag of ['true', 'True', '1', 'yes', 'on', 'T']) {
          const lb = await activeLb()
          const kids = await insertChildren(h, lb.id)
          const r = await h.request('DELETE', `${lbUrl(lb.id)}?cascade=${flag}`)
          assert.equal(r.status, 204, flag)
          await h.waitFor(lbUrl(lb.id), 'gone', body => (body?.faultstring ? 'gone' : 'there'))
          const db = h.deps.database.db
          assert.equal((await db.selectFrom('listener').select('id').where('id', '=', kids.listenerId).execute()).length, 0)
          assert.equal((await db.selectFrom('pool').select('id').where('id', '=', kids.poolId).execute()).length, 0)
          assert.equal((await db.selectFrom('member').select('id').where('id', '=', kids.memberId).execute()).length, 0)
        }
      })

      it('when cascading, then every child is PENDING_DELETE in the same transaction', async () => {
        const lb = await activeLb()
        const kids = await insertChildren(h, lb.id)
        const r = await h.request('DELETE', `${lbUrl(lb.id)}?cascade=true`)
        assert.equal(r.status, 204)
        const db = h.deps.database.db
        const listener = await db.selectFrom('listener').select('provisioning_status').where('id', '=', kids.listenerId).executeTakeFirst()
        const member = await db.selectFrom('member').select('provisioning_status').where('id', '=', kids.memberId).executeTakeFirst()
        // Either still PENDING_DELETE or already removed by the worker.
        assert.ok(listener === undefined || listener.provisioning_status === 'PENDING_DELETE')
        assert.ok(member === undefined || member.provisioning_status === 'PENDING_DELETE')
        const job = await db.selectFrom('job').select('payload').where('load_balancer_id', '=', lb.id)
          .where('operation', '=', 'loadbalancer_delete').executeTakeFirstOrThrow()
        assert.deepEqual(JSON.parse(job.payload), { loadBalancerId: lb.id, cascade: true })
      })

      it('when the load balancer is in ERROR, then it can be deleted', async () => {
        const lb = await activeLb()
        await forceStatus('load_balancer', lb.id, 'ERROR')
        const r = await h.request('DELETE', lbUrl(lb.id))
        assert.equal(r.status, 204)
      })

      it('when the load balancer is PENDING_*, then the answer is 409 "Invalid state …"', async () => {
        const lb = await activeLb()
        await forceStatus('load_balancer', lb.id, 'PENDING_UPDATE')
        await fault('DELETE', lbUrl(lb.id), undefined, 409, `Invalid state PENDING_UPDATE of loadbalancer resource ${lb.id}`)
      })

      it('when the load balancer does not exist, then the answer is 404', async () => {
        const id = randomUUID()
        await fault('DELETE', lbUrl(id), undefined, 404, `Load Balancer ${id} not found.`)
      })
    })

    describe('failover', () => {
      it('when the load balancer is ACTIVE or ERROR, then the answer is 202 and a failover job runs', async () => {
        for (const status of ['ACTIVE', 'ERROR']) {
          const lb = await activeLb()
          await forceStatus('load_balancer', lb.id, status)
          const r = await h.request('PUT', `${lbUrl(lb.id)}/failover`)
          assert.equal(r.status, 202, JSON.stringify(r.body))
          assert.equal(r.body, null)
          await h.waitFor(lbUrl(lb.id))
          const job = await h.deps.database.db.selectFrom('job').select('payload').where('load_balancer_id', '=', lb.id)
            .where('operation', '=', 'loadbalancer_failover').executeTakeFirstOrThrow()
          assert.deepEqual(JSON.parse(job.payload), { loadBalancerId: lb.id })
        }
      })

      it('when the load balancer is PENDING_UPDATE, then the answer is 409 "Invalid state …"', async () => {
        const lb = await activeLb()
        await forceStatus('load_balancer', lb.id, 'PENDING_UPDATE')
        await fault('PUT', `${lbUrl(lb.id)}/failover`, undefined, 409, `Invalid state PENDING_UPDATE of loadbalancer resource ${lb.id}`)
      })

      it('when the load balancer does not exist, then the answer is 404', async () => {
        const id = randomUUID()
        await fault('PUT', `${lbUrl(id)}/failover`, undefined, 404, `Load Balancer ${id} not found.`)
      })
    })

    describe('stats', () => {
      it('when no statistics exist, then every counter is zero', async () => {
        const lb = await activeLb()
        const r = await h.request('GET', `${lbUrl(lb.id)}/stats`)
        assert.equal(r.status, 200)
        assert.deepEqual(r.body, { stats: { bytes_in: 0, bytes_out: 0, active_connections: 0, total_connections: 0, request_errors: 0 } })
      })

      it('when listeners have statistics, then they are summed (active connections only from ALLOCATED amphorae)', async () => {
        const lb = await activeLb()
        const kids = await insertChildren(h, lb.id)
        const db = h.deps.database.db
        const second = await insertListenerRow(h, lb.id, 8080)
        const amp = randomUUID()
        const spare = randomUUID()
        const now = new Date().toISOString().slice(0, 23)
        await db.insertInto('amphora').values([
          { id: amp, load_balancer_id: lb.id, status: 'ALLOCATED', created_at: now, cert_busy: 0 } as never,
          { id: spare, load_balancer_id: lb.id, status: 'READY', created_at: now, cert_busy: 0 } as never,
        ]).execute()
        const stat = (listener_id: string, amphora_id: string, n: number) => ({
          listener_id, amphora_id, bytes_in: n, bytes_out: 2 * n, active_connections: 3 * n, total_connections: 4 * n,
          request_errors: 5 * n, updated_at: null,
        })
        await db.insertInto('listener_statistics').values([
          stat(kids.listenerId, amp, 1), stat(second, amp, 10), stat(kids.listenerId, spare, 100),
        ]).execute()
        const r = await h.request('GET', `${lbUrl(lb.id)}/stats`)
        assert.deepEqual(r.body.stats, {
          bytes_in: 111, bytes_out: 222, active_connections: 33, total_connections: 444, request_errors: 555,
        })
      })
    })

    describe('status tree', () => {
      it('when the load balancer has no listeners, then the tree has only the load balancer', async () => {
        const lb = await activeLb({ name: 'tree' })
        for (const suffix of ['status', 'statuses']) {
          const r = await h.request('GET', `${lbUrl(lb.id)}/${suffix}`)
          assert.equal(r.status, 200)
          assert.deepEqual(r.body, {
            statuses: { loadbalancer: { id: lb.id, name: 'tree', operating_status: 'OFFLINE', provisioning_status: 'ACTIVE', listeners: [] } },
          })
        }
      })

      it('when the load balancer does not exist, then the answer is 404', async () => {
        const id = randomUUID()
        await fault('GET', `${lbUrl(id)}/status`, undefined, 404, `Load Balancer ${id} not found.`)
      })
    })

    describe('list', () => {
      const project = `p-list-${dialect}`
      let ids: string[] = []
      before(async () => {
        ids = []
        for (const [i, tags] of [['a', 'b'], ['a'], ['b', 'c'], [], ['a', 'b', 'c']].entries()) {
          const lb = await activeLb({ name: `lb${i}`, project_id: project, tags, admin_state_up: i !== 2 })
          ids.push(lb.id)
        }
      })
      const list = async (q: string) => {
        const r = await h.request('GET', `${LBS}?project_id=${project}${q ? `&${q}` : ''}`)
        assert.equal(r.status, 200, JSON.stringify(r.body))
        return r.body as { loadbalancers: Record<string, any>[]; loadbalancers_links: { href: string; rel: string }[] }
      }
      const names = (b: { loadbalancers: Record<string, any>[] }) => b.loadbalancers.map(l => l.name)

      it('when no sort is given, then the order is created_at then id and there are no links', async () => {
        const b = await list('')
        assert.deepEqual(names(b), ['lb0', 'lb1', 'lb2', 'lb3', 'lb4'])
        assert.deepEqual(b.loadbalancers_links, [])
      })

      it('when paging forward with limit and marker, then pages follow and links point both ways', async () => {
        const p1 = await list('limit=2')
        assert.deepEqual(names(p1), ['lb0', 'lb1'])
        assert.deepEqual(p1.loadbalancers_links.map(l => l.rel), ['next'])
        const next = new URL(p1.loadbalancers_links[0].href)
        assert.equal(next.pathname, LBS)
        assert.equal(next.searchParams.get('limit'), '2')
        assert.equal(next.searchParams.get('marker'), ids[1])
        const p2 = await list(`limit=2&marker=${ids[1]}`)
        assert.deepEqual(names(p2), ['lb2', 'lb3'])
        assert.deepEqual(p2.loadbalancers_links.map(l => l.rel), ['previous', 'next'])
        const prev = new URL(p2.loadbalancers_links[0].href)
        assert.equal(prev.searchParams.get('marker'), ids[2])
        assert.equal(prev.searchParams.get('page_reverse'), 'True')
        const p3 = await list(`limit=2&marker=${ids[3]}`)
        assert.deepEqual(names(p3), ['lb4'])
        assert.deepEqual(p3.loadbalancers_links.map(l => l.rel), ['previous'])
      })

      it('when paging backwards, then the page before the marker comes in normal order', async () => {
        const b = await list(`limit=2&marker=${ids[3]}&page_reverse=True`)
        assert.deepEqual(names(b), ['lb1', 'lb2'])
      })

      it('when the marker or limit is invalid, then the answer is Octavia\'s 400', async () => {
        await fault('GET', `${LBS}?marker=nope`, undefined, 400, "Supplied pagination marker 'nope' is not valid.")
        await fault('GET', `${LBS}?limit=abc`, undefined, 400, "Supplied pagination limit 'abc' is not valid.")
      })

      it('when sorting with sort=key:dir or sort_key/sort_dir, then the order follows', async () => {
        assert.deepEqual(names(await list('sort=name:desc')), ['lb4', 'lb3', 'lb2', 'lb1', 'lb0'])
        assert.deepEqual(names(await list('sort=admin_state_up:asc,name:desc')), ['lb2', 'lb4', 'lb3', 'lb1', 'lb0'])
        assert.deepEqual(names(await list('sort_key=name&sort_dir=desc')), ['lb4', 'lb3', 'lb2', 'lb1', 'lb0'])
        assert.deepEqual(names(await list('sort=vip_address:asc')).length, 5)
        const paged = await list('sort=name:desc&limit=2')
        assert.deepEqual(names(paged), ['lb4', 'lb3'])
        assert.match(paged.loadbalancers_links[0].href, /sort=name%3Adesc|sort=name:desc/)
        assert.deepEqual(names(await list(`sort=name:desc&limit=2&marker=${ids[3]}`)), ['lb2', 'lb1'])
      })

      it('when the sort key or direction is invalid, then the answer is Octavia\'s 400', async () => {
        await fault('GET', `${LBS}?sort=bogus:asc`, undefined, 400, "Supplied sort key 'bogus' is not valid.")
        await fault('GET', `${LBS}?sort=name:sideways`, undefined, 400, "Supplied sort direction 'sideways' is not valid.")
      })

      it('when filtering by attributes, then only matching load balancers are listed', async () => {
        assert.deepEqual(names(await list('name=lb3')), ['lb3'])
        assert.deepEqual(names(await list('admin_state_up=false')), ['lb2'])
        assert.deepEqual(names(await list('admin_state_up=true&name=lb1')), ['lb1'])
        const lb0 = (await list('name=lb0')).loadbalancers[0]
        assert.deepEqual(names(await list(`vip_address=${lb0.vip_address}`)), ['lb0'])
        assert.deepEqual(names(await list(`vip_port_id=${lb0.vip_port_id}`)), ['lb0'])
        assert.equal((await list(`vip_subnet_id=${subnet().id}`)).loadbalancers.length, 5)
        assert.equal((await list('provisioning_status=ACTIVE&provider=noop_driver')).loadbalancers.length, 5)
        assert.equal((await list('operating_status=ONLINE')).loadbalancers.length, 0)
      })

      it('when a filter is unknown, then the answer is 400', async () => {
        await fault('GET', `${LBS}?bogus=1`, undefined, 400, 'One or more arguments are either duplicate or invalid')
      })

      it('when fields are selected, then each item has only those', async () => {
        const b = await list('fields=id&fields=name&name=lb1')
        assert.deepEqual(b.loadbalancers, [{ id: ids[1], name: 'lb1' }])
      })

      it('when filtering by tags, then tags, tags-any, not-tags and not-tags-any behave as Octavia\'s', async () => {
        assert.deepEqual(names(await list('tags=a,b')), ['lb0', 'lb4'])
        assert.deepEqual(names(await list('tags=a&tags=c')), ['lb4'])
        assert.deepEqual(names(await list('tags-any=c,b')), ['lb0', 'lb2', 'lb4'])
        assert.deepEqual(names(await list('not-tags=a,b')), ['lb1', 'lb2', 'lb3'])
        assert.deepEqual(names(await list('not-tags-any=a,c')), ['lb3'])
      })
    })
  })
}

/** Inserts a listener with a pool and a member straight into the database (children for cascade/status tests). */
async function insertChildren(h: Harness, lbId: string): Promise<{ listenerId: string; poolId: string; memberId: string }> {
  const db = h.deps.database.db
  const now = new Date().toISOString().slice(0, 23)
  const poolId = randomUUID()
  const memberId = randomUUID()
  await db.insertInto('pool').values({
    id: poolId, project_id: null, load_balancer_id: lbId, name: 'p', description: null, protocol: 'HTTP',
    lb_algorithm: 'ROUND_ROBIN', provisioning_status: 'ACTIVE', operating_status: 'ONLINE', enabled: 1,
    sp_type: null, sp_cookie_name: null, sp_persistence_timeout: null, sp_persistence_granularity: null,
    tls_enabled: 0, tls_certificate_id: null, ca_tls_certificate_id: null, crl_container_id: null,
    tls_ciphers: null, tls_versions: null, alpn_protocols: null, created_at: now, updated_at: null,
  }).execute()
  await db.insertInto('member').values({
    id: memberId, project_id: null, pool_id: poolId, name: null, ip_address: '192.0.2.1', protocol_port: 80,
    subnet_id: null, weight: 1, backup: 0, monitor_address: null, monitor_port: null, provisioning_status: 'ACTIVE',
    operating_status: 'ONLINE', enabled: 1, vnic_type: 'normal', created_at: now, updated_at: null,
  }).execute()
  const listenerId = await insertListenerRow(h, lbId, 80, poolId)
  return { listenerId, poolId, memberId }
}

async function insertListenerRow(h: Harness, lbId: string, port: number, defaultPoolId: string | null = null): Promise<string> {
  const id = randomUUID()
  await h.deps.database.db.insertInto('listener').values({
    id, project_id: null, load_balancer_id: lbId, name: null, description: null, protocol: 'HTTP', protocol_port: port,
    connection_limit: -1, default_pool_id: defaultPoolId, provisioning_status: 'ACTIVE', operating_status: 'ONLINE',
    enabled: 1, insert_headers: '{}', timeout_client_data: 50000, timeout_member_connect: 5000, timeout_member_data: 50000,
    timeout_tcp_inspect: 0, tls_certificate_id: null, sni_containers: '[]', client_authentication: 'NONE',
    client_ca_tls_certificate_id: null, client_crl_container_id: null, allowed_cidrs: '[]', tls_ciphers: null,
    tls_versions: null, alpn_protocols: null, hsts_max_age: null, hsts_include_subdomains: 0, hsts_preload: 0,
    created_at: new Date().toISOString().slice(0, 23), updated_at: null,
  }).execute()
  return id
}
