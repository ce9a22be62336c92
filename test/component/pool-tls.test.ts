import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'
import { activeLoadBalancer } from '../support/lb-fixtures.js'
import { MemoryCertificateManager } from '../support/memory-certificate-manager.js'
import { jobsOf, settle, statusOf } from '../support/pool-fixtures.js'
import { as, installHeaderCallers } from '../support/test-callers.js'
import { CA_INVALID, CRL_NOT_FOR_CA, NO_SUBJECT, PKCS12, RETRIEVE } from '../support/tls-faults.js'
import { createTlsApiMaterial, type TlsApiMaterial, type TlsApiRefs } from '../support/tls-api-fixtures.js'

// Pool certificate references (re-encryption to members: client certificate,
// CA and CRL to verify them) as Octavia's API reads them (pool.py
// _validate_create_pool / _validate_pool_PUT), with real material in an
// in-memory certificate manager.

const POOLS = '/v2/lbaas/pools'
const poolUrl = (id: string) => `${POOLS}/${id}`

let material: TlsApiMaterial
before(async () => { material = await createTlsApiMaterial() })
after(async () => { await material?.cleanup() })

for (const dialect of testDialects) {
  describe(`pool certificate references (${dialect})`, () => {
    let h: Harness
    const certs = new MemoryCertificateManager()
    before(async () => { h = await startHarness(dialect, {}, installHeaderCallers, { certificates: certs }) })
    after(async () => { await h?.close() })

    const setup = async (): Promise<{ lbId: string; projectId: string; refs: TlsApiRefs }> => {
      const f = await activeLoadBalancer(h)
      return { ...f, refs: material.store(certs, f.projectId) }
    }
    const post = (lbId: string, extra: Record<string, unknown>, headers?: Record<string, string>) =>
      h.request('POST', POOLS, { pool: { loadbalancer_id: lbId, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', ...extra } }, headers)
    const put = (id: string, body: Record<string, unknown>) => h.request('PUT', poolUrl(id), { pool: body })
    const fault = (r: { status: number; body: any }, message: string, debug: RegExp | null = null) => {
      assert.equal(r.status, 400, JSON.stringify(r.body))
      assert.equal(r.body.faultstring, message)
      if (debug) assert.match(r.body.debuginfo, debug)
      else assert.equal(r.body.debuginfo, null)
    }
    const faultStarting = (r: { status: number; body: any }, prefix: string) => {
      assert.equal(r.status, 400, JSON.stringify(r.body))
      assert.ok(r.body.faultstring.startsWith(prefix), r.body.faultstring)
    }
    const poolCount = async (lbId: string) =>
      (await h.deps.database.db.selectFrom('pool').select('id').where('load_balancer_id', '=', lbId).execute()).length
    const grantedSince = (n: number) => certs.grants.slice(n)
    const refsOf = (p: any) => [p.tls_container_ref, p.ca_tls_container_ref, p.crl_container_ref]

    it('when a pool gets tls_enabled with a client certificate, CA and CRL, then 201 PENDING_CREATE with the pool TLS defaults and every ref granted', async () => {
      const { lbId, projectId, refs } = await setup()
      const before = certs.grants.length
      const member = { ...as(projectId, 'load-balancer_member', 'member', 'reader'), 'x-test-token': 'pool-token' }
      const r = await post(lbId, { tls_enabled: true, tls_container_ref: refs.api, ca_tls_container_ref: refs.ca, crl_container_ref: refs.crl }, member)
      assert.equal(r.status, 201, JSON.stringify(r.body))
      const p = r.body.pool
      assert.equal(p.provisioning_status, 'PENDING_CREATE')
      assert.deepEqual(refsOf(p), [refs.api, refs.ca, refs.crl])
      const s = h.config.api_settings
      assert.deepEqual([p.tls_enabled, p.tls_ciphers, p.tls_versions, p.alpn_protocols],
        [true, s.default_pool_ciphers, s.default_pool_tls_versions, s.default_pool_alpn_protocols])
      assert.deepEqual(grantedSince(before), [refs.api, refs.ca, refs.crl].map(ref =>
        ({ ref, reader: { kind: 'project', projectId, authToken: 'pool-token' } })))
      assert.deepEqual(await jobsOf(h, lbId), [{ operation: 'pool_create', payload: { poolId: p.id } }])
      await settle(h, lbId)
      const got = (await h.request('GET', poolUrl(p.id))).body.pool
      assert.deepEqual([got.provisioning_status, ...refsOf(got)], ['ACTIVE', refs.api, refs.ca, refs.crl])
    })

    it('when the pool references are unknown, foreign or unusable, then Octavia\'s faults and nothing is written', async () => {
      const { lbId, refs } = await setup()
      const other = await setup()
      const before = certs.grants.length
      const [unknown, ca, crl] = [certs.newRef(), certs.newRef(), certs.newRef()]
      fault(await post(lbId, { crl_container_ref: refs.crl }),
        'Validation failure: A CA certificate reference is required to specify a revocation list.')
      fault(await post(lbId, { tls_container_ref: unknown, ca_tls_container_ref: ca }), RETRIEVE([unknown]), /no such/)
      fault(await post(lbId, { ca_tls_container_ref: ca, crl_container_ref: crl }), RETRIEVE([ca, crl]), /no such/)
      fault(await post(lbId, { tls_enabled: true, tls_container_ref: other.refs.api }), RETRIEVE([other.refs.api]), /another project/)
      fault(await post(lbId, { tls_container_ref: refs.mismatched }), RETRIEVE([refs.mismatched]), /Key and x509 certificate do not match/)
      faultStarting(await post(lbId, { tls_container_ref: refs.passphrase }), PKCS12)
      faultStarting(await post(lbId, { ca_tls_container_ref: refs.garbage }), `${CA_INVALID}no PEM block of that kind found`)
      fault(await post(lbId, { ca_tls_container_ref: refs.ca, crl_container_ref: refs.otherCrl }), CRL_NOT_FOR_CA)
      fault(await post(lbId, { tls_enabled: true, tls_container_ref: refs.noSubject }), NO_SUBJECT)
      assert.equal(await poolCount(lbId), 0)
      assert.deepEqual(grantedSince(before), [])
      assert.equal(await statusOf(h, 'load_balancer', lbId), 'ACTIVE')
    })

    it('when a pool\'s references change, then the new certificate and the resulting CA and CRL are read and granted; GET shows them', async () => {
      const { lbId, refs } = await setup()
      const created = await post(lbId, { tls_enabled: true, ca_tls_container_ref: refs.ca })
      assert.equal(created.status, 201, JSON.stringify(created.body))
      await settle(h, lbId)
      const id = created.body.pool.id
      const before = certs.grants.length
      const r = await put(id, { tls_container_ref: refs.www, crl_container_ref: refs.crl })
      assert.equal(r.status, 200, JSON.stringify(r.body))
      assert.equal(r.body.pool.provisioning_status, 'PENDING_UPDATE')
      assert.deepEqual(grantedSince(before).map(g => g.ref), [refs.www, refs.ca, refs.crl])
      await settle(h, lbId)
      assert.deepEqual(refsOf((await h.request('GET', poolUrl(id))).body.pool), [refs.www, refs.ca, refs.crl])
    })

    it('when a pool update brings unusable references or removes the CA under a CRL, then 400 and nothing changes', async () => {
      const { lbId, refs } = await setup()
      const other = await setup()
      const created = await post(lbId, { tls_enabled: true, tls_container_ref: refs.api, ca_tls_container_ref: refs.ca, crl_container_ref: refs.crl })
      assert.equal(created.status, 201, JSON.stringify(created.body))
      await settle(h, lbId)
      const id = created.body.pool.id
      const before = certs.grants.length
      fault(await put(id, { ca_tls_container_ref: null }),
        'Validation failure: A CA reference cannot be removed when a certificate revocation list is present.')
      fault(await put(id, { tls_container_ref: other.refs.www }), RETRIEVE([other.refs.www]), /another project/)
      fault(await put(id, { crl_container_ref: refs.otherCrl }), CRL_NOT_FOR_CA)
      fault(await put(id, { tls_container_ref: refs.noSubject }), NO_SUBJECT)
      assert.deepEqual(grantedSince(before), [])
      const got = (await h.request('GET', poolUrl(id))).body.pool
      assert.deepEqual([got.provisioning_status, ...refsOf(got)], ['ACTIVE', refs.api, refs.ca, refs.crl])
    })
  })
}
