import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { nowIso } from '../../src/common/time.js'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'
import { activeLoadBalancer } from '../support/lb-fixtures.js'
import { forceStatus, jobsOf, settle, statusOf } from '../support/pool-fixtures.js'

const LISTENERS = '/v2/lbaas/listeners'
const listenerUrl = (id: string) => `${LISTENERS}/${id}`

for (const dialect of testDialects) {
  describe(`listeners (${dialect})`, () => {
    let h: Harness
    before(async () => { h = await startHarness(dialect) })
    after(async () => { await h.close() })

    const post = (body: Record<string, unknown>) => h.request('POST', LISTENERS, { listener: body })
    /** Creates a listener and waits until the worker made it ACTIVE. */
    const listener = async (lbId: string, body: Record<string, unknown>) => {
      const r = await post({ loadbalancer_id: lbId, ...body })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      await settle(h, lbId)
      return r.body.listener
    }
    const pool = async (lbId: string, protocol = 'HTTP', extra: Record<string, unknown> = {}) => {
      const r = await h.request('POST', '/v2/lbaas/pools',
        { pool: { loadbalancer_id: lbId, protocol, lb_algorithm: 'ROUND_ROBIN', ...extra } })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      await settle(h, lbId)
      return r.body.pool
    }
    const fault = async (method: string, url: string, body: unknown, status: number, message: string) => {
      const r = await h.request(method, url, body)
      assert.equal(r.status, status, JSON.stringify(r.body))
      assert.equal(r.body.faultstring, message)
    }
    const createFault = async (lbId: string, body: Record<string, unknown>, status: number, message: string) =>
      fault('POST', LISTENERS, { listener: { loadbalancer_id: lbId, ...body } }, status, message)

    describe('create', () => {
      it('when only protocol and port are given, then Octavia\'s defaults are filled and the LB is locked', async () => {
        const f = await activeLoadBalancer(h)
        const r = await post({ loadbalancer_id: f.lbId, protocol: 'HTTP', protocol_port: 80, project_id: 'someone-else' })
        assert.equal(r.status, 201)
        const l = r.body.listener
        assert.equal(l.name, '')
        assert.equal(l.description, '')
        assert.equal(l.admin_state_up, true)
        assert.equal(l.connection_limit, -1)
        assert.equal(l.default_tls_container_ref, null)
        assert.deepEqual(l.sni_container_refs, [])
        assert.equal(l.default_pool_id, null)
        assert.deepEqual(l.l7policies, [])
        assert.deepEqual(l.insert_headers, {})
        assert.deepEqual(l.loadbalancers, [{ id: f.lbId }])
        assert.equal(l.timeout_client_data, 50000)
        assert.equal(l.timeout_member_connect, 5000)
        assert.equal(l.timeout_member_data, 50000)
        assert.equal(l.timeout_tcp_inspect, 0)
        assert.deepEqual(l.tags, [])
        assert.equal(l.client_ca_tls_container_ref, null)
        assert.equal(l.client_authentication, 'NONE')
        assert.equal(l.client_crl_container_ref, null)
        assert.equal(l.allowed_cidrs, null)
        assert.equal(l.tls_ciphers, null)
        assert.equal(l.tls_versions, null)
        assert.equal(l.alpn_protocols, null)
        assert.equal(l.hsts_max_age, null)
        assert.equal(l.hsts_include_subdomains, false)
        assert.equal(l.hsts_preload, false)
        assert.equal(l.project_id, f.projectId)
        assert.equal(l.provisioning_status, 'PENDING_CREATE')
        assert.equal(l.operating_status, 'OFFLINE')
        assert.match(l.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/)
        assert.equal(l.updated_at, null)
        assert.equal('tenant_id' in l, false)
        assert.deepEqual(await jobsOf(h, f.lbId), [{ operation: 'listener_create', payload: { listenerId: l.id } }])
        await settle(h, f.lbId)
        assert.equal((await h.request('GET', listenerUrl(l.id))).body.listener.provisioning_status, 'ACTIVE')
      })

      it('when every plain field is given, then they are stored and rendered', async () => {
        const f = await activeLoadBalancer(h)
        const l = await listener(f.lbId, {
          protocol: 'HTTP', protocol_port: 8080, name: 'web', description: 'front', admin_state_up: false,
          connection_limit: 10, insert_headers: { 'X-Forwarded-For': 'true', 'X-Forwarded-Port': 'false' },
          timeout_client_data: 1, timeout_member_connect: 2, timeout_member_data: 3, timeout_tcp_inspect: 2073600000,
          allowed_cidrs: ['10.0.1.5/24', '10.0.1.0/24', '192.0.2.7'], tags: ['b', 'a'],
          tls_ciphers: 'ECDHE-RSA-AES128-GCM-SHA256',
        })
        const got = (await h.request('GET', listenerUrl(l.id))).body.listener
        assert.equal(got.name, 'web')
        assert.equal(got.description, 'front')
        assert.equal(got.admin_state_up, false)
        assert.equal(got.connection_limit, 10)
        assert.deepEqual(got.insert_headers, { 'X-Forwarded-For': 'true', 'X-Forwarded-Port': 'false' })
        assert.deepEqual([got.timeout_client_data, got.timeout_member_connect, got.timeout_member_data, got.timeout_tcp_inspect],
          [1, 2, 3, 2073600000])
        assert.deepEqual(got.allowed_cidrs, ['10.0.1.0/24', '192.0.2.7/32'])
        assert.deepEqual(got.tags, ['a', 'b'])
        assert.equal(got.tls_ciphers, 'ECDHE-RSA-AES128-GCM-SHA256')
      })

      it('when admin_state_up is null, then it is false (WSME)', async () => {
        const f = await activeLoadBalancer(h)
        const r = await post({ loadbalancer_id: f.lbId, protocol: 'TCP', protocol_port: 80, admin_state_up: null })
        assert.equal(r.body.listener.admin_state_up, false)
      })

      it('when UDP, SCTP and PROMETHEUS listeners are created, then the API accepts them', async () => {
        const f = await activeLoadBalancer(h)
        for (const [protocol, port] of [['UDP', 53], ['SCTP', 90], ['PROMETHEUS', 9100]] as const) {
          const l = await listener(f.lbId, { protocol, protocol_port: port })
          assert.equal(l.protocol, protocol)
        }
      })

      it('when the load balancer is unknown or busy, then 404 and 409', async () => {
        const missing = randomUUID()
        await createFault(missing, { protocol: 'HTTP', protocol_port: 80 }, 404, `Load Balancer ${missing} not found.`)
        const f = await activeLoadBalancer(h)
        await forceStatus(h, 'load_balancer', f.lbId, 'PENDING_UPDATE')
        await createFault(f.lbId, { protocol: 'HTTP', protocol_port: 80 }, 409,
          `Load Balancer ${f.lbId} is immutable and cannot be updated.`)
      })

      it('when a second write comes while the first is in flight, then 409 immutable', async () => {
        const f = await activeLoadBalancer(h)
        assert.equal((await post({ loadbalancer_id: f.lbId, protocol: 'HTTP', protocol_port: 80 })).status, 201)
        await forceStatus(h, 'load_balancer', f.lbId, 'PENDING_UPDATE')
        await createFault(f.lbId, { protocol: 'HTTP', protocol_port: 81 }, 409,
          `Load Balancer ${f.lbId} is immutable and cannot be updated.`)
        await forceStatus(h, 'load_balancer', f.lbId, 'ACTIVE')
      })

      it('when attributes have the wrong type or range, then WSME-style 400s', async () => {
        const f = await activeLoadBalancer(h)
        await createFault(f.lbId, { protocol: 'HTTP', protocol_port: 0 }, 400,
          "Invalid input for field/attribute protocol_port. Value: '0'. Value should be greater or equal to 1")
        await createFault(f.lbId, { protocol: 'HTTP', protocol_port: 65536 }, 400,
          "Invalid input for field/attribute protocol_port. Value: '65536'. Value should be lower or equal to 65535")
        await createFault(f.lbId, { protocol: 'HTTP', protocol_port: 80, timeout_client_data: 2073600001 }, 400,
          "Invalid input for field/attribute timeout_client_data. Value: '2073600001'. Value should be lower or equal to 2073600000")
        await createFault(f.lbId, { protocol: 'HTTP', protocol_port: 80, timeout_tcp_inspect: -1 }, 400,
          "Invalid input for field/attribute timeout_tcp_inspect. Value: '-1'. Value should be greater or equal to 0")
        await createFault(f.lbId, { protocol: 'HTTP', protocol_port: 80, connection_limit: -2 }, 400,
          "Invalid input for field/attribute connection_limit. Value: '-2'. Value should be greater or equal to -1")
        await createFault(f.lbId, { protocol: 'HTTP', protocol_port: 80, connection_limit: 2147483648 }, 400,
          "Invalid input for field/attribute connection_limit. Value: '2147483648'. Value should be lower or equal to 2147483647")
        await fault('POST', LISTENERS, { listener: { protocol: 'HTTP', protocol_port: 80 } }, 400,
          "Invalid input for field/attribute loadbalancer_id. Value: 'None'. Mandatory field missing.")
        const r = await post({ loadbalancer_id: f.lbId, protocol: 'PROXY', protocol_port: 80 })
        assert.equal(r.status, 400)
        assert.match(r.body.faultstring, /^Invalid input for field\/attribute protocol\. Value: 'PROXY'\. Value should be one of: /)
        await createFault(f.lbId, { protocol: 'TERMINATED_HTTPS', protocol_port: 443, alpn_protocols: ['http/1.1', 'invalid-proto'] }, 400,
          "Invalid input for field/attribute alpn_protocols. Value: '['http/1.1', 'invalid-proto']'. Value should be a valid ALPN protocol ID")
        await createFault(f.lbId, { protocol: 'TCP', protocol_port: 80, allowed_cidrs: ['10.0.1.0/33', '172.16.55.1.0/25'] }, 400,
          "Invalid input for field/attribute allowed_cidrs. Value: '['10.0.1.0/33', '172.16.55.1.0/25']'. Value should be IPv4 or IPv6 CIDR format")
      })

      it('when a port is used by the same L4 family, then 409; another family may share it', async () => {
        const f = await activeLoadBalancer(h)
        await listener(f.lbId, { protocol: 'TCP', protocol_port: 80 })
        await createFault(f.lbId, { protocol: 'HTTP', protocol_port: 80 }, 409,
          'Another Listener on this Load Balancer is already using protocol TCP and protocol_port 80')
        await createFault(f.lbId, { protocol: 'PROMETHEUS', protocol_port: 80 }, 409,
          'Another Listener on this Load Balancer is already using protocol TCP and protocol_port 80')
        await listener(f.lbId, { protocol: 'UDP', protocol_port: 80 })
        await listener(f.lbId, { protocol: 'SCTP', protocol_port: 80 })
        await createFault(f.lbId, { protocol: 'UDP', protocol_port: 80 }, 409,
          'Another Listener on this Load Balancer is already using protocol UDP and protocol_port 80')
        assert.equal(await statusOf(h, 'load_balancer', f.lbId), 'ACTIVE')
      })

      it('when insert_headers break a rule, then Octavia\'s messages', async () => {
        const f = await activeLoadBalancer(h)
        const headers = (insert_headers: Record<string, string>, protocol = 'HTTP') =>
          ({ protocol, protocol_port: 80, insert_headers })
        await createFault(f.lbId, headers({ 'X-Forwarded-For': 'true' }, 'TCP'), 400,
          'insert-headers is not a valid option for a TCP protocol listener.')
        await createFault(f.lbId, headers({ 'X-Forwarded-For': 'true' }, 'UDP'), 400,
          'insert-headers is not a valid option for a UDP protocol listener.')
        await createFault(f.lbId, headers({ 'X-Forwarded-Four': 'true' }), 400,
          "dict_keys(['X-Forwarded-Four']) is not a valid option for insert_headers")
        await createFault(f.lbId, headers({ 'X-Forwarded-For': 'true', 'X-SSL-Client-Verify': 'true' }), 400,
          "['X-SSL-Client-Verify'] is not a valid option for HTTP protocol listener.")
        const bad = await post({ loadbalancer_id: f.lbId, ...headers({ 'X-Forwarded-For': true as unknown as string }) })
        assert.equal(bad.status, 400)
      })

      it('when certificate rules are broken, then Octavia\'s messages in Octavia\'s order', async () => {
        const f = await activeLoadBalancer(h)
        const [tls, sni1, sni2, ca, crl] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()]
        await createFault(f.lbId, { protocol: 'UDP', protocol_port: 53, default_tls_container_ref: tls }, 400,
          'Validation failure: UDP protocol listener does not support TLS.')
        await createFault(f.lbId, { protocol: 'TCP', protocol_port: 80, default_tls_container_ref: tls }, 400,
          'Validation failure: Certificate container references are not allowed on TCP protocol listeners.')
        await createFault(f.lbId, { protocol: 'HTTP', protocol_port: 80, sni_container_refs: [sni1] }, 400,
          'Validation failure: Certificate container references are not allowed on HTTP protocol listeners.')
        await createFault(f.lbId, { protocol: 'TERMINATED_HTTPS', protocol_port: 443 }, 400,
          'Validation failure: An SNI or default certificate container reference must be provided for TERMINATED_HTTPS protocol listeners.')
        await createFault(f.lbId, { protocol: 'TERMINATED_HTTPS', protocol_port: 443, client_ca_tls_container_ref: ca }, 400,
          'Validation failure: An SNI or default certificate container reference must be provided with a client CA container reference.')
        await createFault(f.lbId, { protocol: 'TERMINATED_HTTPS', protocol_port: 443, default_tls_container_ref: tls, client_authentication: 'MANDATORY' }, 400,
          'Validation failure: Client authentication setting MANDATORY requires a client CA container reference.')
        await createFault(f.lbId, { protocol: 'TERMINATED_HTTPS', protocol_port: 443, default_tls_container_ref: tls, client_crl_container_ref: crl }, 400,
          'Validation failure: A client authentication CA reference is required to specify a client authentication revocation list.')
        // References nobody stored (test/component/listener-tls.test.ts reads real ones).
        await createFault(f.lbId, { protocol: 'TERMINATED_HTTPS', protocol_port: 443, default_tls_container_ref: tls, sni_container_refs: [sni1, sni2] }, 400,
          `Could not retrieve certificate: ['${sni1}', '${sni2}', '${tls}']`)
        await createFault(f.lbId, { protocol: 'PROMETHEUS', protocol_port: 9100, sni_container_refs: [sni1] }, 400,
          `Could not retrieve certificate: ['${sni1}']`)
        assert.equal(await statusOf(h, 'load_balancer', f.lbId), 'ACTIVE')
      })

      it('when TLS, HSTS and cipher options are invalid, then Octavia\'s messages', async () => {
        const f = await activeLoadBalancer(h)
        await createFault(f.lbId, { protocol: 'HTTP', protocol_port: 80, tls_ciphers: 'AES128 SHA' }, 400,
          'Validation failure: Invalid characters in cipher string. Only alphanumeric, -, +, !, :, @, =, _, and . are allowed.')
        await createFault(f.lbId, { protocol: 'HTTP', protocol_port: 80, hsts_max_age: 10 }, 400,
          'Validation failure: The HSTS feature can only be used for listeners using the TERMINATED_HTTPS protocol.')
        await createFault(f.lbId, { protocol: 'HTTP', protocol_port: 80, hsts_preload: true }, 400,
          'Validation failure: HSTS configuration options hsts_include_subdomains and hsts_preload only make sense if hsts_max_age is set as well.')
        await createFault(f.lbId, { protocol: 'HTTP', protocol_port: 80, tls_ciphers: ['cipher-insecure'] }, 400,
          "Invalid input for field/attribute tls_ciphers. Value: '[\"cipher-insecure\"]'. Wrong type. Expected 'string', got 'array'")
      })

      it('when allowed_cidrs do not match the VIP IP versions, then 400; a dual-stack VIP takes both', async () => {
        const v4 = await activeLoadBalancer(h)
        await createFault(v4.lbId, { protocol: 'TCP', protocol_port: 80, allowed_cidrs: ['2001:db8:a0b:12f0::/64'] }, 400,
          "Validation failure: CIDR 2001:db8:a0b:12f0::/64 IP version incompatible with all VIPs ['198.51.100.5'] IP version.")
        const v6 = await activeLoadBalancer(h, { vip: '2001:db9:a1b:13f0::1' })
        await createFault(v6.lbId, { protocol: 'TCP', protocol_port: 80, allowed_cidrs: ['10.0.1.0/24'] }, 400,
          "Validation failure: CIDR 10.0.1.0/24 IP version incompatible with all VIPs ['2001:db9:a1b:13f0::1'] IP version.")
        const l6 = await listener(v6.lbId, { protocol: 'TCP', protocol_port: 80, allowed_cidrs: ['2001:DB8:a0b:12f0:0:0:0:1/64'] })
        assert.deepEqual(l6.allowed_cidrs, ['2001:db8:a0b:12f0::/64'])
        const dual = await activeLoadBalancer(h, { additionalVips: ['2001:db9:a1b:13f0::1'] })
        const l = await listener(dual.lbId, { protocol: 'TCP', protocol_port: 80, allowed_cidrs: ['10.0.1.0/24', '2001:db9:a1b:13f0::/64'] })
        assert.deepEqual(l.allowed_cidrs, ['10.0.1.0/24', '2001:db9:a1b:13f0::/64'])
        const sg = await activeLoadBalancer(h, { sgIds: [randomUUID()] })
        await createFault(sg.lbId, { protocol: 'TCP', protocol_port: 80, allowed_cidrs: ['10.0.1.0/24'] }, 400,
          'Validation failure: Allowed CIDRs are not allowed when using custom VIP Security Groups.')
      })

      it('when default_pool_id is given, then it must exist on the LB and fit the protocol; pools can be shared', async () => {
        const f = await activeLoadBalancer(h)
        const other = await activeLoadBalancer(h)
        const http = await pool(f.lbId)
        const udp = await pool(f.lbId, 'UDP')
        const foreign = await pool(other.lbId)
        const missing = randomUUID()
        await createFault(f.lbId, { protocol: 'HTTP', protocol_port: 80, default_pool_id: missing }, 404, `Pool ${missing} not found.`)
        await createFault(f.lbId, { protocol: 'HTTP', protocol_port: 80, default_pool_id: foreign.id }, 404, `Pool ${foreign.id} not found.`)
        await createFault(f.lbId, { protocol: 'HTTP', protocol_port: 80, default_pool_id: udp.id }, 400,
          "Validation failure: The pool protocol 'UDP' is invalid while the listener protocol is 'HTTP'.")
        await createFault(f.lbId, { protocol: 'PROMETHEUS', protocol_port: 9100, default_pool_id: http.id }, 400,
          'Protocol PROMETHEUS listeners cannot have child objects.')
        const a = await listener(f.lbId, { protocol: 'HTTP', protocol_port: 80, default_pool_id: http.id })
        const b = await listener(f.lbId, { protocol: 'TCP', protocol_port: 81, default_pool_id: http.id })
        assert.equal(a.default_pool_id, http.id)
        assert.equal(b.default_pool_id, http.id)
        const p = (await h.request('GET', `/v2/lbaas/pools/${http.id}`)).body.pool
        assert.deepEqual(p.listeners.map((x: { id: string }) => x.id).sort(), [a.id, b.id].sort())
      })

      it('when a default_pool object is embedded, then the pool is created with the listener', async () => {
        const f = await activeLoadBalancer(h)
        const r = await post({
          loadbalancer_id: f.lbId, protocol: 'HTTP', protocol_port: 80,
          default_pool: { name: 'web', protocol: 'HTTP', lb_algorithm: 'LEAST_CONNECTIONS' },
        })
        assert.equal(r.status, 201, JSON.stringify(r.body))
        const p = (await h.request('GET', `/v2/lbaas/pools/${r.body.listener.default_pool_id}`)).body.pool
        assert.equal(p.name, 'web')
        assert.equal(p.lb_algorithm, 'LEAST_CONNECTIONS')
        assert.deepEqual(p.listeners, [{ id: r.body.listener.id }])
        await settle(h, f.lbId)
        const settled = (await h.request('GET', `/v2/lbaas/pools/${p.id}`)).body.pool
        assert.equal(settled.provisioning_status, 'ACTIVE', 'the listener_create job activates the embedded pool')
        await createFault(f.lbId, { protocol: 'HTTP', protocol_port: 81, default_pool: { name: 'x', protocol: 'HTTP' } }, 400,
          "Validation failure: Pool definition for 'x' missing required attribute: lb_algorithm")
        await createFault(f.lbId, { protocol: 'HTTP', protocol_port: 81, default_pool: { protocol: 'UDP', lb_algorithm: 'ROUND_ROBIN' } }, 400,
          "Validation failure: The pool protocol 'UDP' is invalid while the listener protocol is 'HTTP'.")
        await createFault(f.lbId, {
          protocol: 'HTTP', protocol_port: 81,
          default_pool: { protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', members: [{ address: '192.0.2.1', protocol_port: 80 }] },
        }, 400, 'Validation failure: A pool health monitor and members can only be created with a fully populated load balancer.')
      })
    })

    describe('embedded L7 policies', () => {
      it('when l7policies are embedded, then they are created with the listener and activated by its job', async () => {
        const f = await activeLoadBalancer(h)
        const r = await post({
          loadbalancer_id: f.lbId, protocol: 'HTTP', protocol_port: 80,
          default_pool: { name: 'web', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' },
          l7policies: [
            { action: 'REJECT', rules: [{ type: 'PATH', compare_type: 'STARTS_WITH', value: '/admin' }] },
            { action: 'REDIRECT_TO_POOL', redirect_pool: { name: 'web' }, position: 1 },
          ],
        })
        assert.equal(r.status, 201, JSON.stringify(r.body))
        const l = r.body.listener
        assert.equal(l.l7policies.length, 2)
        await settle(h, f.lbId)
        const policies = await Promise.all(l.l7policies.map((p: { id: string }) => h.request('GET', `/v2/lbaas/l7policies/${p.id}`)))
        const byAction = Object.fromEntries(policies.map(p => [p.body.l7policy.action, p.body.l7policy]))
        assert.equal(byAction.REDIRECT_TO_POOL.redirect_pool_id, l.default_pool_id)
        assert.equal(byAction.REDIRECT_TO_POOL.position, 1)
        assert.equal(byAction.REJECT.rules.length, 1)
        assert.equal(byAction.REJECT.provisioning_status, 'ACTIVE')
        assert.deepEqual(l.l7policies, [{ id: byAction.REDIRECT_TO_POOL.id }, { id: byAction.REJECT.id }])
      })

      it('when an embedded policy is invalid or the listener cannot have children, then 400', async () => {
        const f = await activeLoadBalancer(h)
        await createFault(f.lbId, { protocol: 'PROMETHEUS', protocol_port: 9100, l7policies: [{ action: 'REJECT' }] }, 400,
          'Protocol PROMETHEUS listeners cannot have child objects.')
        await createFault(f.lbId, { protocol: 'HTTP', protocol_port: 80, l7policies: [{ action: 'REDIRECT_TO_POOL', redirect_pool: { name: 'nope' } }] }, 400,
          'Missing details for Pool object: nope')
        const bad = await post({ loadbalancer_id: f.lbId, protocol: 'HTTP', protocol_port: 80, l7policies: [{ action: 'JUMP' }] })
        assert.equal(bad.status, 400)
        assert.equal(await statusOf(h, 'load_balancer', f.lbId), 'ACTIVE')
        assert.equal((await h.request('GET', `${LISTENERS}?loadbalancer_id=${f.lbId}`)).body.listeners.length, 0)
      })
    })

    describe('deployment switches', () => {
      let off: Harness
      before(async () => {
        off = await startHarness(dialect, { api_settings: { allow_tls_terminated_listeners: 'false', allow_prometheus_listeners: 'false' } })
      })
      after(async () => { await off.close() })

      it('when TERMINATED_HTTPS or PROMETHEUS listeners are disabled, then 400', async () => {
        const f = await activeLoadBalancer(off)
        for (const [protocol, extra, what] of [
          ['TERMINATED_HTTPS', { default_tls_container_ref: randomUUID() }, 'TERMINATED_HTTPS'],
          ['PROMETHEUS', {}, 'PROMETHEUS'],
          ['PROMETHEUS', { sni_container_refs: [randomUUID()] }, 'PROMETHEUS with TLS'],
        ] as const) {
          const r = await off.request('POST', LISTENERS, { listener: { loadbalancer_id: f.lbId, protocol, protocol_port: 443, ...extra } })
          assert.equal(r.status, 400)
          assert.equal(r.body.faultstring, `The selected protocol is not allowed in this deployment: ${what}`)
        }
      })
    })

    describe('while a job is in flight (slow noop provider)', () => {
      let slow: Harness
      before(async () => { slow = await startHarness(dialect, { noop_provider: { task_delay_ms: '150' } }) })
      after(async () => { await slow.close() })
      const busy = (lbId: string) => `Load Balancer ${lbId} is immutable and cannot be updated.`

      it('when a listener is created, updated, deleted, then it and the LB are PENDING_* and a second write gets 409', async () => {
        const f = await activeLoadBalancer(slow)
        const c = await slow.request('POST', LISTENERS, { listener: { loadbalancer_id: f.lbId, protocol: 'HTTP', protocol_port: 80 } })
        assert.equal(c.status, 201)
        const id = c.body.listener.id
        assert.equal(await statusOf(slow, 'load_balancer', f.lbId), 'PENDING_UPDATE')
        assert.equal(await statusOf(slow, 'listener', id), 'PENDING_CREATE')
        const second = await slow.request('POST', LISTENERS, { listener: { loadbalancer_id: f.lbId, protocol: 'HTTP', protocol_port: 81 } })
        assert.deepEqual([second.status, second.body.faultstring], [409, busy(f.lbId)])
        await settle(slow, f.lbId)
        assert.equal(await statusOf(slow, 'listener', id), 'ACTIVE')

        assert.equal((await slow.request('PUT', listenerUrl(id), { listener: { name: 'x' } })).status, 200)
        assert.deepEqual([await statusOf(slow, 'load_balancer', f.lbId), await statusOf(slow, 'listener', id)],
          ['PENDING_UPDATE', 'PENDING_UPDATE'])
        const put = await slow.request('PUT', listenerUrl(id), { listener: { name: 'y' } })
        assert.deepEqual([put.status, put.body.faultstring], [409, busy(f.lbId)])
        await settle(slow, f.lbId)
        assert.equal(await statusOf(slow, 'listener', id), 'ACTIVE')

        assert.equal((await slow.request('DELETE', listenerUrl(id))).status, 204)
        assert.deepEqual([await statusOf(slow, 'load_balancer', f.lbId), await statusOf(slow, 'listener', id)],
          ['PENDING_UPDATE', 'PENDING_DELETE'])
        const del = await slow.request('DELETE', listenerUrl(id))
        assert.deepEqual([del.status, del.body.faultstring], [409, busy(f.lbId)])
        await settle(slow, f.lbId)
        assert.equal(await statusOf(slow, 'listener', id), undefined)
      })
    })

    describe('update', () => {
      it('when plain fields change, then the listener and LB are PENDING_UPDATE with a listener_update job', async () => {
        const f = await activeLoadBalancer(h)
        const l = await listener(f.lbId, { protocol: 'HTTP', protocol_port: 80, name: 'a', tags: ['old'] })
        const r = await h.request('PUT', listenerUrl(l.id), {
          listener: { name: 'b', description: 'd', admin_state_up: false, connection_limit: 5, timeout_client_data: 1, tags: ['new'] },
        })
        assert.equal(r.status, 200, JSON.stringify(r.body))
        const u = r.body.listener
        assert.equal(u.name, 'b')
        assert.equal(u.description, 'd')
        assert.equal(u.admin_state_up, false)
        assert.equal(u.connection_limit, 5)
        assert.equal(u.timeout_client_data, 1)
        assert.deepEqual(u.tags, ['new'])
        assert.equal(u.provisioning_status, 'PENDING_UPDATE')
        assert.equal(u.created_at, l.created_at)
        assert.notEqual(u.updated_at, null)
        assert.deepEqual((await jobsOf(h, f.lbId)).at(-1), { operation: 'listener_update', payload: { listenerId: l.id } })
        await settle(h, f.lbId)
        assert.equal((await h.request('GET', listenerUrl(l.id))).body.listener.provisioning_status, 'ACTIVE')
      })

      it('when values are null, then they are cleared or back to their defaults', async () => {
        const f = await activeLoadBalancer(h)
        const l = await listener(f.lbId, {
          protocol: 'HTTP', protocol_port: 80, name: 'n', description: 'd', connection_limit: 3,
          timeout_client_data: 1, timeout_member_connect: 2, timeout_member_data: 3, timeout_tcp_inspect: 4,
          insert_headers: { 'X-Forwarded-For': 'true' }, allowed_cidrs: ['10.0.0.0/8'], tags: ['keep'],
        })
        const r = await h.request('PUT', listenerUrl(l.id), {
          listener: {
            name: null, description: null, connection_limit: null, timeout_client_data: null, timeout_member_connect: null,
            timeout_member_data: null, timeout_tcp_inspect: null, insert_headers: null, allowed_cidrs: null,
            tls_ciphers: null, tls_versions: null, alpn_protocols: null, hsts_max_age: null, tags: null,
          },
        })
        assert.equal(r.status, 200, JSON.stringify(r.body))
        const u = r.body.listener
        assert.equal(u.name, '')
        assert.equal(u.description, '')
        assert.equal(u.connection_limit, -1)
        assert.deepEqual([u.timeout_client_data, u.timeout_member_connect, u.timeout_member_data, u.timeout_tcp_inspect],
          [50000, 5000, 50000, 0])
        assert.deepEqual(u.insert_headers, {})
        assert.equal(u.allowed_cidrs, null)
        const settings = h.config.api_settings
        assert.equal(u.tls_ciphers, settings.default_listener_ciphers)
        assert.deepEqual(u.tls_versions, settings.default_listener_tls_versions)
        assert.deepEqual(u.alpn_protocols, settings.default_listener_alpn_protocols)
        assert.deepEqual(u.tags, ['keep'])
        await settle(h, f.lbId)
      })

      it('when the default pool changes, then it is validated like on create and null unsets it', async () => {
        const f = await activeLoadBalancer(h)
        const p = await pool(f.lbId)
        const udp = await pool(f.lbId, 'UDP')
        const l = await listener(f.lbId, { protocol: 'HTTP', protocol_port: 80 })
        const missing = randomUUID()
        await fault('PUT', listenerUrl(l.id), { listener: { default_pool_id: missing } }, 404, `Pool ${missing} not found.`)
        await fault('PUT', listenerUrl(l.id), { listener: { default_pool_id: udp.id } }, 400,
          "Validation failure: The pool protocol 'UDP' is invalid while the listener protocol is 'HTTP'.")
        assert.equal(await statusOf(h, 'load_balancer', f.lbId), 'ACTIVE')
        const set = await h.request('PUT', listenerUrl(l.id), { listener: { default_pool_id: p.id } })
        assert.equal(set.body.listener.default_pool_id, p.id)
        await settle(h, f.lbId)
        const unset = await h.request('PUT', listenerUrl(l.id), { listener: { default_pool_id: null } })
        assert.equal(unset.body.listener.default_pool_id, null)
        await settle(h, f.lbId)
        const prom = await listener(f.lbId, { protocol: 'PROMETHEUS', protocol_port: 9100 })
        await fault('PUT', listenerUrl(prom.id), { listener: { default_pool_id: p.id } }, 400,
          'Protocol PROMETHEUS listeners cannot have child objects.')
      })

      it('when an update breaks a rule, then Octavia\'s PUT messages', async () => {
        const f = await activeLoadBalancer(h)
        const udp = await listener(f.lbId, { protocol: 'UDP', protocol_port: 53 })
        const http = await listener(f.lbId, { protocol: 'HTTP', protocol_port: 80 })
        const tcp = await listener(f.lbId, { protocol: 'TCP', protocol_port: 81 })
        const put = (id: string, body: Record<string, unknown>, message: string) =>
          fault('PUT', listenerUrl(id), { listener: body }, 400, message)
        await put(udp.id, { insert_headers: { 'X-Forwarded-Port': 'true' } },
          'Validation failure: UDP protocol listener does not support TLS or header insertion.')
        await put(http.id, { sni_container_refs: [randomUUID()] },
          'Validation failure: Certificate container references are not allowed on HTTP protocol listeners.')
        await put(http.id, { client_authentication: 'OPTIONAL' },
          'Validation failure: Client authentication setting OPTIONAL requires a client CA container reference.')
        await put(http.id, { client_authentication: null },
          'Validation failure: Client authentication setting None requires a client CA container reference.')
        await put(http.id, { insert_headers: { 'X-Bad-Header': 'true' } }, "['X-Bad-Header'] is not a valid option for insert_headers")
        await put(tcp.id, { insert_headers: { 'X-Forwarded-Port': 'true' } }, 'insert-headers is not a valid option for a TCP protocol listener.')
        await put(http.id, { client_crl_container_ref: randomUUID() },
          'Validation failure: A client authentication CA reference is required to specify a client authentication revocation list.')
        await put(http.id, { allowed_cidrs: ['2001:db8::/32'] },
          "Validation failure: CIDR 2001:db8::/32 IP version incompatible with all VIPs ['198.51.100.5'] IP version.")
        await put(http.id, { tls_versions: ['TLSv1.3', 'insecure'] }, 'Validation failure: Invalid TLS versions: insecure')
        await put(http.id, { tls_versions: [] },
          'Validation failure: Empty TLS version list. Either specify at least one TLS version or remove this parameter to use the default.')
        await put(http.id, { alpn_protocols: [] },
          'Validation failure: Empty ALPN protocol list. Either specify at least one ALPN protocol or remove this parameter to use the default.')
        await put(http.id, { hsts_include_subdomains: true },
          'Validation failure: Cannot enable hsts_include_subdomains or hsts_preload if hsts_max_age was not set as well.')
        await put(http.id, { hsts_max_age: 100 },
          'Validation failure: The HSTS feature can only be used for listeners using the TERMINATED_HTTPS protocol.')
        const immutableField = await h.request('PUT', listenerUrl(http.id), { listener: { protocol_port: 90 } })
        assert.equal(immutableField.status, 400)
        assert.equal(await statusOf(h, 'load_balancer', f.lbId), 'ACTIVE')
        assert.equal(await statusOf(h, 'listener', http.id), 'ACTIVE')
      })

      it('when the listener does not exist, then 404', async () => {
        const id = randomUUID()
        await fault('PUT', listenerUrl(id), { listener: { name: 'x' } }, 404, `Listener ${id} not found.`)
      })
    })

    describe('delete', () => {
      it('when deleted, then listener PENDING_DELETE, LB PENDING_UPDATE, and the worker removes it but keeps its pool', async () => {
        const f = await activeLoadBalancer(h)
        const p = await pool(f.lbId)
        const l = await listener(f.lbId, { protocol: 'HTTP', protocol_port: 80, default_pool_id: p.id, tags: ['t'] })
        const r = await h.request('DELETE', listenerUrl(l.id))
        assert.equal(r.status, 204)
        assert.deepEqual((await jobsOf(h, f.lbId)).at(-1), { operation: 'listener_delete', payload: { listenerId: l.id } })
        await settle(h, f.lbId)
        await fault('GET', listenerUrl(l.id), undefined, 404, `Listener ${l.id} not found.`)
        assert.equal((await h.request('GET', `/v2/lbaas/pools/${p.id}`)).status, 200)
        await fault('DELETE', listenerUrl(l.id), undefined, 404, `Listener ${l.id} not found.`)
      })
    })

    describe('stats', () => {
      it('when nothing was reported, then zeros; else sums with active connections from ALLOCATED amphorae only', async () => {
        const f = await activeLoadBalancer(h)
        const l = await listener(f.lbId, { protocol: 'HTTP', protocol_port: 80 })
        const zero = await h.request('GET', `${listenerUrl(l.id)}/stats`)
        assert.equal(zero.status, 200)
        assert.deepEqual(zero.body, { stats: { bytes_in: 0, bytes_out: 0, active_connections: 0, total_connections: 0, request_errors: 0 } })
        const db = h.deps.database.db
        const amp = (status: string) => ({
          id: randomUUID(), load_balancer_id: f.lbId, compute_id: null, status, lb_network_ip: null, vrrp_ip: null,
          ha_ip: null, vrrp_port_id: null, ha_port_id: null, role: null, cert_expiration: null, cert_busy: 0,
          vrrp_interface: null, vrrp_id: null, vrrp_priority: null, cached_zone: null, image_id: null, compute_flavor: null,
          created_at: nowIso(), updated_at: null,
        })
        const allocated = amp('ALLOCATED')
        const ready = amp('READY')
        await db.insertInto('amphora').values([allocated, ready]).execute()
        const stats = (amphoraId: string, n: number) => ({
          listener_id: l.id, amphora_id: amphoraId, bytes_in: n, bytes_out: 2 * n, active_connections: 3 * n,
          total_connections: 4 * n, request_errors: 5 * n, updated_at: null,
        })
        await db.insertInto('listener_statistics').values([stats(allocated.id, 1), stats(ready.id, 10)]).execute()
        const got = await h.request('GET', `${listenerUrl(l.id)}/stats`)
        assert.deepEqual(got.body, { stats: { bytes_in: 11, bytes_out: 22, active_connections: 3, total_connections: 44, request_errors: 55 } })
        const missing = randomUUID()
        await fault('GET', `${listenerUrl(missing)}/stats`, undefined, 404, `Listener ${missing} not found.`)
      })
    })

    describe('list and show', () => {
      let lbId: string
      let ids: string[]
      before(async () => {
        const f = await activeLoadBalancer(h)
        lbId = f.lbId
        ids = []
        for (const [port, protocol, tags, admin] of [
          [81, 'HTTP', ['a', 'b'], true], [82, 'TCP', ['b', 'c'], false], [83, 'HTTP', ['d'], true],
        ] as const) {
          ids.push((await listener(lbId, { protocol, protocol_port: port, tags, admin_state_up: admin, name: `l${port}` })).id)
        }
      })
      const list = async (query: string) => {
        const r = await h.request('GET', `${LISTENERS}?loadbalancer_id=${lbId}${query}`)
        assert.equal(r.status, 200, JSON.stringify(r.body))
        return r.body
      }
      const idsOf = (body: { listeners: { id: string }[] }) => body.listeners.map(l => l.id)

      it('when listing by load balancer, then the default order is creation order and links are empty', async () => {
        const body = await list('')
        assert.deepEqual(idsOf(body), ids)
        assert.deepEqual(body.listeners_links, [])
      })

      it('when paginating, then next and previous links carry the marker', async () => {
        const first = await list('&limit=2')
        assert.deepEqual(idsOf(first), ids.slice(0, 2))
        assert.equal(first.listeners_links.length, 1)
        assert.equal(first.listeners_links[0].rel, 'next')
        assert.match(first.listeners_links[0].href, new RegExp(`marker=${ids[1]}`))
        const second = await list(`&limit=2&marker=${ids[1]}`)
        assert.deepEqual(idsOf(second), ids.slice(2))
        assert.deepEqual(second.listeners_links.map((l: { rel: string }) => l.rel), ['previous'])
        const back = await list(`&limit=2&marker=${ids[2]}&page_reverse=True`)
        assert.deepEqual(idsOf(back), ids.slice(0, 2))
        await fault('GET', `${LISTENERS}?marker=nope`, undefined, 400, "Supplied pagination marker 'nope' is not valid.")
        await fault('GET', `${LISTENERS}?limit=x`, undefined, 400, "Supplied pagination limit 'x' is not valid.")
      })

      it('when sorting, then keys and directions are honoured and bad ones are refused', async () => {
        assert.deepEqual(idsOf(await list('&sort=protocol_port:desc')), [...ids].reverse())
        assert.deepEqual(idsOf(await list('&sort_key=protocol,protocol_port&sort_dir=asc,desc')), [ids[2], ids[0], ids[1]])
        await fault('GET', `${LISTENERS}?sort=bogus:asc`, undefined, 400, "Supplied sort key 'bogus' is not valid.")
        await fault('GET', `${LISTENERS}?sort=name:up`, undefined, 400, "Supplied sort direction 'up' is not valid.")
        await fault('GET', `${LISTENERS}?sort=allowed_cidrs`, undefined, 400, "Supplied sort key 'allowed_cidrs' is not valid.")
      })

      it('when filtering, then attribute filters are AND-ed and unknown ones refused', async () => {
        assert.deepEqual(idsOf(await list('&protocol=HTTP')), [ids[0], ids[2]])
        assert.deepEqual(idsOf(await list('&admin_state_up=false')), [ids[1]])
        assert.deepEqual(idsOf(await list('&protocol=HTTP&protocol_port=83')), [ids[2]])
        assert.deepEqual(idsOf(await list(`&name=l82&load_balancer_id=${lbId}`)), [ids[1]])
        await fault('GET', `${LISTENERS}?bogus=1`, undefined, 400, 'One or more arguments are either duplicate or invalid')
      })

      it('when filtering by tags, then tags, tags-any, not-tags and not-tags-any work', async () => {
        assert.deepEqual(idsOf(await list('&tags=b')), [ids[0], ids[1]])
        assert.deepEqual(idsOf(await list('&tags=a,b')), [ids[0]])
        assert.deepEqual(idsOf(await list('&tags-any=a&tags-any=d')), [ids[0], ids[2]])
        assert.deepEqual(idsOf(await list('&not-tags=a,b')), [ids[1], ids[2]])
        assert.deepEqual(idsOf(await list('&not-tags-any=b,d')), [])
      })

      it('when fields are selected, then only those attributes are returned (list and show)', async () => {
        const body = await list('&fields=id&fields=protocol_port')
        assert.deepEqual(body.listeners[0], { id: ids[0], protocol_port: 81 })
        const one = await h.request('GET', `${listenerUrl(ids[1])}?fields=name,loadbalancers`)
        assert.deepEqual(one.body, { listener: { name: 'l82', loadbalancers: [{ id: lbId }] } })
      })

      it('when a listener is unknown, then 404', async () => {
        const id = randomUUID()
        await fault('GET', listenerUrl(id), undefined, 404, `Listener ${id} not found.`)
        await fault('GET', `/v2.0/lbaas/listeners/${id}`, undefined, 404, `Listener ${id} not found.`)
      })
    })
  })
}
