import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { nowIso } from '../../src/common/time.js'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'
import { activeLoadBalancer } from '../support/lb-fixtures.js'
import { addPool, forceStatus, jobsOf, settle, statusOf } from '../support/pool-fixtures.js'

const POOLS = '/v2/lbaas/pools'
const poolUrl = (id: string) => `${POOLS}/${id}`

for (const dialect of testDialects) {
  describe(`pools (${dialect})`, () => {
    let h: Harness
    before(async () => { h = await startHarness(dialect) })
    after(async () => { await h.close() })

    const post = (body: Record<string, unknown>) => h.request('POST', POOLS, { pool: body })
    /** Creates a pool and waits until the worker made it ACTIVE. */
    const pool = async (lbId: string, body: Record<string, unknown> = {}) => {
      const r = await post({ loadbalancer_id: lbId, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', ...body })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      await settle(h, lbId)
      return r.body.pool
    }
    const listener = async (lbId: string, protocol = 'HTTP', port = 80) => {
      const r = await h.request('POST', '/v2/lbaas/listeners', { listener: { loadbalancer_id: lbId, protocol, protocol_port: port } })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      await settle(h, lbId)
      return r.body.listener
    }
    const fault = async (method: string, url: string, body: unknown, status: number, message: string) => {
      const r = await h.request(method, url, body)
      assert.equal(r.status, status, JSON.stringify(r.body))
      assert.equal(r.body.faultstring, message)
    }
    const createFault = (body: Record<string, unknown>, status: number, message: string) =>
      fault('POST', POOLS, { pool: { protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', ...body } }, status, message)
    const updateFault = (id: string, body: Record<string, unknown>, status: number, message: string) =>
      fault('PUT', poolUrl(id), { pool: body }, status, message)
    /** An L7 policy redirecting to a pool, with `rules` rules, straight into the database. */
    const redirect = async (listenerId: string, poolId: string, rules: number) => {
      const db = h.deps.database.db
      const id = randomUUID()
      await db.insertInto('l7policy').values({
        id, project_id: null, listener_id: listenerId, name: null, description: null, action: 'REDIRECT_TO_POOL',
        redirect_pool_id: poolId, redirect_url: null, redirect_prefix: null, redirect_http_code: null, position: 1,
        provisioning_status: 'ACTIVE', operating_status: 'ONLINE', enabled: 1, created_at: nowIso(), updated_at: null,
      }).execute()
      for (let i = 0; i < rules; i++) {
        await db.insertInto('l7rule').values({
          id: randomUUID(), project_id: null, l7policy_id: id, type: 'PATH', compare_type: 'STARTS_WITH', key: null,
          value: '/api', invert: 0, provisioning_status: 'ACTIVE', operating_status: 'ONLINE', enabled: 1,
          created_at: nowIso(), updated_at: null,
        }).execute()
      }
      return id
    }

    describe('create', () => {
      it('when only the load balancer, protocol and algorithm are given, then Octavia\'s defaults are filled', async () => {
        const f = await activeLoadBalancer(h)
        const r = await post({ loadbalancer_id: f.lbId, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', tenant_id: 'other' })
        assert.equal(r.status, 201, JSON.stringify(r.body))
        const p = r.body.pool
        assert.equal(p.name, '')
        assert.equal(p.description, '')
        assert.equal(p.admin_state_up, true)
        assert.equal(p.session_persistence, null)
        assert.deepEqual(p.loadbalancers, [{ id: f.lbId }])
        assert.deepEqual(p.listeners, [])
        assert.deepEqual(p.members, [])
        assert.equal(p.healthmonitor_id, null)
        assert.deepEqual(p.tags, [])
        assert.equal(p.tls_enabled, false)
        for (const k of ['tls_container_ref', 'ca_tls_container_ref', 'crl_container_ref', 'tls_ciphers', 'tls_versions', 'alpn_protocols']) {
          assert.equal(p[k], null, k)
        }
        assert.equal(p.project_id, f.projectId)
        assert.equal(p.provisioning_status, 'PENDING_CREATE')
        assert.equal(p.operating_status, 'OFFLINE')
        assert.equal(p.updated_at, null)
        assert.equal('tenant_id' in p, false)
        assert.deepEqual(await jobsOf(h, f.lbId), [{ operation: 'pool_create', payload: { poolId: p.id } }])
        await settle(h, f.lbId)
        assert.equal((await h.request('GET', poolUrl(p.id))).body.pool.provisioning_status, 'ACTIVE')
      })

      it('when a listener_id is given, then the pool becomes its default pool; a second one gets 409', async () => {
        const f = await activeLoadBalancer(h)
        const l = await listener(f.lbId)
        const p = await pool(f.lbId, { loadbalancer_id: undefined, listener_id: l.id, name: 'p', tags: ['z', 'y'] })
        assert.deepEqual(p.listeners, [{ id: l.id }])
        assert.deepEqual(p.tags, ['y', 'z'])
        assert.deepEqual(p.loadbalancers, [{ id: f.lbId }])
        assert.equal((await h.request('GET', `/v2/lbaas/listeners/${l.id}`)).body.listener.default_pool_id, p.id)
        await createFault({ loadbalancer_id: f.lbId, listener_id: l.id }, 409, 'This listener already has a default pool')
        assert.equal(await statusOf(h, 'load_balancer', f.lbId), 'ACTIVE')
      })

      it('when neither a load balancer nor a listener is given, or they are unknown, then 400/404', async () => {
        await createFault({}, 400, 'Validation failure: Must provide at least one of: loadbalancer_id, listener_id')
        const missing = randomUUID()
        await createFault({ loadbalancer_id: missing }, 404, `Load Balancer ${missing} not found.`)
        await createFault({ listener_id: missing }, 404, `Listener ${missing} not found.`)
        const a = await activeLoadBalancer(h)
        const b = await activeLoadBalancer(h)
        const l = await listener(b.lbId)
        await createFault({ loadbalancer_id: a.lbId, listener_id: l.id }, 404, `Listener ${l.id} not found.`)
      })

      it('when the listener protocol does not accept the pool, then 400', async () => {
        const f = await activeLoadBalancer(h)
        const http = await listener(f.lbId, 'HTTP', 80)
        const prom = await listener(f.lbId, 'PROMETHEUS', 9100)
        await createFault({ listener_id: http.id, protocol: 'UDP' }, 400,
          "Validation failure: The pool protocol 'UDP' is invalid while the listener protocol is 'HTTP'.")
        await createFault({ listener_id: prom.id }, 400, 'Protocol PROMETHEUS listeners cannot have child objects.')
        const r = await post({ loadbalancer_id: f.lbId, protocol: 'TERMINATED_HTTPS', lb_algorithm: 'ROUND_ROBIN' })
        assert.equal(r.status, 400)
        assert.match(r.body.faultstring, /^Invalid input for field\/attribute protocol\. Value: 'TERMINATED_HTTPS'\. Value should be one of: /)
        for (const protocol of ['PROXY', 'PROXYV2', 'TCP']) await pool(f.lbId, { protocol })
      })

      it('when the load balancer is busy, then 409 immutable', async () => {
        const f = await activeLoadBalancer(h)
        await forceStatus(h, 'load_balancer', f.lbId, 'PENDING_UPDATE')
        await createFault({ loadbalancer_id: f.lbId }, 409, `Load Balancer ${f.lbId} is immutable and cannot be updated.`)
      })

      it('when tls_enabled is set, then the configured ciphers, versions and ALPN protocols are filled', async () => {
        const f = await activeLoadBalancer(h)
        const p = await pool(f.lbId, { tls_enabled: true })
        const s = h.config.api_settings
        assert.equal(p.tls_enabled, true)
        assert.equal(p.tls_ciphers, s.default_pool_ciphers)
        assert.deepEqual(p.tls_versions, s.default_pool_tls_versions)
        assert.deepEqual(p.alpn_protocols, s.default_pool_alpn_protocols)
        const q = await pool(f.lbId, { tls_enabled: true, tls_versions: ['TLSv1.3'], alpn_protocols: ['h2'], tls_ciphers: 'AES128-SHA' })
        assert.deepEqual([q.tls_versions, q.alpn_protocols, q.tls_ciphers], [['TLSv1.3'], ['h2'], 'AES128-SHA'])
      })

      it('when TLS options are invalid or references unknown, then Octavia\'s messages (test/component/pool-tls.test.ts reads real ones)', async () => {
        const f = await activeLoadBalancer(h)
        const [tls, ca, crl] = [randomUUID(), randomUUID(), randomUUID()]
        const lb = { loadbalancer_id: f.lbId }
        await createFault({ ...lb, crl_container_ref: crl }, 400, 'Validation failure: A CA certificate reference is required to specify a revocation list.')
        await createFault({ ...lb, tls_container_ref: tls }, 400, `Could not retrieve certificate: ['${tls}']`)
        await createFault({ ...lb, ca_tls_container_ref: ca, crl_container_ref: crl }, 400, `Could not retrieve certificate: ['${ca}', '${crl}']`)
        await createFault({ ...lb, tls_enabled: true, tls_versions: ['TLSv1.3', 'insecure'] }, 400, 'Validation failure: Invalid TLS versions: insecure')
        await createFault({ ...lb, tls_enabled: true, alpn_protocols: [] }, 400,
          'Validation failure: Empty ALPN protocol list. Either specify at least one ALPN protocol or remove this parameter to use the default.')
        await createFault({ ...lb, alpn_protocols: ['h2', 'spdy'] }, 400,
          "Invalid input for field/attribute alpn_protocols. Value: '['h2', 'spdy']'. Value should be a valid ALPN protocol ID")
        await createFault({ ...lb, tls_ciphers: 'AES;rm' }, 400,
          'Validation failure: Invalid characters in cipher string. Only alphanumeric, -, +, !, :, @, =, _, and . are allowed.')
        assert.equal(await statusOf(h, 'load_balancer', f.lbId), 'ACTIVE')
      })

      it('when session persistence is given, then Octavia\'s rules apply per pool protocol', async () => {
        const f = await activeLoadBalancer(h)
        const lb = { loadbalancer_id: f.lbId }
        const p = await pool(f.lbId, { session_persistence: { type: 'APP_COOKIE', cookie_name: 'sid' } })
        assert.deepEqual(p.session_persistence, { type: 'APP_COOKIE', cookie_name: 'sid', persistence_timeout: null, persistence_granularity: null })
        const sp = (session_persistence: unknown, protocol = 'HTTP') => ({ ...lb, protocol, session_persistence })
        await createFault(sp({ type: 'APP_COOKIE' }), 400,
          'Validation failure: Field "cookie_name" must be specified when using the "APP_COOKIE" session persistence type.')
        await createFault(sp({ type: 'HTTP_COOKIE', cookie_name: 'sid' }), 400,
          'Validation failure: Field "cookie_name" can only be specified with session persistence of type "APP_COOKIE".')
        await createFault(sp({ type: 'APP_COOKIE', cookie_name: 'b@d_cookie_name' }), 400, 'Validation failure: Supplied "cookie_name" is invalid.')
        await createFault(sp({ type: 'APP_COOKIE', cookie_name: 'two words' }), 400,
          "Invalid input for field/attribute cookie_name. Value: 'two words'. Value should match the pattern ^[^\\s,;\\\\]+$")
        await createFault(sp({ cookie_name: 'sid' }), 400, "Invalid input for field/attribute type. Value: 'None'. Mandatory field missing.")
        const badType = await post({ ...lb, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', session_persistence: { type: 'persistence_type' } })
        assert.equal(badType.status, 400)
        await createFault(sp({ type: 'SOURCE_IP', persistence_timeout: 3 }), 400,
          'Validation failure: persistence_timeout and persistence_granularity is only for UDP and SCTP protocol pools.')
        const udp = await pool(f.lbId, { protocol: 'UDP', session_persistence: { type: 'SOURCE_IP', persistence_timeout: 3, persistence_granularity: '255.255.255.0' } })
        assert.deepEqual(udp.session_persistence, { type: 'SOURCE_IP', cookie_name: null, persistence_timeout: 3, persistence_granularity: '255.255.255.0' })
        await createFault(sp({ type: 'SOURCE_IP', persistence_timeout: 3, cookie_name: 'c' }, 'UDP'), 400,
          'Validation failure: session_persistence SOURCE_IP type for UDP and SCTP protocols only accepts: type, persistence_timeout, persistence_granularity.')
        await createFault(sp({ type: 'HTTP_COOKIE', cookie_name: 'c' }, 'SCTP'), 400, 'Validation failure: Cookie names are not supported for UDP/SCTP pools.')
        for (const type of ['HTTP_COOKIE', 'APP_COOKIE']) {
          await createFault(sp({ type }, 'UDP'), 400, `Validation failure: Session persistence of type ${type} is not supported for UDP/SCTP protocol pools.`)
        }
      })

      it('when the amphora provider gets SOURCE_IP_PORT, then its HAProxy pools take it and UDP/SCTP pools get 501 as in Octavia; other providers accept it', async () => {
        for (const protocol of ['TCP', 'HTTP', 'HTTPS', 'PROXY', 'PROXYV2']) {
          const amp = await activeLoadBalancer(h, { provider: 'amphora' })
          const r = await post({ loadbalancer_id: amp.lbId, protocol, lb_algorithm: 'SOURCE_IP_PORT' })
          assert.equal(r.status, 201, `${protocol}: ${JSON.stringify(r.body)}`)
          assert.equal(r.body.pool.lb_algorithm, 'SOURCE_IP_PORT')
        }
        const amp = await activeLoadBalancer(h, { provider: 'octavia' })
        for (const protocol of ['UDP', 'SCTP']) {
          await createFault({ loadbalancer_id: amp.lbId, protocol, lb_algorithm: 'SOURCE_IP_PORT' }, 501,
            "Provider 'octavia' does not support a requested option: Amphora provider does not support SOURCE_IP_PORT algorithm.")
        }
        const noop = await activeLoadBalancer(h)
        assert.equal((await pool(noop.lbId, { lb_algorithm: 'SOURCE_IP_PORT' })).lb_algorithm, 'SOURCE_IP_PORT')
        assert.equal((await pool(noop.lbId, { protocol: 'UDP', lb_algorithm: 'SOURCE_IP_PORT' })).lb_algorithm, 'SOURCE_IP_PORT')
      })

      it('when an amphora pool is updated to SOURCE_IP_PORT, then 200 for a TCP pool and 501 for a UDP pool', async () => {
        const amp = await activeLoadBalancer(h, { provider: 'amphora' })
        const tcp = await addPool(h, amp.lbId, amp.projectId, 'TCP')
        const r = await h.request('PUT', poolUrl(tcp), { pool: { lb_algorithm: 'SOURCE_IP_PORT' } })
        assert.equal(r.status, 200, JSON.stringify(r.body))
        assert.equal(r.body.pool.lb_algorithm, 'SOURCE_IP_PORT')
        const other = await activeLoadBalancer(h, { provider: 'amphora' })
        const udp = await addPool(h, other.lbId, other.projectId, 'UDP')
        await updateFault(udp, { lb_algorithm: 'SOURCE_IP_PORT' }, 501,
          "Provider 'amphora' does not support a requested option: Amphora provider does not support SOURCE_IP_PORT algorithm.")
        assert.equal(await statusOf(h, 'load_balancer', other.lbId), 'ACTIVE', 'a refused update leaves the load balancer alone')
      })

      it('when a health monitor or members are embedded, then 400 (single-call load balancer create only)', async () => {
        const f = await activeLoadBalancer(h)
        await createFault({ loadbalancer_id: f.lbId, members: [{ address: '192.0.2.1', protocol_port: 80 }] }, 400,
          'Validation failure: A pool health monitor and members can only be created with a fully populated load balancer.')
        const r = await post({ loadbalancer_id: f.lbId, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', members: [], healthmonitor: null })
        assert.equal(r.status, 201)
      })
    })

    describe('update', () => {
      it('when plain fields change, then pool, its listener and LB are PENDING_UPDATE with a pool_update job', async () => {
        const f = await activeLoadBalancer(h)
        const l = await listener(f.lbId)
        const p = await pool(f.lbId, { listener_id: l.id, tags: ['old'] })
        const r = await h.request('PUT', poolUrl(p.id), {
          pool: { name: 'new', description: 'd', admin_state_up: false, lb_algorithm: 'SOURCE_IP', tags: ['new'] },
        })
        assert.equal(r.status, 200, JSON.stringify(r.body))
        const u = r.body.pool
        assert.deepEqual([u.name, u.description, u.admin_state_up, u.lb_algorithm, u.tags], ['new', 'd', false, 'SOURCE_IP', ['new']])
        assert.equal(u.provisioning_status, 'PENDING_UPDATE')
        assert.notEqual(u.updated_at, null)
        assert.deepEqual((await jobsOf(h, f.lbId)).at(-1), { operation: 'pool_update', payload: { poolId: p.id } })
        await settle(h, f.lbId)
        assert.equal(await statusOf(h, 'pool', p.id), 'ACTIVE')
        assert.equal(await statusOf(h, 'listener', l.id), 'ACTIVE')
      })

      it('when session persistence changes, then PUT without type keeps it, null removes it', async () => {
        const f = await activeLoadBalancer(h)
        const p = await pool(f.lbId)
        await updateFault(p.id, { session_persistence: { cookie_name: 'x' } }, 400, 'Validation failure: Invalid session_persistence provided.')
        const put = async (session_persistence: unknown) => {
          const r = await h.request('PUT', poolUrl(p.id), { pool: { session_persistence } })
          assert.equal(r.status, 200, JSON.stringify(r.body))
          await settle(h, f.lbId)
          return r.body.pool.session_persistence
        }
        assert.deepEqual(await put({ type: 'APP_COOKIE', cookie_name: 'a' }),
          { type: 'APP_COOKIE', cookie_name: 'a', persistence_timeout: null, persistence_granularity: null })
        assert.deepEqual(await put({ cookie_name: 'b' }),
          { type: 'APP_COOKIE', cookie_name: 'b', persistence_timeout: null, persistence_granularity: null })
        await updateFault(p.id, { session_persistence: {} }, 400,
          'Validation failure: Field "cookie_name" must be specified when using the "APP_COOKIE" session persistence type.')
        assert.deepEqual(await put({ type: 'SOURCE_IP', cookie_name: null }),
          { type: 'SOURCE_IP', cookie_name: null, persistence_timeout: null, persistence_granularity: null })
        await updateFault(p.id, { session_persistence: { type: 'SOURCE_IP', persistence_granularity: '255.255.0.0' } }, 400,
          'Validation failure: persistence_timeout and persistence_granularity is only for UDP protocol pools.')
        assert.equal(await put(null), null)
        assert.equal((await h.request('GET', poolUrl(p.id))).body.pool.session_persistence, null)
      })

      it('when a UDP pool gets a cookie type, then the UDP/SCTP messages', async () => {
        const f = await activeLoadBalancer(h)
        const p = await pool(f.lbId, { protocol: 'UDP', session_persistence: { type: 'SOURCE_IP' } })
        await updateFault(p.id, { session_persistence: { type: 'HTTP_COOKIE', cookie_name: 'c' } }, 400,
          'Validation failure: Cookie names are not supported for UDP/SCTP pools.')
        await updateFault(p.id, { session_persistence: { cookie_name: 'c', persistence_timeout: 4 } }, 400,
          'Validation failure: session_persistence SOURCE_IP type for UDP and SCTP protocols only accepts: type, persistence_timeout, persistence_granularity.')
        await updateFault(p.id, { session_persistence: { type: 'APP_COOKIE' } }, 400,
          'Validation failure: Session persistence of type APP_COOKIE is not supported for UDP/SCTP protocol pools.')
      })

      it('when TLS values are null, then the configured defaults come back; CA/CRL rules hold', async () => {
        const f = await activeLoadBalancer(h)
        const p = await pool(f.lbId, { tls_enabled: true, tls_versions: ['TLSv1.3'], tls_ciphers: 'AES128-SHA' })
        const r = await h.request('PUT', poolUrl(p.id), { pool: { tls_versions: null, tls_ciphers: null, alpn_protocols: null } })
        assert.equal(r.status, 200, JSON.stringify(r.body))
        const s = h.config.api_settings
        assert.deepEqual(r.body.pool.tls_versions, s.default_pool_tls_versions)
        assert.equal(r.body.pool.tls_ciphers, s.default_pool_ciphers)
        assert.equal(r.body.pool.alpn_protocols, null)
        await settle(h, f.lbId)
        const crl = randomUUID()
        await updateFault(p.id, { crl_container_ref: crl }, 400, 'Validation failure: A CA reference is required to specify a certificate revocation list.')
        await updateFault(p.id, { ca_tls_container_ref: null, crl_container_ref: crl }, 400,
          'Validation failure: A CA reference is required to specify a certificate revocation list.')
        const tls = randomUUID()
        await updateFault(p.id, { tls_container_ref: tls }, 400, `Could not retrieve certificate: ['${tls}']`)
        await updateFault(p.id, { tls_versions: [] }, 400,
          'Validation failure: Empty TLS version list. Either specify at least one TLS version or remove this parameter to use the default.')
        const off = await h.request('PUT', poolUrl(p.id), { pool: { tls_enabled: false, ca_tls_container_ref: null } })
        assert.equal(off.body.pool.tls_enabled, false)
      })

      it('when the pool is unknown or the load balancer busy, then 404 and 409', async () => {
        const missing = randomUUID()
        await updateFault(missing, { name: 'x' }, 404, `Pool ${missing} not found.`)
        const f = await activeLoadBalancer(h)
        const p = await pool(f.lbId)
        await forceStatus(h, 'load_balancer', f.lbId, 'PENDING_UPDATE')
        await updateFault(p.id, { name: 'x' }, 409, `Load Balancer ${f.lbId} is immutable and cannot be updated.`)
        const r = await h.request('PUT', poolUrl(p.id), { pool: { protocol: 'TCP' } })
        assert.equal(r.status, 400)
      })
    })

    describe('delete', () => {
      it('when deleted, then the worker removes it and its listener loses its default pool', async () => {
        const f = await activeLoadBalancer(h)
        const l = await listener(f.lbId)
        const p = await pool(f.lbId, { listener_id: l.id })
        assert.equal((await h.request('DELETE', poolUrl(p.id))).status, 204)
        assert.deepEqual((await jobsOf(h, f.lbId)).at(-1), { operation: 'pool_delete', payload: { poolId: p.id } })
        await settle(h, f.lbId)
        await fault('GET', poolUrl(p.id), undefined, 404, `Pool ${p.id} not found.`)
        assert.equal((await h.request('GET', `/v2/lbaas/listeners/${l.id}`)).body.listener.default_pool_id, null)
        await fault('DELETE', poolUrl(p.id), undefined, 404, `Pool ${p.id} not found.`)
      })

      it('when an L7 policy redirects to the pool, then 409 in use; listeners of enabled policies with rules are shown', async () => {
        const f = await activeLoadBalancer(h)
        const l1 = await listener(f.lbId, 'HTTP', 80)
        const l2 = await listener(f.lbId, 'HTTP', 81)
        const p = await pool(f.lbId)
        const withRule = await redirect(l1.id, p.id, 1)
        const withoutRule = await redirect(l2.id, p.id, 0)
        const got = (await h.request('GET', poolUrl(p.id))).body.pool
        assert.deepEqual(got.listeners, [{ id: l1.id }])
        const r = await h.request('DELETE', poolUrl(p.id))
        assert.equal(r.status, 409)
        // NOTE: any redirecting policy blocks the delete (Octavia names the first it finds).
        assert.ok([withRule, withoutRule].map(id => `Pool ${p.id} is in use by L7 policy ${id}`).includes(r.body.faultstring),
          r.body.faultstring)
      })
    })

    describe('while a job is in flight (slow noop provider)', () => {
      let slow: Harness
      before(async () => { slow = await startHarness(dialect, { noop_provider: { task_delay_ms: '150' } }) })
      after(async () => { await slow.close() })

      it('when a pool is created, updated, deleted, then pool, listener and LB are PENDING_* and a second write gets 409', async () => {
        const f = await activeLoadBalancer(slow)
        const lr = await slow.request('POST', '/v2/lbaas/listeners', { listener: { loadbalancer_id: f.lbId, protocol: 'HTTP', protocol_port: 80 } })
        await settle(slow, f.lbId)
        const lid = lr.body.listener.id
        const states = async (id: string) => [
          await statusOf(slow, 'load_balancer', f.lbId), await statusOf(slow, 'listener', lid), await statusOf(slow, 'pool', id)]
        const busy = async (method: string, url: string, body?: unknown) => {
          const r = await slow.request(method, url, body)
          assert.deepEqual([r.status, r.body.faultstring], [409, `Load Balancer ${f.lbId} is immutable and cannot be updated.`])
        }
        const c = await slow.request('POST', POOLS, { pool: { listener_id: lid, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' } })
        const id = c.body.pool.id
        assert.deepEqual(await states(id), ['PENDING_UPDATE', 'PENDING_UPDATE', 'PENDING_CREATE'])
        await busy('POST', POOLS, { pool: { loadbalancer_id: f.lbId, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' } })
        await settle(slow, f.lbId)
        assert.deepEqual(await states(id), ['ACTIVE', 'ACTIVE', 'ACTIVE'])
        assert.equal((await slow.request('PUT', poolUrl(id), { pool: { name: 'n' } })).status, 200)
        assert.deepEqual(await states(id), ['PENDING_UPDATE', 'PENDING_UPDATE', 'PENDING_UPDATE'])
        await busy('PUT', poolUrl(id), { pool: { name: 'm' } })
        await settle(slow, f.lbId)
        assert.equal((await slow.request('DELETE', poolUrl(id))).status, 204)
        assert.deepEqual(await states(id), ['PENDING_UPDATE', 'PENDING_UPDATE', 'PENDING_DELETE'])
        await busy('DELETE', poolUrl(id))
        await settle(slow, f.lbId)
        assert.deepEqual(await states(id), ['ACTIVE', 'ACTIVE', undefined])
      })
    })

    describe('list and show', () => {
      let lbId: string
      let ids: string[]
      let hmId: string
      before(async () => {
        const f = await activeLoadBalancer(h)
        lbId = f.lbId
        ids = []
        for (const [name, protocol, tags, admin] of [
          ['p1', 'HTTP', ['a', 'b'], true], ['p2', 'TCP', ['b', 'c'], false], ['p3', 'HTTP', ['d'], true],
        ] as const) {
          ids.push((await pool(lbId, { name, protocol, tags, admin_state_up: admin })).id)
        }
        const hm = await h.request('POST', '/v2/lbaas/healthmonitors',
          { healthmonitor: { pool_id: ids[1], type: 'TCP', delay: 5, timeout: 3, max_retries: 2 } })
        assert.equal(hm.status, 201, JSON.stringify(hm.body))
        hmId = hm.body.healthmonitor.id
        await settle(h, lbId)
      })
      const list = async (query: string) => {
        const r = await h.request('GET', `${POOLS}?loadbalancer_id=${lbId}${query}`)
        assert.equal(r.status, 200, JSON.stringify(r.body))
        return r.body
      }
      const idsOf = (body: { pools: { id: string }[] }) => body.pools.map(p => p.id)

      it('when a pool has a health monitor, then healthmonitor_id shows it and filters by it', async () => {
        assert.equal((await h.request('GET', poolUrl(ids[1]))).body.pool.healthmonitor_id, hmId)
        assert.deepEqual(idsOf(await list(`&healthmonitor_id=${hmId}`)), [ids[1]])
        assert.deepEqual(idsOf(await list(`&id=${ids[0]}&healthmonitor_id=${hmId}`)), [])
      })

      it('when paginating and sorting, then links and order follow Octavia', async () => {
        assert.deepEqual(idsOf(await list('')), ids)
        const first = await list('&limit=1&sort=name:desc')
        assert.deepEqual(idsOf(first), [ids[2]])
        assert.deepEqual(first.pools_links.map((l: { rel: string }) => l.rel), ['next'])
        const second = await list(`&limit=1&sort=name:desc&marker=${ids[2]}`)
        assert.deepEqual(idsOf(second), [ids[1]])
        assert.deepEqual(second.pools_links.map((l: { rel: string }) => l.rel), ['previous', 'next'])
        await fault('GET', `${POOLS}?marker=nope`, undefined, 400, "Supplied pagination marker 'nope' is not valid.")
        await fault('GET', `${POOLS}?sort=healthmonitor_id`, undefined, 400, "Supplied sort key 'healthmonitor_id' is not valid.")
      })

      it('when filtering, then admin_state_up, protocol and unknown keys behave as in Octavia', async () => {
        assert.deepEqual(idsOf(await list('&admin_state_up=false')), [ids[1]])
        assert.deepEqual(idsOf(await list('&protocol=HTTP')), [ids[0], ids[2]])
        assert.deepEqual(idsOf(await list('&lb_algorithm=ROUND_ROBIN&name=p3')), [ids[2]])
        await fault('GET', `${POOLS}?listener_id=x`, undefined, 400, 'One or more arguments are either duplicate or invalid')
      })

      it('when filtering by tags and selecting fields, then Octavia\'s semantics', async () => {
        assert.deepEqual(idsOf(await list('&tags=b')), [ids[0], ids[1]])
        assert.deepEqual(idsOf(await list('&tags=b&tags=c')), [ids[1]])
        assert.deepEqual(idsOf(await list('&tags-any=a,d')), [ids[0], ids[2]])
        assert.deepEqual(idsOf(await list('&not-tags=b')), [ids[2]])
        assert.deepEqual(idsOf(await list('&not-tags-any=a,c')), [ids[2]])
        const body = await list('&fields=id&fields=members&fields=healthmonitor_id')
        assert.deepEqual(body.pools[1], { id: ids[1], members: [], healthmonitor_id: hmId })
        const one = await h.request('GET', `${poolUrl(ids[0])}?fields=name`)
        assert.deepEqual(one.body, { pool: { name: 'p1' } })
      })

      it('when a pool is unknown, then 404', async () => {
        const id = randomUUID()
        await fault('GET', poolUrl(id), undefined, 404, `Pool ${id} not found.`)
      })
    })
  })
}
