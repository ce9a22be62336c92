/**
 * TLS material for the API's certificate-reference tests, made once per test
 * file with the openssl fixtures, and stored under fresh references of one
 * project in a MemoryCertificateManager.
 *
 *   const material = await createTlsApiMaterial()   // after(() => material.cleanup())
 *   const refs = material.store(certs, projectId)   // refs.www, refs.ca, …
 */
import type { CertificateParts } from '../../src/pki/tls-bundle.js'
import type { MemoryCertificateManager } from './memory-certificate-manager.js'
import { createTlsFixtures, type TlsFixtures } from './tls-fixtures.js'

/** The entries every project of a test gets (payloads; no reference yet). */
export interface TlsApiMaterial {
  readonly fixtures: TlsFixtures
  /** PKCS12 of www.example.com (RSA) and api.example.com (ECDSA), without passphrase. */
  readonly wwwP12: Buffer
  readonly apiP12: Buffer
  /** PKCS12 of a certificate with neither CN nor dNSName. */
  readonly noSubjectP12: Buffer
  /** PKCS12 of www.example.com protected by a passphrase (Octavia cannot read it). */
  readonly passphraseP12: Buffer
  /** A legacy container whose key belongs to another certificate. */
  readonly mismatchedParts: CertificateParts
  /** A legacy container whose key is encrypted, without its passphrase. */
  readonly encryptedKeyParts: CertificateParts
  /** The client CA (the fixtures' `ca`), a CRL it signed, a CRL of an unrelated CA. */
  readonly caPem: string
  readonly crlPem: string
  readonly otherCrlPem: string
  /** Stores every entry under fresh references of `projectId`; returns the references. */
  store(certs: MemoryCertificateManager, projectId: string): TlsApiRefs
  cleanup(): Promise<void>
}

/** References of one project to the material (`garbage*`: payloads that are no PKCS12, no PEM). */
export interface TlsApiRefs {
  readonly www: string
  readonly api: string
  readonly noSubject: string
  readonly passphrase: string
  readonly mismatched: string
  readonly encryptedKey: string
  readonly garbage: string
  readonly ca: string
  readonly crl: string
  readonly otherCrl: string
}

/** Makes the material (a few openssl runs: about two seconds). */
export async function createTlsApiMaterial(): Promise<TlsApiMaterial> {
  const tls = await createTlsFixtures()
  try {
    const www = await tls.serverCertificate({ cn: 'www.example.com', dnsNames: ['www.example.com'] })
    const api = await tls.serverCertificate({ cn: 'api.example.com', dnsNames: ['api.example.com'], keyType: 'ec' })
    const bare = await tls.serverCertificate({ cn: null, dnsNames: [] })
    const alice = await tls.clientCertificate('alice')
    const passphraseP12 = await tls.openssl(['pkcs12', '-export', '-in', www.certPath, '-inkey', www.keyPath, '-passout', 'pass:s3cret'])
    const encryptedKey = (await tls.openssl(['pkey', '-in', www.keyPath, '-aes256', '-passout', 'pass:s3cret'])).toString()
    const m = {
      fixtures: tls,
      wwwP12: await tls.pkcs12(www),
      apiP12: await tls.pkcs12(api),
      noSubjectP12: await tls.pkcs12(bare),
      passphraseP12,
      mismatchedParts: { certificate: www.certPem, privateKey: api.keyPem },
      encryptedKeyParts: { certificate: www.certPem, privateKey: encryptedKey },
      caPem: tls.ca.certPem,
      crlPem: (await tls.crl([alice])).pem,
      otherCrlPem: (await tls.crl([], tls.otherCa)).pem,
    }
    return { ...m, store: (certs, projectId) => storeMaterial(m, certs, projectId), cleanup: () => tls.cleanup() }
  } catch (err) {
    await tls.cleanup()
    throw err
  }
}

function storeMaterial(m: Omit<TlsApiMaterial, 'store' | 'cleanup'>, certs: MemoryCertificateManager, projectId: string): TlsApiRefs {
  const put = (entry: Parameters<MemoryCertificateManager['put']>[1], kind: 'secrets' | 'containers' = 'secrets') =>
    certs.put(certs.newRef(kind), entry, projectId)
  return {
    www: put({ pkcs12: m.wwwP12 }),
    api: put({ pkcs12: m.apiP12 }),
    noSubject: put({ pkcs12: m.noSubjectP12 }),
    passphrase: put({ pkcs12: m.passphraseP12 }),
    mismatched: put({ parts: m.mismatchedParts }, 'containers'),
    encryptedKey: put({ parts: m.encryptedKeyParts }, 'containers'),
    garbage: put({ secret: 'not a certificate' }),
    ca: put({ secret: m.caPem }),
    crl: put({ secret: m.crlPem }),
    otherCrl: put({ secret: m.otherCrlPem }),
  }
}
