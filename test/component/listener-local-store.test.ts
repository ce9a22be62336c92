import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'
import { activeLoadBalancer } from '../support/lb-fixtures.js'
import { as, installHeaderCallers } from '../support/test-callers.js'
import { createTlsFixtures, type FixtureCertificate, type TlsFixtures } from '../support/tls-fixtures.js'

// The API with the real local certificate manager (the default
// `cert_manager = local`): secrets stored through /v1 are read inside the
// API's write transaction (on SQLite a read beside it would wait for it
// forever), as the listener's project, and another project's secret is as
// unknown as a missing one.

const KEY = randomBytes(32).toString('base64')
const TIMEOUT = { timeout: 20_000 }

let tls: TlsFixtures
let www: FixtureCertificate
before(async () => {
  tls = await createTlsFixtures()
  www = await tls.serverCertificate({ cn: 'www.local-store.test', dnsNames: ['www.local-store.test'] })
})
after(async () => { await tls?.cleanup() })

for (const dialect of testDialects) {
  describe(`listeners and pools with the local secret store (${dialect})`, () => {
    let h: Harness
    before(async () => { h = await startHarness(dialect, { certificates: { secret_store_key: KEY } }, installHeaderCallers) })
    after(async () => { await h?.close() })

    const member = (project: string) => as(project, 'load-balancer_member', 'member')
    const storePkcs12 = async (project: string): Promise<string> => {
      const r = await h.request('POST', '/v1/secrets', {
        name: 'tls', payload: (await tls.pkcs12(www)).toString('base64'),
        payload_content_type: 'application/octet-stream', payload_content_encoding: 'base64',
      }, member(project))
      assert.equal(r.status, 201, JSON.stringify(r.body))
      return r.body.secret_ref as string
    }
    const storeText = async (project: string, payload: string): Promise<string> => {
      const r = await h.request('POST', '/v1/secrets', { payload, payload_content_type: 'text/plain' }, member(project))
      assert.equal(r.status, 201, JSON.stringify(r.body))
      return r.body.secret_ref as string
    }

    it('when a TERMINATED_HTTPS listener names the project\'s PKCS12 secret, then 201 PENDING_CREATE', TIMEOUT, async () => {
      const { lbId, projectId } = await activeLoadBalancer(h)
      const ref = await storePkcs12(projectId)
      const r = await h.request('POST', '/v2/lbaas/listeners', {
        listener: { loadbalancer_id: lbId, protocol: 'TERMINATED_HTTPS', protocol_port: 443, default_tls_container_ref: ref },
      }, member(projectId))
      assert.equal(r.status, 201, JSON.stringify(r.body))
      assert.equal(r.body.listener.provisioning_status, 'PENDING_CREATE')
      assert.equal(r.body.listener.default_tls_container_ref, ref)
    })

    it('when a certificate container holds certificate, key and passphrase, then a client-auth listener with the project\'s CA secret is created', TIMEOUT, async () => {
      const { lbId, projectId } = await activeLoadBalancer(h)
      const encrypted = (await tls.openssl(['pkey', '-in', www.keyPath, '-aes256', '-passout', 'pass:s3cret'])).toString()
      const secretRefs = [
        { name: 'certificate', secret_ref: await storeText(projectId, www.certPem) },
        { name: 'private_key', secret_ref: await storeText(projectId, encrypted) },
        { name: 'private_key_passphrase', secret_ref: await storeText(projectId, 's3cret') },
      ]
      const c = await h.request('POST', '/v1/containers', { type: 'certificate', name: 'www', secret_refs: secretRefs }, member(projectId))
      assert.equal(c.status, 201, JSON.stringify(c.body))
      const ca = await storeText(projectId, tls.ca.certPem)
      const r = await h.request('POST', '/v2/lbaas/listeners', {
        listener: {
          loadbalancer_id: lbId, protocol: 'TERMINATED_HTTPS', protocol_port: 443, default_tls_container_ref: c.body.container_ref,
          client_ca_tls_container_ref: ca, client_authentication: 'MANDATORY',
        },
      }, member(projectId))
      assert.equal(r.status, 201, JSON.stringify(r.body))
    })

    it('when the secret belongs to another project, then Octavia\'s 400 and no listener', TIMEOUT, async () => {
      const { lbId, projectId } = await activeLoadBalancer(h)
      const foreign = await storePkcs12(`other-${projectId}`)
      const r = await h.request('POST', '/v2/lbaas/listeners', {
        listener: { loadbalancer_id: lbId, protocol: 'TERMINATED_HTTPS', protocol_port: 443, default_tls_container_ref: foreign },
      }, member(projectId))
      assert.equal(r.status, 400)
      assert.equal(r.body.faultstring, `Could not retrieve certificate: ['${foreign}']`)
      const rows = await h.deps.database.db.selectFrom('listener').select('id').where('load_balancer_id', '=', lbId).execute()
      assert.equal(rows.length, 0)
    })

    it('when a TLS pool names the project\'s client certificate and CA, then 201', TIMEOUT, async () => {
      const { lbId, projectId } = await activeLoadBalancer(h)
      const r = await h.request('POST', '/v2/lbaas/pools', {
        pool: {
          loadbalancer_id: lbId, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', tls_enabled: true,
          tls_container_ref: await storePkcs12(projectId), ca_tls_container_ref: await storeText(projectId, tls.ca.certPem),
        },
      }, member(projectId))
      assert.equal(r.status, 201, JSON.stringify(r.body))
    })
  })
}
