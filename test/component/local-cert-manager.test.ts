import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { CertificateDataError, CertificateRetrievalError, type CertificateReader } from '../../src/model/certificate-manager.js'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'
import { as, installHeaderCallers } from '../support/test-callers.js'
import { createTlsFixtures, type FixtureCertificate, type TlsFixtures } from '../support/tls-fixtures.js'

const P1 = 'project-one'
const P2 = 'project-two'
const service: CertificateReader = { kind: 'service' }
const project = (projectId: string): CertificateReader => ({ kind: 'project', projectId })

for (const dialect of testDialects) {
  describe(`local certificate manager (${dialect})`, () => {
    let h: Harness
    let tls: TlsFixtures
    let www: FixtureCertificate
    let inter: FixtureCertificate
    before(async () => {
      tls = await createTlsFixtures()
      www = await tls.serverCertificate({ cn: 'www.example.com', dnsNames: ['www.example.com', 'example.com'] })
      inter = await tls.serverCertificate({ cn: 'inter.example.com' })
      h = await startHarness(dialect, { certificates: { secret_store_key: randomBytes(32).toString('base64') } }, installHeaderCallers)
    })
    after(async () => {
      await h?.close()
      await tls?.cleanup()
    })

    const store = async (payload: Buffer | string, headers = as(P1, 'member'), type = 'application/octet-stream') => {
      const body = typeof payload === 'string' && type === 'text/plain'
        ? { payload, payload_content_type: type }
        : { payload: Buffer.from(payload).toString('base64'), payload_content_type: type, payload_content_encoding: 'base64' }
      const r = await h.request('POST', '/key-manager/v1/secrets', body, headers)
      assert.equal(r.status, 201, JSON.stringify(r.body))
      return r.body.secret_ref as string
    }
    const container = async (refs: Record<string, string>, headers = as(P1, 'member')) => {
      const r = await h.request('POST', '/v1/containers', {
        type: 'certificate', name: 'c', secret_refs: Object.entries(refs).map(([name, secret_ref]) => ({ name, secret_ref })),
      }, headers)
      assert.equal(r.status, 201, JSON.stringify(r.body))
      return r.body.container_ref as string
    }

    it('when a PKCS12 secret is read by its project and by the service, then the certificate, key and host names come back', async () => {
      const ref = await store(await tls.pkcs12(www, { intermediates: [inter] }))
      for (const reader of [project(P1), service]) {
        const c = await h.deps.certificates.getCertificate(ref, reader)
        assert.equal(c.certificate, www.certPem)
        assert.match(c.privateKey ?? '', /-----BEGIN (RSA |EC )?PRIVATE KEY-----/)
        assert.deepEqual(c.intermediates, [inter.certPem])
        assert.deepEqual(c.hostNames, { cn: 'www.example.com', dnsNames: ['www.example.com', 'example.com'] })
      }
    })

    it('when the reference names another host or prefix, then it still reads (refs carry the client\'s Host)', async () => {
      const ref = await store(await tls.pkcs12(www))
      const id = ref.slice(-36)
      for (const other of [`https://barbican.example.com:9311/v1/secrets/${id}`, `http://10.0.0.1/key-manager/v1/secrets/${id}`]) {
        assert.equal((await h.deps.certificates.getCertificate(other, service)).certificate, www.certPem)
      }
    })

    it('when another project reads, or the reference is unknown or malformed, then CertificateRetrievalError', async () => {
      const ref = await store(await tls.pkcs12(www))
      const unknown = ref.replace(/[0-9a-f-]{36}$/, '2b1c4ec5-0e5b-4d69-8f36-1c3c2b1e9a55')
      for (const [r, reader] of [[ref, project(P2)], [unknown, service], ['not a url', service], [`${ref}?x=1`, service]] as const) {
        await assert.rejects(h.deps.certificates.getCertificate(r, reader), (e: unknown) => e instanceof CertificateRetrievalError && e.ref === r)
      }
      await assert.rejects(h.deps.certificates.getSecret(ref, project(P2)), CertificateRetrievalError)
    })

    it('when a certificate container is read, then its parts make the certificate (encrypted key with passphrase)', async () => {
      const encryptedKey = (await tls.openssl(['pkey', '-in', www.keyPath, '-aes256', '-passout', 'pass:s3cret'])).toString()
      const ref = await container({
        certificate: await store(www.certPem, undefined, 'text/plain'),
        private_key: await store(encryptedKey, undefined, 'text/plain'),
        private_key_passphrase: await store('s3cret', undefined, 'text/plain'),
        intermediates: await store(inter.certPem, undefined, 'text/plain'),
      })
      const c = await h.deps.certificates.getCertificate(ref, project(P1))
      assert.equal(c.certificate, www.certPem)
      assert.ok(c.privateKey && !c.privateKey.includes('ENCRYPTED'))
      assert.deepEqual(c.intermediates, [inter.certPem])
      await assert.rejects(h.deps.certificates.getCertificate(ref, project(P2)), CertificateRetrievalError)
    })

    it('when the data is unusable, then CertificateDataError names the problem and holds no key bytes', async () => {
      const junk = await store(randomBytes(64))
      await assert.rejects(h.deps.certificates.getCertificate(junk, service),
        (e: unknown) => e instanceof CertificateDataError && e.problem === 'unreadable-pkcs12' && e.ref === junk)
      const other = await tls.serverCertificate({ cn: 'other.example.com' })
      const mismatched = await container({
        certificate: await store(www.certPem, undefined, 'text/plain'),
        private_key: await store(other.keyPem, undefined, 'text/plain'),
      })
      await assert.rejects(h.deps.certificates.getCertificate(mismatched, service), (e: unknown) => {
        assert.ok(e instanceof CertificateDataError)
        assert.equal(e.problem, 'mismatched-key')
        assert.ok(!e.message.includes('PRIVATE KEY'))
        return true
      })
    })

    it('when a secret holds a CA bundle, then getSecret answers its bytes; a container is not a secret', async () => {
      const ref = await store(tls.ca.certPem, undefined, 'text/plain')
      // NOTE: Barbican strips a JSON payload's surrounding whitespace before storing it.
      assert.equal((await h.deps.certificates.getSecret(ref, project(P1))).toString(), tls.ca.certPem.trim())
      const c = await container({ certificate: ref })
      await assert.rejects(h.deps.certificates.getSecret(c, service), CertificateRetrievalError)
      await h.deps.certificates.grantServiceAccess(ref, project(P1))
    })

    it('when a secret of a container is deleted, then the container stays without it (Barbican) and no longer reads', async () => {
      const cert = await store(www.certPem, undefined, 'text/plain')
      const key = await store(www.keyPem, undefined, 'text/plain')
      const ref = await container({ certificate: cert, private_key: key })
      assert.equal((await h.request('DELETE', new URL(cert).pathname, undefined, as(P1, 'member'))).status, 204)
      const shown = await h.request('GET', new URL(ref).pathname, undefined, as(P1, 'member'))
      assert.equal(shown.status, 200)
      assert.deepEqual(shown.body.secret_refs.map((r: { name: string }) => r.name), ['private_key'])
      await assert.rejects(h.deps.certificates.getCertificate(ref, service), CertificateRetrievalError)
    })
  })
}
