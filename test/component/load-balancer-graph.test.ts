import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'

const LBS = '/v2/lbaas/loadbalancers'
const lbUrl = (id: string) => `${LBS}/${id}`

const hm = { type: 'HTTP', delay: 5, timeout: 3, max_retries: 2 }
const rule = { type: 'HOST_NAME', compare_type: 'EQUAL_TO', value: 'www.example.com' }

for (const dialect of testDialects) {
  describe(`load balancer single-call create (${dialect})`, () => {
    let h: Harness
    before(async () => { h = await startHarness(dialect) })
    after(async () => { await h.close() })

    const subnetId = () => h.deps.network.listSubnets().find(s => s.name === 'public-subnet')!.id
    const post = (lb: Record<string, unknown>) => h.request('POST', LBS, { loadbalancer: { vip_subnet_id: subnetId(), ...lb } })
    const counts = async () => {
      const db = h.deps.database.db
      const n = async (t: 'load_balancer' | 'listener' | 'pool' | 'member' | 'health_monitor' | 'l7policy' | 'l7rule' | 'job' | 'port' | 'tag') =>
        (await db.selectFrom(t).select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n
      return {
        lbs: Number(await n('load_balancer')), listeners: Number(await n('listener')), pools: Number(await n('pool')),
        members: Number(await n('member')), hms: Number(await n('health_monitor')), policies: Number(await n('l7policy')),
        rules: Number(await n('l7rule')), jobs: Number(await n('job')), ports: Number(await n('port')), tags: Number(await n('tag')),
      }
    }
    /** Posts a graph that must fail, and checks that it wrote nothing at all. */
    const refused = async (lb: Record<string, unknown>, status: number, message: string | RegExp) => {
      const before = await counts()
      const r = await post(lb)
      assert.equal(r.status, status, JSON.stringify(r.body))
      if (typeof message === 'string') assert.equal(r.body.faultstring, message)
      else assert.match(r.body.faultstring, message)
      assert.deepEqual(await counts(), before)
    }

    describe('a full tree', () => {
      let created: Record<string, any>
      before(async () => {
        const r = await post({
          name: 'graph',
          tags: ['g'],
          listeners: [
            { name: 'l-web', protocol: 'HTTP', protocol_port: 80, default_pool: { name: 'web' }, tags: ['lt'] },
            {
              name: 'l-api', protocol: 'HTTP', protocol_port: 8080,
              default_pool: { name: 'api', protocol: 'HTTP', lb_algorithm: 'LEAST_CONNECTIONS' },
              l7policies: [
                { name: 'to-alt', action: 'REDIRECT_TO_POOL', redirect_pool: { name: 'alt' }, position: 1, rules: [rule] },
                { name: 'to-url', action: 'REDIRECT_TO_URL', redirect_url: 'http://example.com/', rules: [] },
              ],
            },
          ],
          pools: [
            {
              name: 'web', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', healthmonitor: hm, tags: ['pt'],
              members: [{ address: '192.0.2.10', protocol_port: 80 }, { address: '192.0.2.11', protocol_port: 80, name: 'm2' }],
            },
            { name: 'alt', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' },
            { name: 'orphan', protocol: 'TCP', lb_algorithm: 'SOURCE_IP' },
          ],
        })
        assert.equal(r.status, 201, JSON.stringify(r.body))
        created = r.body.loadbalancer
      })

      it('when the tree is created, then the answer shows every object PENDING_CREATE in full', async () => {
        assert.equal(created.name, 'graph')
        assert.equal(created.provisioning_status, 'PENDING_CREATE')
        assert.deepEqual(created.tags, ['g'])
        assert.equal(created.listeners.length, 2)
        assert.equal(created.pools.length, 4)
        const pools = Object.fromEntries(created.pools.map((p: any) => [p.name, p]))
        assert.deepEqual(Object.keys(pools).sort(), ['alt', 'api', 'orphan', 'web'])
        for (const p of created.pools) {
          assert.equal(p.provisioning_status, 'PENDING_CREATE')
          assert.equal(p.operating_status, 'OFFLINE')
          assert.equal('loadbalancers' in p, false)
          assert.equal('healthmonitor_id' in p, false)
          assert.equal(p.project_id, created.project_id)
        }
        const web = pools.web
        assert.deepEqual(web.tags, ['pt'])
        assert.equal(web.healthmonitor.type, 'HTTP')
        assert.equal(web.healthmonitor.provisioning_status, 'PENDING_CREATE')
        assert.equal(web.healthmonitor.http_method, 'GET')
        assert.equal(web.healthmonitor.url_path, '/')
        assert.equal(web.healthmonitor.expected_codes, '200')
        assert.deepEqual(web.healthmonitor.pools, [{ id: web.id }])
        // NOTE: members created in the same millisecond have no defined order (as in Octavia).
        assert.deepEqual(web.members.map((m: any) => [m.address, m.name, m.provisioning_status, m.operating_status]).sort(), [
          ['192.0.2.10', '', 'PENDING_CREATE', 'OFFLINE'], ['192.0.2.11', 'm2', 'PENDING_CREATE', 'OFFLINE'],
        ])
        assert.equal('healthmonitor' in pools.alt, false)
        assert.deepEqual(pools.alt.members, [])
        const [lWeb, lApi] = created.listeners
        assert.equal(lWeb.name, 'l-web')
        assert.equal(lWeb.default_pool_id, web.id)
        assert.deepEqual(lWeb.tags, ['lt'])
        assert.deepEqual(lWeb.l7policies, [])
        assert.equal('loadbalancers' in lWeb, false)
        assert.equal(lWeb.provisioning_status, 'PENDING_CREATE')
        assert.equal(lApi.default_pool_id, pools.api.id)
        assert.deepEqual(pools.web.listeners, [{ id: lWeb.id }])
        assert.equal(lApi.l7policies.length, 2)
        const [toAlt, toUrl] = lApi.l7policies
        assert.equal(toAlt.name, 'to-alt')
        assert.equal(toAlt.action, 'REDIRECT_TO_POOL')
        assert.equal(toAlt.redirect_pool_id, pools.alt.id)
        assert.equal(toAlt.position, 1)
        assert.equal(toAlt.listener_id, lApi.id)
        assert.equal(toAlt.provisioning_status, 'PENDING_CREATE')
        assert.equal(toAlt.rules.length, 1)
        assert.equal(toAlt.rules[0].type, 'HOST_NAME')
        assert.equal(toAlt.rules[0].value, 'www.example.com')
        assert.equal(toAlt.rules[0].provisioning_status, 'PENDING_CREATE')
        assert.equal(toUrl.redirect_url, 'http://example.com/')
        assert.equal(toUrl.redirect_http_code, 302)
        assert.equal(toUrl.position, 2)
        assert.deepEqual(toUrl.rules, [])
      })

      it('when the tree is created, then exactly one loadbalancer_create job was recorded', async () => {
        const jobs = await h.deps.database.db.selectFrom('job').select('operation').where('load_balancer_id', '=', created.id).execute()
        assert.deepEqual(jobs.map(j => j.operation), ['loadbalancer_create'])
      })

      it('when the job is done, then GET shows the children as ids and everything ACTIVE', async () => {
        const got = (await h.waitFor(lbUrl(created.id))).loadbalancer
        const ids = (list: { id: string }[]) => list.map(x => x.id).sort()
        assert.deepEqual(ids(got.listeners), ids(created.listeners))
        assert.deepEqual(ids(got.pools), ids(created.pools))
        assert.ok(got.listeners.every((l: any) => Object.keys(l).length === 1))
        const db = h.deps.database.db
        for (const t of ['listener', 'pool', 'member', 'health_monitor', 'l7policy', 'l7rule'] as const) {
          const rows = await db.selectFrom(t).select('provisioning_status').execute()
          assert.ok(rows.every(r => r.provisioning_status === 'ACTIVE'), t)
        }
      })

      it('when the status tree is read, then pools appear under the listeners that use them', async () => {
        await h.waitFor(lbUrl(created.id))
        const r = await h.request('GET', `${lbUrl(created.id)}/status`)
        assert.equal(r.status, 200)
        const tree = r.body.statuses.loadbalancer
        assert.equal(tree.id, created.id)
        assert.equal(tree.name, 'graph')
        assert.equal(tree.provisioning_status, 'ACTIVE')
        assert.deepEqual(Object.keys(tree).sort(), ['id', 'listeners', 'name', 'operating_status', 'provisioning_status'])
        const pools = Object.fromEntries(created.pools.map((p: any) => [p.name, p]))
        const lWeb = tree.listeners.find((l: any) => l.name === 'l-web')
        const lApi = tree.listeners.find((l: any) => l.name === 'l-api')
        assert.equal(tree.listeners.length, 2)
        assert.deepEqual(Object.keys(lWeb).sort(), ['id', 'name', 'operating_status', 'pools', 'provisioning_status'])
        assert.equal(lWeb.pools.length, 1)
        const web = lWeb.pools[0]
        assert.equal(web.id, pools.web.id)
        assert.equal(web.name, 'web')
        assert.deepEqual(Object.keys(web.health_monitor).sort(), ['id', 'name', 'operating_status', 'provisioning_status', 'type'])
        assert.deepEqual(web.health_monitor, {
          id: pools.web.healthmonitor.id, name: '', type: 'HTTP', provisioning_status: 'ACTIVE',
          operating_status: web.health_monitor.operating_status,
        })
        assert.deepEqual(web.members.map((m: any) => Object.keys(m).sort()), [
          ['address', 'id', 'name', 'operating_status', 'protocol_port', 'provisioning_status'],
          ['address', 'id', 'name', 'operating_status', 'protocol_port', 'provisioning_status'],
        ])
        assert.deepEqual(web.members.map((m: any) => [m.address, m.protocol_port, m.name]).sort(), [['192.0.2.10', 80, ''], ['192.0.2.11', 80, 'm2']])
        assert.deepEqual(lApi.pools.map((p: any) => p.name), ['api', 'alt'])
        assert.equal('health_monitor' in lApi.pools[0], false)
        assert.deepEqual(lApi.pools[0].members, [])
        const all = tree.listeners.flatMap((l: any) => l.pools.map((p: any) => p.name))
        assert.equal(all.includes('orphan'), false)
      })

      it('when an L7 policy is disabled, then its redirect pool leaves the listener\'s status tree', async () => {
        await h.waitFor(lbUrl(created.id))
        const toAlt = created.listeners[1].l7policies[0]
        await h.deps.database.db.updateTable('l7policy').set({ enabled: 0 }).where('id', '=', toAlt.id).execute()
        const r = await h.request('GET', `${lbUrl(created.id)}/statuses`)
        const lApi = r.body.statuses.loadbalancer.listeners.find((l: any) => l.name === 'l-api')
        assert.deepEqual(lApi.pools.map((p: any) => p.name), ['api'])
        await h.deps.database.db.updateTable('l7policy').set({ enabled: 1 }).where('id', '=', toAlt.id).execute()
      })

      it('when the tree is deleted with cascade, then everything is gone', async () => {
        await h.waitFor(lbUrl(created.id))
        const r = await h.request('DELETE', `${lbUrl(created.id)}?cascade=true`)
        assert.equal(r.status, 204)
        await h.waitFor(lbUrl(created.id), 'gone', body => (body?.faultstring ? 'gone' : 'there'))
        const c = await counts()
        assert.deepEqual([c.listeners, c.pools, c.members, c.hms, c.policies, c.rules], [0, 0, 0, 0, 0, 0])
      })
    })

    describe('references and errors', () => {
      it('when a listener\'s default pool is defined inline, then it is created and referenced', async () => {
        const r = await post({
          listeners: [{ protocol: 'TCP', protocol_port: 443, default_pool: { name: 'inline', protocol: 'TCP', lb_algorithm: 'ROUND_ROBIN' } }],
        })
        assert.equal(r.status, 201, JSON.stringify(r.body))
        assert.equal(r.body.loadbalancer.pools.length, 1)
        assert.equal(r.body.loadbalancer.listeners[0].default_pool_id, r.body.loadbalancer.pools[0].id)
        await h.waitFor(lbUrl(r.body.loadbalancer.id))
      })

      it('when only top-level pools are given, then they are created without listeners', async () => {
        const r = await post({ pools: [{ name: 'solo', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', members: [{ address: '192.0.2.1', protocol_port: 80 }] }] })
        assert.equal(r.status, 201, JSON.stringify(r.body))
        assert.equal(r.body.loadbalancer.pools[0].members[0].operating_status, 'NO_MONITOR')
        assert.deepEqual(r.body.loadbalancer.listeners, [])
      })

      it('when an embedded pool has no name, then nothing is written', async () => {
        await refused({ name: 'bad', listeners: [{ protocol: 'HTTP', protocol_port: 80, default_pool: { protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' } }] },
          400, 'Validation failure: Pools must be named when creating a fully populated loadbalancer.')
      })

      it('when pool names repeat, then nothing is written', async () => {
        await refused({
          name: 'bad',
          listeners: [{ protocol: 'HTTP', protocol_port: 80, default_pool: { name: 'p', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' } }],
          pools: [{ name: 'p', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' }],
        }, 400, 'Validation failure: Pool names must be unique when creating a fully populated loadbalancer.')
      })

      it('when a referenced pool is not defined, then nothing is written', async () => {
        await refused({ name: 'bad', listeners: [{ protocol: 'HTTP', protocol_port: 80, default_pool: { name: 'nope' } }] },
          400, "Validation failure: Pool 'nope' was referenced but no full definition was found.")
      })

      it('when a pool definition lacks protocol or lb_algorithm, then nothing is written', async () => {
        await refused({ name: 'bad', pools: [{ name: 'p', protocol: 'HTTP' }] },
          400, "Validation failure: Pool definition for 'p' missing required attribute: lb_algorithm")
        await refused({ name: 'bad', pools: [{ name: 'p', lb_algorithm: 'ROUND_ROBIN' }] },
          400, "Validation failure: Pool definition for 'p' missing required attribute: protocol")
      })

      it('when a member deep in the tree is invalid, then the load balancer and its VIP port are not written', async () => {
        await refused({
          name: 'bad', vip_address: '127.226.200.1',
          pools: [{ name: 'p', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', members: [{ address: '169.254.169.254', protocol_port: 80 }] }],
        }, 400, '169.254.169.254 is not a valid option for member address')
        const r = await post({ vip_address: '127.226.200.1' })
        assert.equal(r.status, 201, JSON.stringify(r.body))
      })

      it('when two listeners use one port, then the answer is 409 and nothing is written', async () => {
        await refused({
          name: 'bad',
          listeners: [{ protocol: 'HTTP', protocol_port: 81 }, { protocol: 'TCP', protocol_port: 81 }],
        }, 409, /^Another Listener on this Load Balancer is already using protocol (HTTP|TCP) and protocol_port 81$/)
      })

      it('when a listener protocol and its pool protocol do not fit, then nothing is written', async () => {
        await refused({
          name: 'bad',
          listeners: [{ protocol: 'HTTP', protocol_port: 80, default_pool: { name: 'u' } }],
          pools: [{ name: 'u', protocol: 'UDP', lb_algorithm: 'ROUND_ROBIN' }],
        }, 400, "Validation failure: The pool protocol 'UDP' is invalid while the listener protocol is 'HTTP'.")
      })

      it('when a nested object has an unknown attribute, then WSME\'s message names the path', async () => {
        await refused({ name: 'bad', pools: [{ name: 'p', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', bogus: 1 }] },
          400, 'Unknown attribute for argument load_balancer.loadbalancer.pools: bogus')
        await refused({ name: 'bad', pools: [{ name: 'p', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', members: [{ address: '192.0.2.1', protocol_port: 80, bogus: 1 }] }] },
          400, 'Unknown attribute for argument load_balancer.loadbalancer.pools.members: bogus')
      })

      it('when a nested field is invalid, then WSME\'s invalid input message names the field', async () => {
        await refused({ name: 'bad', listeners: [{ protocol: 'HTTP', protocol_port: 0 }] },
          400, "Invalid input for field/attribute protocol_port. Value: '0'. Value should be greater or equal to 1")
        await refused({ name: 'bad', listeners: [{ protocol_port: 80 }] },
          400, "Invalid input for field/attribute protocol. Value: 'None'. Mandatory field missing.")
      })

      it('when an L7 policy redirects to a pool defined inline, then the pool is created once', async () => {
        const r = await post({
          listeners: [{
            protocol: 'HTTP', protocol_port: 80,
            l7policies: [{ action: 'REDIRECT_TO_POOL', redirect_pool: { name: 'r', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' }, rules: [rule] }],
          }],
        })
        assert.equal(r.status, 201, JSON.stringify(r.body))
        assert.equal(r.body.loadbalancer.pools.length, 1)
        assert.equal(r.body.loadbalancer.listeners[0].l7policies[0].redirect_pool_id, r.body.loadbalancer.pools[0].id)
        assert.equal(r.body.loadbalancer.listeners[0].default_pool_id, null)
      })

      it('when an L7 policy references an undefined pool, then nothing is written', async () => {
        await refused({
          name: 'bad',
          listeners: [{ protocol: 'HTTP', protocol_port: 80, l7policies: [{ action: 'REDIRECT_TO_POOL', redirect_pool: { name: 'ghost' } }] }],
        }, 400, "Validation failure: Pool 'ghost' was referenced but no full definition was found.")
      })
    })
  })
}
