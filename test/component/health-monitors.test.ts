import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { DOMAIN_NAME_REGEX, EXPECTED_CODES_REGEX } from '../../src/api/v2/health-monitors/schema.js'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'
import { activePool, addPool, forceStatus, jobsOf, settle, statusOf, type PoolFixture } from '../support/pool-fixtures.js'

const HMS = '/v2/lbaas/healthmonitors'
const hmUrl = (id: string) => `${HMS}/${id}`
const base = (poolId: string, extra: Record<string, unknown> = {}) =>
  ({ pool_id: poolId, type: 'HTTP', delay: 1, timeout: 1, max_retries: 1, ...extra })

for (const dialect of testDialects) {
  describe(`health monitors (${dialect})`, () => {
    let h: Harness
    before(async () => { h = await startHarness(dialect) })
    after(async () => { await h.close() })

    const fault = async (method: string, url: string, body: unknown, status: number, message: string) => {
      const r = await h.request(method, url, body)
      assert.equal(r.status, status, JSON.stringify(r.body))
      assert.equal(r.body.faultstring, message)
    }
    /** Creates a monitor and waits for the worker to finish it. */
    const monitor = async (f: PoolFixture, body: Record<string, unknown>) => {
      const r = await h.request('POST', HMS, { healthmonitor: body })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      await settle(h, f.lbId)
      return r.body.healthmonitor
    }

    describe('create', () => {
      it('when an HTTP monitor gives only the mandatory fields, then the HTTP defaults are filled', async () => {
        const f = await activePool(h)
        const r = await h.request('POST', HMS, { healthmonitor: base(f.poolId, { project_id: 'other' }) })
        assert.equal(r.status, 201)
        const m = r.body.healthmonitor
        assert.deepEqual(
          [m.name, m.type, m.delay, m.timeout, m.max_retries, m.max_retries_down, m.http_method, m.url_path, m.expected_codes],
          ['', 'HTTP', 1, 1, 1, 3, 'GET', '/', '200'])
        assert.deepEqual([m.admin_state_up, m.http_version, m.domain_name, m.tags, m.pools], [true, null, null, [], [{ id: f.poolId }]])
        assert.deepEqual([m.provisioning_status, m.operating_status, m.project_id], ['PENDING_CREATE', 'OFFLINE', f.projectId])
        assert.match(m.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/)
        assert.equal(m.updated_at, null)
        assert.equal('tenant_id' in m || 'pool_id' in m, false)
        await settle(h, f.lbId)
        const got = (await h.request('GET', hmUrl(m.id))).body.healthmonitor
        assert.deepEqual([got.provisioning_status, got.operating_status], ['ACTIVE', 'ONLINE'])
        assert.deepEqual(await jobsOf(h, f.lbId), [{ operation: 'health_monitor_create', payload: { healthMonitorId: m.id } }])
      })

      it('when a TCP monitor is created, then the HTTP fields stay null', async () => {
        const f = await activePool(h)
        const m = await monitor(f, base(f.poolId, { type: 'TCP', max_retries_down: 5 }))
        assert.deepEqual([m.http_method, m.url_path, m.expected_codes, m.max_retries_down], [null, null, null, 5])
      })

      it('when every field is given, then they are stored and rendered', async () => {
        const f = await activePool(h, { protocol: 'HTTPS' })
        const m = await monitor(f, base(f.poolId, {
          type: 'HTTPS', name: 'hm', delay: 5, timeout: 3, max_retries: 4, max_retries_down: 2, http_method: 'HEAD',
          url_path: '/health?full=1', expected_codes: '200-204', admin_state_up: false, tags: ['z', 'a'],
          http_version: 1.1, domain_name: 'testlab.com',
        }))
        assert.deepEqual(
          [m.name, m.delay, m.timeout, m.max_retries, m.max_retries_down, m.http_method, m.url_path, m.expected_codes,
            m.admin_state_up, m.tags, m.http_version, m.domain_name],
          ['hm', 5, 3, 4, 2, 'HEAD', '/health?full=1', '200-204', false, ['a', 'z'], 1.1, 'testlab.com'])
        const got = (await h.request('GET', hmUrl(m.id))).body.healthmonitor
        assert.deepEqual([got.http_version, got.operating_status], [1.1, 'OFFLINE'])
      })

      it('when http_version is the string "1.0", then it is stored as 1.0', async () => {
        const f = await activePool(h)
        const m = await monitor(f, base(f.poolId, { http_version: '1.0', expected_codes: '200, 202' }))
        assert.equal(m.http_version, 1)
      })

      it('when the pool is UDP or SCTP, then UDP-CONNECT, SCTP, TCP and HTTP monitors are accepted', async () => {
        const udp = await activePool(h, { protocol: 'UDP' })
        await monitor(udp, base(udp.poolId, { type: 'UDP-CONNECT', delay: 3 }))
        const sctp = await activePool(h, { protocol: 'SCTP' })
        await monitor(sctp, base(sctp.poolId, { type: 'SCTP' }))
      })

      it('when the pool already has members, then new members start OFFLINE and return to NO_MONITOR after the delete', async () => {
        const f = await activePool(h)
        const m = await monitor(f, base(f.poolId, { type: 'PING' }))
        const mem = await h.request('POST', `/v2/lbaas/pools/${f.poolId}/members`, { member: { address: '192.0.2.1', protocol_port: 80 } })
        assert.equal(mem.body.member.operating_status, 'OFFLINE')
        await settle(h, f.lbId)
        assert.equal((await h.request('DELETE', hmUrl(m.id))).status, 204)
        await settle(h, f.lbId)
        await fault('GET', hmUrl(m.id), undefined, 404, `Health Monitor ${m.id} not found.`)
        const after = await h.request('GET', `/v2/lbaas/pools/${f.poolId}/members/${mem.body.member.id}`)
        assert.equal(after.body.member.operating_status, 'NO_MONITOR')
      })
    })

    describe('create validation', () => {
      let f: PoolFixture
      let udp: PoolFixture
      before(async () => {
        f = await activePool(h)
        udp = await activePool(h, { protocol: 'UDP' })
      })
      const post = (hm: unknown, status: number, message: string) => fault('POST', HMS, { healthmonitor: hm }, status, message)
      const omit = (o: Record<string, unknown>, k: string) => Object.fromEntries(Object.entries(o).filter(([key]) => key !== k))

      it('when type is missing, then 400 Mandatory field missing', () =>
        post(omit(base(f.poolId), 'type'), 400, "Invalid input for field/attribute type. Value: 'None'. Mandatory field missing."))
      it('when type is unknown, then 400 lists the types', () =>
        post(base(f.poolId, { type: 'FOO' }), 400,
          "Invalid input for field/attribute type. Value: 'FOO'. Value should be one of: HTTP, HTTPS, PING, TCP, TLS-HELLO, UDP-CONNECT, SCTP"))
      it('when delay is negative, then 400', () =>
        post(base(f.poolId, { delay: -1 }), 400, "Invalid input for field/attribute delay. Value: '-1'. Value should be greater or equal to 0"))
      it('when delay or timeout is past HAProxy\'s longest timer, then 400', async () => {
        await post(base(f.poolId, { delay: 2147484 }), 400,
          "Invalid input for field/attribute delay. Value: '2147484'. Value should be lower or equal to 2147483")
        await post(base(f.poolId, { timeout: 2147484 }), 400,
          "Invalid input for field/attribute timeout. Value: '2147484'. Value should be lower or equal to 2147483")
      })
      it('when max_retries is 0 or 11, then 400', async () => {
        await post(base(f.poolId, { max_retries: 0 }), 400,
          "Invalid input for field/attribute max_retries. Value: '0'. Value should be greater or equal to 1")
        await post(base(f.poolId, { max_retries: 11 }), 400,
          "Invalid input for field/attribute max_retries. Value: '11'. Value should be lower or equal to 10")
      })
      it('when max_retries_down is 11, then 400', () =>
        post(base(f.poolId, { max_retries_down: 11 }), 400,
          "Invalid input for field/attribute max_retries_down. Value: '11'. Value should be lower or equal to 10"))
      it('when http_method is unknown, then 400', () =>
        post(base(f.poolId, { http_method: 'FETCH' }), 400,
          "Invalid input for field/attribute http_method. Value: 'FETCH'. Value should be one of: GET, HEAD, POST, PUT, DELETE, TRACE, OPTIONS, CONNECT, PATCH"))
      it('when url_path is not a path, then 400', async () => {
        for (const bad of ['https://openstack.org', 'health', '/a b', '//host/x']) {
          await post(base(f.poolId, { url_path: bad }), 400,
            `Invalid input for field/attribute url_path. Value: '${bad}'. Value must be a valid URL Path string`)
        }
      })
      it('when expected_codes does not match, then 400 quotes the pattern', () =>
        post(base(f.poolId, { expected_codes: '20' }), 400,
          `Invalid input for field/attribute expected_codes. Value: '20'. Value should match the pattern ${EXPECTED_CODES_REGEX}`))
      it('when http_version is not 1.0 or 1.1, then 400', () =>
        post(base(f.poolId, { http_version: 2 }), 400,
          "Invalid input for field/attribute http_version. Value: '2.0'. Value should be one of: 1.0, 1.1"))
      it('when domain_name is not a hostname, then 400 quotes the pattern', () =>
        post(base(f.poolId, { http_version: 1.1, domain_name: '^testla&b.com' }), 400,
          `Invalid input for field/attribute domain_name. Value: '^testla&b.com'. Value should match the pattern ${DOMAIN_NAME_REGEX}`))
      it('when a mandatory field is null, then 400 None is not a valid option', async () => {
        for (const field of ['type', 'delay', 'timeout', 'max_retries']) {
          await post(base(f.poolId, { [field]: null }), 400, `None is not a valid option for ${field}`)
        }
      })
      it('when pool_id is null or unknown, then 404 Pool not found', async () => {
        await post(base(f.poolId, { pool_id: null }), 404, 'Pool None not found.')
        const id = randomUUID()
        await post(base(id), 404, `Pool ${id} not found.`)
      })
      it('when a TCP monitor has HTTP fields, then 400 names the field', async () => {
        for (const [field, value] of [['http_method', 'GET'], ['url_path', '/'], ['expected_codes', '200']]) {
          await post(base(f.poolId, { type: 'TCP', [field]: value }), 400, `${field} is not a valid option for health monitors of type TCP`)
        }
      })
      it('when domain_name comes without http_version, then 400', () =>
        post(base(f.poolId, { domain_name: 'testlab.com' }), 400,
          "Validation failure: 'http_version' must be specified when 'domain_name' is provided."))
      it('when domain_name comes with http_version 1.0, then 400', () =>
        post(base(f.poolId, { http_version: 1.0, domain_name: 'testlab.com' }), 400,
          'http_version 1.0 is not a valid option for health monitors HTTP 1.1 domain name health check'))
      it('when the pool protocol does not allow the type, then 400', async () => {
        await post(base(udp.poolId, { type: 'TLS-HELLO' }), 400,
          'Validation failure: The associated pool protocol is UDP, so only a UDP-CONNECT/SCTP/TCP/HTTP health monitor is supported.')
        await post(base(udp.poolId, { type: 'UDP-CONNECT', delay: 1 }), 400,
          'Validation failure: The request delay value 1 should be larger than 3 for UDP-CONNECT health monitor type.')
        await post(base(f.poolId, { type: 'UDP-CONNECT' }), 400,
          'Validation failure: The UDP-CONNECT type is only supported for pools of type UDP/SCTP.')
        await post(base(f.poolId, { type: 'SCTP' }), 400,
          'Validation failure: The SCTP type is only supported for pools of type UDP/SCTP.')
      })
      it('when an unknown attribute is given, then 400', async () => {
        const r = await h.request('POST', HMS, { healthmonitor: base(f.poolId, { bogus: 1 }) })
        assert.equal(r.status, 400)
        assert.match(r.body.faultstring, /Unknown attribute .*bogus/)
      })
      it('when every request failed, then nothing was created or locked', async () => {
        assert.deepEqual((await h.request('GET', `${HMS}?pool_id=${f.poolId}`)).body.healthmonitors, [])
        assert.equal(await statusOf(h, 'load_balancer', f.lbId), 'ACTIVE')
        assert.equal(await statusOf(h, 'pool', f.poolId), 'ACTIVE')
      })
    })

    describe('409', () => {
      it('when the pool already has a monitor, then 409', async () => {
        const f = await activePool(h)
        await monitor(f, base(f.poolId))
        await fault('POST', HMS, { healthmonitor: base(f.poolId, { type: 'TCP' }) }, 409, 'This pool already has a health monitor')
        assert.equal(await statusOf(h, 'load_balancer', f.lbId), 'ACTIVE')
      })

      it('when the load balancer or the pool is not ACTIVE, then every write answers 409', async () => {
        const f = await activePool(h)
        const m = await monitor(f, base(f.poolId))
        const other = await addPool(h, f.lbId, f.projectId)
        await forceStatus(h, 'load_balancer', f.lbId, 'PENDING_UPDATE')
        const lbMsg = `Load Balancer ${f.lbId} is immutable and cannot be updated.`
        await fault('POST', HMS, { healthmonitor: base(other) }, 409, lbMsg)
        await fault('PUT', hmUrl(m.id), { healthmonitor: { delay: 2 } }, 409, lbMsg)
        await fault('DELETE', hmUrl(m.id), undefined, 409, lbMsg)
        await forceStatus(h, 'load_balancer', f.lbId, 'ACTIVE')
        await forceStatus(h, 'pool', f.poolId, 'ERROR')
        const poolMsg = `Pool ${f.poolId} is immutable and cannot be updated.`
        await fault('PUT', hmUrl(m.id), { healthmonitor: { delay: 2 } }, 409, poolMsg)
        await fault('DELETE', hmUrl(m.id), undefined, 409, poolMsg)
        assert.equal(await statusOf(h, 'health_monitor', m.id), 'ACTIVE')
        assert.equal(await statusOf(h, 'load_balancer', f.lbId), 'ACTIVE')
      })

      it('when the monitor does not exist, then 404', async () => {
        const id = randomUUID()
        const msg = `Health Monitor ${id} not found.`
        await fault('GET', hmUrl(id), undefined, 404, msg)
        await fault('PUT', hmUrl(id), { healthmonitor: { delay: 1 } }, 404, msg)
        await fault('DELETE', hmUrl(id), undefined, 404, msg)
      })
    })

    describe('update', () => {
      it('when max_retries and tags change, then the monitor is PENDING_UPDATE then ACTIVE with them', async () => {
        const f = await activePool(h)
        const m = await monitor(f, base(f.poolId, { tags: ['old'] }))
        const r = await h.request('PUT', hmUrl(m.id), { healthmonitor: { max_retries: 2, tags: ['new'], url_path: '/health' } })
        assert.equal(r.status, 200)
        assert.equal(r.body.healthmonitor.provisioning_status, 'PENDING_UPDATE')
        await settle(h, f.lbId)
        const got = (await h.request('GET', hmUrl(m.id))).body.healthmonitor
        assert.deepEqual([got.max_retries, got.tags, got.url_path, got.provisioning_status], [2, ['new'], '/health', 'ACTIVE'])
        assert.notEqual(got.updated_at, null)
        assert.deepEqual((await jobsOf(h, f.lbId)).map(j => j.operation), ['health_monitor_create', 'health_monitor_update'])
      })

      it('when optional fields are set to null, then they revert to defaults', async () => {
        const f = await activePool(h)
        const m = await monitor(f, base(f.poolId, {
          name: 'test', domain_name: 'test.example.com', expected_codes: '400', http_method: 'HEAD', http_version: '1.1',
          url_path: '/test', max_retries_down: 7,
        }))
        const r = await h.request('PUT', hmUrl(m.id), { healthmonitor: {
          domain_name: null, expected_codes: null, http_method: null, http_version: null, max_retries_down: null, name: null, url_path: null,
        } })
        assert.equal(r.status, 200, JSON.stringify(r.body))
        const u = r.body.healthmonitor
        assert.deepEqual([u.domain_name, u.expected_codes, u.http_method, u.http_version, u.max_retries_down, u.name, u.url_path],
          [null, '200', 'GET', null, 3, '', '/'])
        await settle(h, f.lbId)
      })

      it('when an update breaks a rule, then 400 with Octavia’s message', async () => {
        const f = await activePool(h)
        const tcp = await monitor(f, base(f.poolId, { type: 'TCP' }))
        for (const [field, value] of [['http_method', 'GET'], ['url_path', '/'], ['expected_codes', null]] as const) {
          await fault('PUT', hmUrl(tcp.id), { healthmonitor: { [field]: value } }, 400,
            `${field} is not a valid option for health monitors of type TCP`)
        }
        for (const field of ['delay', 'max_retries', 'timeout']) {
          await fault('PUT', hmUrl(tcp.id), { healthmonitor: { [field]: null } }, 400, `None is not a valid option for ${field}`)
        }
        await fault('PUT', hmUrl(tcp.id), { healthmonitor: { domain_name: 'a.example' } }, 400,
          "Validation failure: 'http_version' must be specified when 'domain_name' is provided.")
        await fault('PUT', hmUrl(tcp.id), { healthmonitor: { http_version: 1.0, domain_name: 'testlab.com' } }, 400,
          'http_version 1.0 is not a valid option for health monitors HTTP 1.1 domain name health check')
        await fault('PUT', hmUrl(tcp.id), { healthmonitor: { http_version: 1.0, domain_name: '^testla&b.com' } }, 400,
          `Invalid input for field/attribute domain_name. Value: '^testla&b.com'. Value should match the pattern ${DOMAIN_NAME_REGEX}`)
        const r = await h.request('PUT', hmUrl(tcp.id), { healthmonitor: { type: 'HTTP' } })
        assert.equal(r.status, 400)
        assert.match(r.body.faultstring, /Unknown attribute .*type/)
        assert.equal(await statusOf(h, 'load_balancer', f.lbId), 'ACTIVE')
      })

      it('when a UDP-CONNECT monitor is updated, then the UDP rules apply', async () => {
        const f = await activePool(h, { protocol: 'UDP' })
        const m = await monitor(f, base(f.poolId, { type: 'UDP-CONNECT', delay: 3 }))
        await fault('PUT', hmUrl(m.id), { healthmonitor: { delay: 1 } }, 400,
          'Validation failure: The request delay value 1 should be larger than 3 for UDP-CONNECT health monitor type.')
        await fault('PUT', hmUrl(m.id), { healthmonitor: { http_method: 'GET' } }, 400,
          'http_method is not a valid option for health monitors of type UDP-CONNECT')
        assert.equal((await h.request('PUT', hmUrl(m.id), { healthmonitor: { timeout: 2 } })).status, 200)
        await settle(h, f.lbId)
      })
    })

    describe('lists', () => {
      let f: PoolFixture
      const ids: string[] = []
      before(async () => {
        f = await activePool(h)
        const pools = [f.poolId, await addPool(h, f.lbId, f.projectId), await addPool(h, f.lbId, f.projectId)]
        const specs = [
          { name: 'hm1', type: 'HTTP', max_retries: 2, tags: ['a', 'b'] },
          { name: 'hm2', type: 'PING', max_retries: 1, tags: ['a'] },
          { name: 'hm3', type: 'TCP', max_retries: 3, admin_state_up: false, tags: ['c'] },
        ]
        for (const [i, s] of specs.entries()) ids.push((await monitor(f, base(pools[i], s))).id)
      })
      const names = async (query: string) => {
        const r = await h.request('GET', `${HMS}?project_id=${f.projectId}&${query}`)
        assert.equal(r.status, 200, JSON.stringify(r.body))
        return (r.body.healthmonitors as any[]).map(m => m.name)
      }

      it('when listing a project, then its monitors come oldest first', async () => {
        assert.deepEqual(await names(''), ['hm1', 'hm2', 'hm3'])
      })
      it('when sorting by max_retries, then rise_threshold orders them', async () => {
        assert.deepEqual(await names('sort=max_retries:asc'), ['hm2', 'hm1', 'hm3'])
        assert.deepEqual(await names('sort=max_retries:desc'), ['hm3', 'hm1', 'hm2'])
      })
      it('when filtering, then attribute and tag filters apply', async () => {
        assert.deepEqual(await names(`id=${ids[0]}`), ['hm1'])
        assert.deepEqual(await names('type=PING'), ['hm2'])
        assert.deepEqual(await names(`pool_id=${f.poolId}`), ['hm1'])
        assert.deepEqual(await names('admin_state_up=false'), ['hm3'])
        assert.deepEqual(await names('max_retries=3'), ['hm3'])
        assert.deepEqual(await names('tags=a,b'), ['hm1'])
        assert.deepEqual(await names('tags-any=b,c'), ['hm1', 'hm3'])
        assert.deepEqual(await names('not-tags=a'), ['hm3'])
        assert.deepEqual(await names('not-tags-any=c'), ['hm1', 'hm2'])
      })
      it('when paginating, then limit, marker and links follow', async () => {
        const r = await h.request('GET', `${HMS}?project_id=${f.projectId}&limit=2`)
        assert.deepEqual(r.body.healthmonitors.map((m: any) => m.name), ['hm1', 'hm2'])
        const next = r.body.healthmonitors_links.find((l: any) => l.rel === 'next')
        assert.match(next.href, new RegExp(`/v2/lbaas/healthmonitors\\?limit=2&project_id=${f.projectId}&marker=${ids[1]}$`))
        assert.deepEqual(await names(`limit=2&marker=${ids[1]}`), ['hm3'])
      })
      it('when fields are selected, then only they are rendered (list and one)', async () => {
        const r = await h.request('GET', `${HMS}?project_id=${f.projectId}&fields=id&fields=pools`)
        assert.deepEqual(Object.keys(r.body.healthmonitors[0]).sort(), ['id', 'pools'])
        const one = await h.request('GET', `${hmUrl(ids[2])}?fields=name&fields=max_retries`)
        assert.deepEqual(one.body.healthmonitor, { name: 'hm3', max_retries: 3 })
      })
      it('when the query is invalid, then 400', async () => {
        await fault('GET', `${HMS}?bogus=1`, undefined, 400, 'One or more arguments are either duplicate or invalid')
        await fault('GET', `${HMS}?marker=nope`, undefined, 400, "Supplied pagination marker 'nope' is not valid.")
        await fault('GET', `${HMS}?sort=name:up`, undefined, 400, "Supplied sort direction 'up' is not valid.")
      })
    })
  })
}

for (const dialect of testDialects) {
  describe(`health monitors while the provider works, PING disabled (${dialect})`, () => {
    let h: Harness
    before(async () => {
      h = await startHarness(dialect, {
        noop_provider: { task_delay_ms: '150' },
        api_settings: { allow_ping_health_monitors: 'false', udp_connect_min_interval_health_monitor: '-3' },
      })
    })
    after(async () => { await h.close() })

    it('when PING monitors are disabled, then a PING monitor is refused', async () => {
      const f = await activePool(h)
      const r = await h.request('POST', HMS, { healthmonitor: base(f.poolId, { type: 'PING' }) })
      assert.equal(r.status, 400)
      assert.equal(r.body.faultstring, 'The selected type is not allowed in this deployment: PING')
    })

    it('when the UDP-CONNECT minimum delay is lowered, then a short delay is accepted', async () => {
      const f = await activePool(h, { protocol: 'UDP' })
      const r = await h.request('POST', HMS, { healthmonitor: base(f.poolId, { type: 'UDP-CONNECT', delay: 1 }) })
      assert.equal(r.status, 201)
      await settle(h, f.lbId)
    })

    it('when a monitor is written, then LB, listener and pool are PENDING_UPDATE until the job ends', async () => {
      const f = await activePool(h, { listener: true })
      const parents = async () => [
        await statusOf(h, 'load_balancer', f.lbId), await statusOf(h, 'listener', f.listenerId as string), await statusOf(h, 'pool', f.poolId),
      ]
      const r = await h.request('POST', HMS, { healthmonitor: base(f.poolId) })
      assert.equal(r.status, 201)
      assert.deepEqual(await parents(), ['PENDING_UPDATE', 'PENDING_UPDATE', 'PENDING_UPDATE'])
      await settle(h, f.lbId)
      assert.deepEqual(await parents(), ['ACTIVE', 'ACTIVE', 'ACTIVE'])
      const id = r.body.healthmonitor.id
      assert.equal((await h.request('PUT', hmUrl(id), { healthmonitor: { delay: 4 } })).status, 200)
      assert.deepEqual(await parents(), ['PENDING_UPDATE', 'PENDING_UPDATE', 'PENDING_UPDATE'])
      await settle(h, f.lbId)
      assert.equal((await h.request('DELETE', hmUrl(id))).status, 204)
      assert.equal(await statusOf(h, 'health_monitor', id), 'PENDING_DELETE')
      assert.deepEqual(await parents(), ['PENDING_UPDATE', 'PENDING_UPDATE', 'PENDING_UPDATE'])
      await settle(h, f.lbId)
      assert.equal(await statusOf(h, 'health_monitor', id), undefined)
    })
  })
}
