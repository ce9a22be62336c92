import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { CertificateDataError, CertificateRetrievalError } from '../../src/model/certificate-manager.js'
import { MemoryCertificateManager } from './memory-certificate-manager.js'
import { createTlsFixtures, type TlsFixtures } from './tls-fixtures.js'

let tls: TlsFixtures
before(async () => { tls = await createTlsFixtures() })
after(() => tls?.cleanup())

const project = { kind: 'project', projectId: 'p1', authToken: 'token' } as const

describe('MemoryCertificateManager', () => {
  it('when a project reads its PKCS12 secret, then the parsed certificate comes back; the service reads it too', async () => {
    const www = await tls.serverCertificate({ dnsNames: ['www.example.com'] })
    const certs = new MemoryCertificateManager()
    const ref = certs.put(certs.newRef(), { pkcs12: await tls.pkcs12(www) }, 'p1')
    assert.equal((await certs.getCertificate(ref, project)).certificate, www.certPem)
    assert.equal((await certs.getCertificate(ref, { kind: 'service' })).hostNames.cn, 'www.example.com')
    await certs.grantServiceAccess(ref, project)
    assert.deepEqual(certs.grants, [{ ref, reader: project }])
  })

  it('when another project or an unknown ref is read, then it is CertificateRetrievalError', async () => {
    const certs = new MemoryCertificateManager()
    const ref = certs.put(certs.newRef(), { secret: tls.ca.certPem }, 'p1')
    assert.equal((await certs.getSecret(ref, project)).toString(), tls.ca.certPem)
    await assert.rejects(certs.getSecret(ref, { kind: 'project', projectId: 'p2' }), CertificateRetrievalError)
    await assert.rejects(certs.getCertificate(certs.newRef(), project), CertificateRetrievalError)
    await assert.rejects(certs.grantServiceAccess(certs.newRef(), project), CertificateRetrievalError)
  })

  it('when the data is unusable, then it is CertificateDataError with the problem', async () => {
    const www = await tls.serverCertificate()
    const other = await tls.serverCertificate()
    const certs = new MemoryCertificateManager()
    const bad = certs.put(certs.newRef('containers'), { parts: { certificate: www.certPem, privateKey: other.keyPem } }, 'p1')
    await assert.rejects(certs.getCertificate(bad, project), (err) => err instanceof CertificateDataError && err.problem === 'mismatched-key' && err.ref === bad)
    const garbage = certs.put(certs.newRef(), { secret: 'garbage' }, 'p1')
    await assert.rejects(certs.getCertificate(garbage, project), (err) => err instanceof CertificateDataError && err.problem === 'unreadable-pkcs12')
  })
})
