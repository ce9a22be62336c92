import assert from 'node:assert/strict'
import { createPrivateKey, X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import forge from 'node-forge'
import { createTlsFixtures, type FixtureCertificate, type TlsFixtures } from '../../test/support/tls-fixtures.js'
import { caCertificatesFrom, certificateFromParts, certificateFromPkcs12, crlFrom, hostNamesOf, TlsDataError, type TlsDataProblem } from './tls-bundle.js'

let tls: TlsFixtures
let rsa: FixtureCertificate
let ec: FixtureCertificate
before(async () => {
  tls = await createTlsFixtures()
  rsa = await tls.serverCertificate({ cn: 'WWW.Example.com', dnsNames: ['www.example.com', 'Alt.Example.com'] })
  ec = await tls.serverCertificate({ cn: 'ec.example.com', keyType: 'ec' })
})
after(() => tls?.cleanup())

/** Asserts that `fn` throws TlsDataError of `problem` whose message holds no line of `secretPem`'s base64. */
function throwsProblem(fn: () => unknown, problem: TlsDataProblem, secretPem?: string): TlsDataError {
  let caught: unknown
  try {
    fn()
  } catch (err) {
    caught = err
  }
  assert.ok(caught instanceof TlsDataError, `expected TlsDataError, got ${String(caught)}`)
  assert.equal(caught.problem, problem, caught.message)
  for (const line of (secretPem ?? '').split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))) {
    assert.ok(!caught.message.includes(line) && !String(caught.cause).includes(line), 'message leaks key bytes')
  }
  return caught
}

/** Whether `keyPem` is the unencrypted private half of `certPem`. */
function keyMatches(certPem: string, keyPem: string | null): boolean {
  assert.ok(keyPem !== null)
  return new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem))
}

const fingerprint = (pem: string): string => new X509Certificate(pem).fingerprint256

describe('certificateFromPkcs12', () => {
  it('when OpenSSL 3 writes an RSA bundle with its default (AES-256, PBKDF2, SHA-256 MAC), then the leaf, its key and the names come out', async () => {
    const parsed = certificateFromPkcs12(await tls.pkcs12(rsa))
    assert.equal(parsed.certificate, rsa.certPem)
    assert.match(parsed.privateKey ?? '', /^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+-----END RSA PRIVATE KEY-----\n$/)
    assert.ok(keyMatches(parsed.certificate, parsed.privateKey))
    assert.deepEqual(parsed.intermediates, [])
    assert.deepEqual(parsed.hostNames, { cn: 'www.example.com', dnsNames: ['www.example.com', 'Alt.Example.com'] })
  })

  it('when the bundle uses the legacy encryption (RC2-40, 3DES, SHA-1 MAC), then it reads the same', async () => {
    const parsed = certificateFromPkcs12(await tls.pkcs12(rsa, { legacy: true }))
    assert.equal(parsed.certificate, rsa.certPem)
    assert.ok(keyMatches(parsed.certificate, parsed.privateKey))
  })

  it('when the bundle holds an ECDSA P-256 certificate, then its key comes out as SEC1 PEM', async () => {
    for (const legacy of [false, true]) {
      const parsed = certificateFromPkcs12(await tls.pkcs12(ec, { legacy }))
      assert.equal(parsed.certificate, ec.certPem)
      assert.match(parsed.privateKey ?? '', /^-----BEGIN EC PRIVATE KEY-----\n/)
      assert.ok(keyMatches(parsed.certificate, parsed.privateKey))
      assert.deepEqual(parsed.hostNames, { cn: 'ec.example.com', dnsNames: [] })
    }
  })

  it('when the bundle carries more certificates, then the one matching the key is the leaf and the others are intermediates in order', async () => {
    const parsed = certificateFromPkcs12(await tls.pkcs12(rsa, { intermediates: [tls.ca, tls.otherCa] }))
    assert.equal(parsed.certificate, rsa.certPem)
    assert.deepEqual(parsed.intermediates.map(fingerprint), [fingerprint(tls.ca.certPem), fingerprint(tls.otherCa.certPem)])
    for (const pem of parsed.intermediates) assert.match(pem, /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/)
  })

  it('when the bundle needs a passphrase, then it is unreadable-pkcs12 with Octavia\'s text', async () => {
    const path = join(tls.dir, 'with-pass.p12')
    await tls.openssl(['pkcs12', '-export', '-in', rsa.certPath, '-inkey', rsa.keyPath, '-passout', 'pass:secret', '-out', path])
    const err = throwsProblem(() => certificateFromPkcs12(readFileSync(path)), 'unreadable-pkcs12', rsa.keyPem)
    assert.match(err.message, /^The PKCS12 bundle is unreadable\. Please check the PKCS12 bundle validity\. In addition, make sure it does not require a pass phrase\. Error: .+/)
  })

  it('when the payload is not PKCS12, or PEM text, then it is unreadable-pkcs12', () => {
    throwsProblem(() => certificateFromPkcs12(Buffer.from('not a bundle at all')), 'unreadable-pkcs12')
    throwsProblem(() => certificateFromPkcs12(Buffer.from(rsa.certPem + rsa.keyPem)), 'unreadable-pkcs12', rsa.keyPem)
    throwsProblem(() => certificateFromPkcs12(Buffer.alloc(0)), 'unreadable-pkcs12')
  })

  it('when the bundle has no key, then it is unreadable-pkcs12', async () => {
    const path = join(tls.dir, 'no-key.p12')
    await tls.openssl(['pkcs12', '-export', '-nokeys', '-in', rsa.certPath, '-passout', 'pass:', '-out', path])
    const err = throwsProblem(() => certificateFromPkcs12(readFileSync(path)), 'unreadable-pkcs12')
    assert.match(err.message, /no private key/)
  })

  it('when no certificate of the bundle matches its key, then it is mismatched-key', async () => {
    // NOTE: OpenSSL refuses to write such a bundle; node-forge writes one (3DES, as OpenSSL's -legacy).
    const other = await tls.serverCertificate()
    const key = forge.pki.privateKeyFromPem((await tls.openssl(['rsa', '-in', other.keyPath, '-traditional'])).toString())
    const p12 = forge.pkcs12.toPkcs12Asn1(key, [forge.pki.certificateFromPem(rsa.certPem)], '', { algorithm: '3des' })
    const payload = Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary')
    throwsProblem(() => certificateFromPkcs12(payload), 'mismatched-key', other.keyPem)
  })
})

describe('certificateFromParts', () => {
  it('when the key is plain PKCS#8, PKCS#1 or SEC1, then it comes back unencrypted in traditional form', async () => {
    const pkcs1 = (await tls.openssl(['rsa', '-in', rsa.keyPath, '-traditional'])).toString()
    const sec1 = (await tls.openssl(['ec', '-in', ec.keyPath])).toString()
    for (const [cert, key, header] of [[rsa, rsa.keyPem, 'RSA'], [rsa, pkcs1, 'RSA'], [ec, ec.keyPem, 'EC'], [ec, sec1, 'EC']] as const) {
      const parsed = certificateFromParts({ certificate: cert.certPem, privateKey: key })
      assert.equal(parsed.certificate, cert.certPem)
      assert.match(parsed.privateKey ?? '', new RegExp(`^-----BEGIN ${header} PRIVATE KEY-----\\n`))
      assert.ok(keyMatches(parsed.certificate, parsed.privateKey))
    }
  })

  it('when the key is encrypted (PKCS#8 AES-256, legacy PEM 3DES, EC) and the passphrase is given, then it is decrypted', async () => {
    const encrypted = [
      [rsa, await tls.openssl(['pkey', '-in', rsa.keyPath, '-aes256', '-passout', 'pass:s3cret'])],
      [rsa, await tls.openssl(['rsa', '-in', rsa.keyPath, '-traditional', '-des3', '-passout', 'pass:s3cret'])],
      [ec, await tls.openssl(['ec', '-in', ec.keyPath, '-aes256', '-passout', 'pass:s3cret'])],
    ] as const
    for (const [cert, key] of encrypted) {
      assert.match(key.toString(), /ENCRYPTED/)
      const parsed = certificateFromParts({ certificate: Buffer.from(cert.certPem), privateKey: key, passphrase: Buffer.from('s3cret') })
      assert.ok(keyMatches(parsed.certificate, parsed.privateKey))
      assert.doesNotMatch(parsed.privateKey ?? '', /ENCRYPTED/)
      throwsProblem(() => certificateFromParts({ certificate: cert.certPem, privateKey: key }), 'needs-passphrase', cert.keyPem)
      const wrong = throwsProblem(() => certificateFromParts({ certificate: cert.certPem, privateKey: key, passphrase: 'wrong' }), 'needs-passphrase', cert.keyPem)
      assert.equal(wrong.message, 'Passphrase needed to decrypt key but client did not provide one.')
    }
  })

  it('when the key belongs to another certificate, then it is mismatched-key', () => {
    const err = throwsProblem(() => certificateFromParts({ certificate: rsa.certPem, privateKey: ec.keyPem }), 'mismatched-key', ec.keyPem)
    assert.equal(err.message, 'Key and x509 certificate do not match')
  })

  it('when no key is given, then the certificate alone is returned', () => {
    const parsed = certificateFromParts({ certificate: `\r\n  ${rsa.certPem.replace(/\n/g, '\r\n')}`, privateKey: null, intermediates: '' })
    assert.equal(parsed.certificate, rsa.certPem)
    assert.equal(parsed.privateKey, null)
  })

  it('when the certificate is not PEM X.509, then it is unreadable-cert', () => {
    const err = throwsProblem(() => certificateFromParts({ certificate: 'garbage' }), 'unreadable-cert')
    assert.equal(err.message, 'Could not read X509 from PEM')
    throwsProblem(() => certificateFromParts({ certificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' }), 'unreadable-cert')
    throwsProblem(() => certificateFromParts({ certificate: rsa.keyPem, privateKey: rsa.keyPem }), 'unreadable-cert', rsa.keyPem)
  })

  it('when intermediates come as PEM blocks, PKCS7 PEM or PKCS7 DER, then each is one PEM block in order', async () => {
    const chain = join(tls.dir, 'chain.pem')
    await tls.openssl(['crl2pkcs7', '-nocrl', '-certfile', tls.ca.certPath, '-certfile', tls.otherCa.certPath, '-out', join(tls.dir, 'chain.p7b')])
    const p7Pem = await readFile(join(tls.dir, 'chain.p7b'), 'utf8')
    const p7Der = await tls.openssl(['pkcs7', '-in', join(tls.dir, 'chain.p7b'), '-outform', 'DER'])
    const expected = [fingerprint(tls.ca.certPem), fingerprint(tls.otherCa.certPem)]
    for (const intermediates of [`${tls.ca.certPem}\n${tls.otherCa.certPem}`.replace(/\n/g, '\r\n'), p7Pem, Buffer.from(p7Pem), p7Der]) {
      const parsed = certificateFromParts({ certificate: rsa.certPem, privateKey: rsa.keyPem, intermediates })
      assert.deepEqual(parsed.intermediates.map(fingerprint), expected, `intermediates of ${chain}`)
    }
  })

  it('when the intermediates are garbage, then it is unreadable-cert', () => {
    throwsProblem(() => certificateFromParts({ certificate: rsa.certPem, intermediates: 'garbage' }), 'unreadable-cert')
    throwsProblem(() => certificateFromParts({ certificate: rsa.certPem, intermediates: '-----BEGIN PKCS7-----\nAAAA\n-----END PKCS7-----\n' }), 'unreadable-cert')
  })
})

describe('hostNamesOf', () => {
  it('when the certificate has only SANs, then cn is null and the dNSNames are listed', async () => {
    const only = await tls.serverCertificate({ cn: null, dnsNames: ['a.example.com', 'B.example.com'] })
    assert.deepEqual(hostNamesOf(only.certPem), { cn: null, dnsNames: ['a.example.com', 'B.example.com'] })
  })

  it('when the certificate has neither CN nor SAN, then it is missing-subject', async () => {
    const none = await tls.serverCertificate({ cn: null })
    const err = throwsProblem(() => hostNamesOf(none.certPem), 'missing-subject')
    assert.equal(err.message, 'No CN or DNSName(s) found in certificate. The certificate is invalid.')
    throwsProblem(() => certificateFromParts({ certificate: none.certPem, privateKey: none.keyPem }), 'missing-subject', none.keyPem)
  })

  it('when the text is no certificate, then it is unreadable-cert', () => {
    throwsProblem(() => hostNamesOf('nothing'), 'unreadable-cert')
  })
})

describe('caCertificatesFrom', () => {
  it('when the bundle holds several PEM certificates, then each comes back normalised', () => {
    const blocks = caCertificatesFrom(Buffer.from(`subject=whatever\n${tls.ca.certPem}\n\n${tls.otherCa.certPem}`))
    assert.deepEqual(blocks, [tls.ca.certPem, tls.otherCa.certPem])
  })

  it('when the payload holds no readable certificate, then it is unreadable-cert', () => {
    throwsProblem(() => caCertificatesFrom('garbage'), 'unreadable-cert')
    throwsProblem(() => caCertificatesFrom(tls.ca.keyPem), 'unreadable-cert', tls.ca.keyPem)
    throwsProblem(() => caCertificatesFrom('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), 'unreadable-cert')
  })
})

describe('crlFrom', () => {
  it('when the CRL is signed by one of the CAs (RSA or ECDSA), then its PEM comes back', async () => {
    const client = await tls.clientCertificate('alice')
    const crl = await tls.crl([client])
    assert.equal(crlFrom(Buffer.from(crl.pem), [tls.otherCa.certPem, tls.ca.certPem]), crl.pem)
    const ecCa = await tls.newCa('EC Test CA', 'ec')
    const ecCrl = await tls.crl([], ecCa)
    assert.equal(crlFrom(ecCrl.pem, [ecCa.certPem]), ecCrl.pem)
  })

  it('when the CRL is signed by another CA, then it is unreadable-crl', async () => {
    const crl = await tls.crl([], tls.otherCa)
    const err = throwsProblem(() => crlFrom(crl.pem, [tls.ca.certPem]), 'unreadable-crl')
    assert.equal(err.message, 'The CRL specified is not valid for client certificate authority reference supplied.')
    throwsProblem(() => crlFrom(crl.pem, []), 'unreadable-crl')
  })

  it('when the payload is not a PEM CRL, then it is unreadable-crl', () => {
    const err = throwsProblem(() => crlFrom(tls.ca.certPem, [tls.ca.certPem]), 'unreadable-crl')
    assert.match(err.message, /^The client authentication certificate revocation list is invalid/)
    throwsProblem(() => crlFrom('-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n', [tls.ca.certPem]), 'unreadable-crl')
  })
})
