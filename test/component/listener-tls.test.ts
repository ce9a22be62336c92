import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'
import { activeLoadBalancer } from '../support/lb-fixtures.js'
import { MemoryCertificateManager } from '../support/memory-certificate-manager.js'
import { jobsOf, settle, statusOf } from '../support/pool-fixtures.js'
import { as, installHeaderCallers } from '../support/test-callers.js'
import { CA_INVALID, CRL_INVALID, CRL_NOT_FOR_CA, NO_SUBJECT, PKCS12, RETRIEVE } from '../support/tls-faults.js'
import { createTlsApiMaterial, type TlsApiMaterial, type TlsApiRefs } from '../support/tls-api-fixtures.js'

// Listener certificate references as Octavia's API reads them (listener.py
// _validate_create_listener / _validate_listener_PUT, base.py _validate_tls_refs
// and _validate_client_ca_and_crl_refs), with real PKCS12, PEM CA and CRL
// material in an in-memory certificate manager.

const LISTENERS = '/v2/lbaas/listeners'
const listenerUrl = (id: string) => `${LISTENERS}/${id}`

let material: TlsApiMaterial
before(async () => { material = await createTlsApiMaterial() })
after(async () => { await material?.cleanup() })

for (const dialect of testDialects) {
  describe(`listener certificate references (${dialect})`, () => {
    let h: Harness
    const certs = new MemoryCertificateManager()
    before(async () => { h = await startHarness(dialect, {}, installHeaderCallers, { certificates: certs }) })
    after(async () => { await h?.close() })

    /** An ACTIVE load balancer and the material stored for its project. */
    const setup = async (): Promise<{ lbId: string; projectId: string; refs: TlsApiRefs }> => {
      const f = await activeLoadBalancer(h)
      return { ...f, refs: material.store(certs, f.projectId) }
    }
    const post = (body: Record<string, unknown>, headers?: Record<string, string>) =>
      h.request('POST', LISTENERS, { listener: body }, headers)
    const https = (lbId: string, extra: Record<string, unknown>) =>
      ({ loadbalancer_id: lbId, protocol: 'TERMINATED_HTTPS', protocol_port: 443, ...extra })
    const fault = (r: { status: number; body: any }, status: number, message: string, debug: RegExp | null = null) => {
      assert.equal(r.status, status, JSON.stringify(r.body))
      assert.equal(r.body.faultstring, message)
      if (debug) assert.match(r.body.debuginfo, debug)
      else assert.equal(r.body.debuginfo, null)
    }
    const faultStarting = (r: { status: number; body: any }, prefix: string) => {
      assert.equal(r.status, 400, JSON.stringify(r.body))
      assert.ok(r.body.faultstring.startsWith(prefix), r.body.faultstring)
    }
    const listenerCount = async (lbId: string) =>
      (await h.deps.database.db.selectFrom('listener').select('id').where('load_balancer_id', '=', lbId).execute()).length
    const grantedSince = (n: number) => certs.grants.slice(n)

    describe('create', () => {
      it('when a TERMINATED_HTTPS listener gets a PKCS12 secret, SNI refs, a client CA and CRL, then 201 PENDING_CREATE with Octavia\'s TLS defaults and every ref granted as the load balancer\'s project', async () => {
        const { lbId, projectId, refs } = await setup()
        const before = certs.grants.length
        const r = await post(https(lbId, {
          default_tls_container_ref: refs.www, sni_container_refs: [refs.api, refs.www],
          client_ca_tls_container_ref: refs.ca, client_crl_container_ref: refs.crl, client_authentication: 'MANDATORY',
        }))
        assert.equal(r.status, 201, JSON.stringify(r.body))
        const l = r.body.listener
        assert.equal(l.provisioning_status, 'PENDING_CREATE')
        assert.deepEqual([l.default_tls_container_ref, l.sni_container_refs], [refs.www, [refs.api, refs.www]])
        assert.deepEqual([l.client_ca_tls_container_ref, l.client_crl_container_ref, l.client_authentication], [refs.ca, refs.crl, 'MANDATORY'])
        const s = h.config.api_settings
        assert.equal(l.tls_ciphers, s.default_listener_ciphers)
        assert.deepEqual(l.tls_versions, s.default_listener_tls_versions)
        assert.deepEqual(l.alpn_protocols, s.default_listener_alpn_protocols)
        assert.deepEqual(grantedSince(before), [refs.api, refs.www, refs.ca, refs.crl].map(ref =>
          ({ ref, reader: { kind: 'project', projectId, authToken: null } })))
        assert.deepEqual(await jobsOf(h, lbId), [{ operation: 'listener_create', payload: { listenerId: l.id } }])
        await settle(h, lbId)
        const got = (await h.request('GET', listenerUrl(l.id))).body.listener
        assert.equal(got.provisioning_status, 'ACTIVE')
        assert.deepEqual([got.default_tls_container_ref, got.sni_container_refs, got.client_ca_tls_container_ref, got.client_crl_container_ref],
          [refs.www, [refs.api, refs.www], refs.ca, refs.crl])
      })

      it('when a member creates it with a Keystone token, then the references are read and granted with that token', async () => {
        const { lbId, projectId, refs } = await setup()
        const before = certs.grants.length
        const member = { ...as(projectId, 'load-balancer_member', 'member', 'reader'), 'x-test-token': 'token-of-the-member' }
        const r = await post(https(lbId, { sni_container_refs: [refs.api] }), member)
        assert.equal(r.status, 201, JSON.stringify(r.body))
        assert.deepEqual(grantedSince(before), [{ ref: refs.api, reader: { kind: 'project', projectId, authToken: 'token-of-the-member' } }])
        await settle(h, lbId)
      })

      it('when a reference belongs to another project, then 400 Could not retrieve certificate, even for an admin of that project, and nothing is written', async () => {
        const { lbId } = await setup()
        const other = await setup()
        const before = certs.grants.length
        const r = await h.request('POST', LISTENERS, { listener: https(lbId, { default_tls_container_ref: other.refs.www }) },
          { 'x-project-id': other.projectId })
        fault(r, 400, RETRIEVE([other.refs.www]), /another project/)
        assert.equal(await listenerCount(lbId), 0)
        assert.deepEqual(grantedSince(before), [])
        assert.equal(await statusOf(h, 'load_balancer', lbId), 'ACTIVE')
      })

      it('when certificates are unknown or unusable, then Octavia\'s faults (the reason in debuginfo) and nothing is written', async () => {
        const { lbId, refs } = await setup()
        const before = certs.grants.length
        const unknown = [certs.newRef(), certs.newRef()]
        fault(await post(https(lbId, { default_tls_container_ref: unknown[0], sni_container_refs: [refs.api, unknown[1]] })), 400,
          RETRIEVE([unknown[1], unknown[0]]), /no such certificate reference/)
        fault(await post(https(lbId, { default_tls_container_ref: refs.mismatched, sni_container_refs: [refs.encryptedKey] })), 400,
          RETRIEVE([refs.encryptedKey, refs.mismatched]), /Passphrase needed.*; .*Key and x509 certificate do not match/)
        faultStarting(await post(https(lbId, { default_tls_container_ref: refs.passphrase })), PKCS12)
        // An unreadable PKCS12 answers at once, even after an unknown reference.
        faultStarting(await post(https(lbId, { default_tls_container_ref: refs.garbage, sni_container_refs: [unknown[0]] })), PKCS12)
        fault(await post(https(lbId, { default_tls_container_ref: refs.noSubject })), 400, NO_SUBJECT)
        assert.equal(await listenerCount(lbId), 0)
        assert.deepEqual(grantedSince(before), [])
      })

      it('when the client CA or CRL is unusable, then Octavia\'s messages, certificates first, and nothing is written', async () => {
        const { lbId, refs } = await setup()
        const before = certs.grants.length
        const [ca, crl, sni] = [certs.newRef(), certs.newRef(), certs.newRef()]
        const tls = (extra: Record<string, unknown>) => https(lbId, { default_tls_container_ref: refs.www, ...extra })
        fault(await post(tls({ client_ca_tls_container_ref: ca, client_crl_container_ref: crl })), 400, RETRIEVE([ca, crl]), /no such/)
        fault(await post(tls({ sni_container_refs: [sni], client_ca_tls_container_ref: ca })), 400, RETRIEVE([sni]), /no such/)
        faultStarting(await post(tls({ client_ca_tls_container_ref: refs.garbage })), `${CA_INVALID}no PEM block of that kind found`)
        faultStarting(await post(tls({ client_ca_tls_container_ref: refs.crl })), `${CA_INVALID}no PEM block of that kind found`)
        faultStarting(await post(tls({ client_ca_tls_container_ref: refs.ca, client_crl_container_ref: refs.ca })), CRL_INVALID)
        fault(await post(tls({ client_ca_tls_container_ref: refs.ca, client_crl_container_ref: refs.otherCrl })), 400, CRL_NOT_FOR_CA)
        assert.equal(await listenerCount(lbId), 0)
        assert.deepEqual(grantedSince(before), [])
      })

      it('when a certificate has no subject and another check fails too, then the other check answers first (Octavia finds it last)', async () => {
        const { lbId, refs } = await setup()
        const first = await post(https(lbId, { default_tls_container_ref: refs.www }))
        assert.equal(first.status, 201)
        await settle(h, lbId)
        fault(await post(https(lbId, { default_tls_container_ref: refs.noSubject })), 409,
          'Another Listener on this Load Balancer is already using protocol TERMINATED_HTTPS and protocol_port 443')
        fault(await post(https(lbId, { protocol_port: 8443, default_tls_container_ref: refs.noSubject, tls_versions: ['TLSv9'] })), 400,
          'Validation failure: Invalid TLS versions: TLSv9')
        assert.equal(await listenerCount(lbId), 1)
      })

      it('when TLS references are given where no TLS terminates, then Octavia\'s 400s before any read', async () => {
        const { lbId, refs } = await setup()
        const before = certs.grants.length
        fault(await post({ loadbalancer_id: lbId, protocol: 'HTTP', protocol_port: 80, default_tls_container_ref: refs.www }), 400,
          'Validation failure: Certificate container references are not allowed on HTTP protocol listeners.')
        fault(await post({ loadbalancer_id: lbId, protocol: 'HTTP', protocol_port: 80, client_ca_tls_container_ref: refs.ca }), 400,
          'Validation failure: An SNI or default certificate container reference must be provided with a client CA container reference.')
        fault(await post(https(lbId, { default_tls_container_ref: refs.www, client_authentication: 'OPTIONAL' })), 400,
          'Validation failure: Client authentication setting OPTIONAL requires a client CA container reference.')
        fault(await post(https(lbId, { default_tls_container_ref: refs.www, client_crl_container_ref: refs.crl })), 400,
          'Validation failure: A client authentication CA reference is required to specify a client authentication revocation list.')
        assert.deepEqual(grantedSince(before), [])
        assert.equal(await listenerCount(lbId), 0)
      })

      it('when a PROMETHEUS listener has a certificate, then it terminates TLS without the TERMINATED_HTTPS defaults', async () => {
        const { lbId, refs } = await setup()
        const r = await post({ loadbalancer_id: lbId, protocol: 'PROMETHEUS', protocol_port: 9100, default_tls_container_ref: refs.api })
        assert.equal(r.status, 201, JSON.stringify(r.body))
        assert.deepEqual([r.body.listener.default_tls_container_ref, r.body.listener.tls_versions], [refs.api, null])
        await settle(h, lbId)
      })

      it('when a load balancer is created with a TERMINATED_HTTPS listener, then its references are read and granted as the load balancer\'s project', async () => {
        const projectId = `tls-graph-${dialect}`
        const refs = material.store(certs, projectId)
        const before = certs.grants.length
        const subnetId = h.deps.network.listSubnets()[0].id
        const r = await h.request('POST', '/v2/lbaas/loadbalancers', { loadbalancer: {
          vip_subnet_id: subnetId, project_id: projectId,
          listeners: [{ protocol: 'TERMINATED_HTTPS', protocol_port: 443, default_tls_container_ref: refs.www, client_ca_tls_container_ref: refs.ca }],
        } })
        assert.equal(r.status, 201, JSON.stringify(r.body))
        assert.deepEqual(grantedSince(before).map(g => [g.ref, g.reader]),
          [refs.www, refs.ca].map(ref => [ref, { kind: 'project', projectId, authToken: null }]))
        const bad = await h.request('POST', '/v2/lbaas/loadbalancers', { loadbalancer: {
          vip_subnet_id: subnetId, project_id: projectId,
          listeners: [{ protocol: 'TERMINATED_HTTPS', protocol_port: 443, default_tls_container_ref: refs.noSubject }],
        } })
        fault(bad, 400, NO_SUBJECT)
        await h.waitFor(`/v2/lbaas/loadbalancers/${r.body.loadbalancer.id}`)
      })
    })

    describe('deployment settings', () => {
      let strict: Harness
      before(async () => {
        strict = await startHarness(dialect, { api_settings: { minimum_tls_version: 'TLSv1.2', tls_cipher_prohibit_list: 'RC4-SHA,DES-CBC3-SHA' } },
          undefined, { certificates: certs })
      })
      after(async () => { await strict?.close() })

      it('when TLS versions fall below minimum_tls_version or ciphers are prohibited, then Octavia\'s 400s for listeners and pools', async () => {
        const f = await activeLoadBalancer(strict)
        const refs = material.store(certs, f.projectId)
        const listener = (extra: Record<string, unknown>) =>
          strict.request('POST', LISTENERS, { listener: https(f.lbId, { default_tls_container_ref: refs.www, ...extra }) })
        const pool = (extra: Record<string, unknown>) =>
          strict.request('POST', '/v2/lbaas/pools', { pool: { loadbalancer_id: f.lbId, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', tls_enabled: true, ...extra } })
        fault(await listener({ tls_versions: ['TLSv1.1', 'TLSv1.2', 'TLSv1'] }), 400,
          'Validation failure: Requested TLS versions are less than the minimum: TLSv1.1, TLSv1 < TLSv1.2')
        fault(await listener({ tls_ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:RC4-SHA:DES-CBC3-SHA' }), 400,
          'Validation failure: The following ciphers have been prohibited by an administrator: RC4-SHA, DES-CBC3-SHA')
        fault(await pool({ tls_versions: ['SSLv3'] }), 400, 'Validation failure: Requested TLS versions are less than the minimum: SSLv3 < TLSv1.2')
        fault(await pool({ tls_ciphers: 'RC4-SHA' }), 400, 'Validation failure: The following ciphers have been prohibited by an administrator: RC4-SHA')
        assert.equal((await listener({ tls_versions: ['TLSv1.3'] })).status, 201)
      })
    })

    describe('update', () => {
      /** An ACTIVE TERMINATED_HTTPS listener with `extra`. */
      const activeTls = async (extra: (refs: TlsApiRefs) => Record<string, unknown>) => {
        const s = await setup()
        const r = await post(https(s.lbId, { default_tls_container_ref: s.refs.www, ...extra(s.refs) }))
        assert.equal(r.status, 201, JSON.stringify(r.body))
        await settle(h, s.lbId)
        return { ...s, listener: r.body.listener }
      }
      const put = (id: string, body: Record<string, unknown>) => h.request('PUT', listenerUrl(id), { listener: body })

      it('when the references change, then the new ones and the kept CA are read and granted, and GET shows them', async () => {
        const { lbId, projectId, refs, listener } = await activeTls(r => ({ client_ca_tls_container_ref: r.ca }))
        const before = certs.grants.length
        const r = await put(listener.id, { default_tls_container_ref: refs.api, sni_container_refs: [refs.www], client_crl_container_ref: refs.crl })
        assert.equal(r.status, 200, JSON.stringify(r.body))
        assert.equal(r.body.listener.provisioning_status, 'PENDING_UPDATE')
        assert.deepEqual(grantedSince(before).map(g => g.ref), [refs.www, refs.api, refs.ca, refs.crl])
        assert.ok(grantedSince(before).every(g => g.reader.kind === 'project' && g.reader.projectId === projectId))
        await settle(h, lbId)
        const got = (await h.request('GET', listenerUrl(listener.id))).body.listener
        assert.deepEqual([got.default_tls_container_ref, got.sni_container_refs, got.client_ca_tls_container_ref, got.client_crl_container_ref],
          [refs.api, [refs.www], refs.ca, refs.crl])
      })

      it('when an update would leave client authentication or a CRL without CA, or brings unusable references, then 400 and nothing changes', async () => {
        const { lbId, refs, listener } = await activeTls(() => ({}))
        const other = await setup()
        const before = certs.grants.length
        fault(await put(listener.id, { client_authentication: 'MANDATORY' }), 400,
          'Validation failure: Client authentication setting MANDATORY requires a client CA container reference.')
        fault(await put(listener.id, { client_crl_container_ref: refs.crl }), 400,
          'Validation failure: A client authentication CA reference is required to specify a client authentication revocation list.')
        fault(await put(listener.id, { default_tls_container_ref: other.refs.api }), 400, RETRIEVE([other.refs.api]), /another project/)
        faultStarting(await put(listener.id, { sni_container_refs: [refs.passphrase] }), PKCS12)
        fault(await put(listener.id, { client_ca_tls_container_ref: refs.ca, client_crl_container_ref: refs.otherCrl }), 400, CRL_NOT_FOR_CA)
        fault(await put(listener.id, { default_tls_container_ref: refs.noSubject }), 400, NO_SUBJECT)
        assert.deepEqual(grantedSince(before), [])
        const got = (await h.request('GET', listenerUrl(listener.id))).body.listener
        assert.deepEqual([got.provisioning_status, got.default_tls_container_ref, got.sni_container_refs, got.client_authentication],
          ['ACTIVE', refs.www, [], 'NONE'])
        assert.equal(await statusOf(h, 'load_balancer', lbId), 'ACTIVE')
      })

      it('when a listener with a CA gets MANDATORY, then the stored CA is read again and the update passes', async () => {
        const { lbId, refs, listener } = await activeTls(r => ({ client_ca_tls_container_ref: r.ca }))
        const before = certs.grants.length
        const r = await put(listener.id, { client_authentication: 'MANDATORY' })
        assert.equal(r.status, 200, JSON.stringify(r.body))
        assert.deepEqual(grantedSince(before).map(g => g.ref), [refs.ca])
        await settle(h, lbId)
      })

      it('when an HTTP listener is given a certificate, then 400 as Octavia', async () => {
        const { lbId, refs } = await setup()
        const r = await post({ loadbalancer_id: lbId, protocol: 'HTTP', protocol_port: 80 })
        await settle(h, lbId)
        fault(await put(r.body.listener.id, { default_tls_container_ref: refs.www }), 400,
          'Validation failure: Certificate container references are not allowed on HTTP protocol listeners.')
      })
    })
  })
}
