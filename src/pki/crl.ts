/**
 * Certificate revocation lists for client authentication, checked as
 * Octavia's API checks them: a PEM X.509 CRL whose signature verifies with
 * the public key of the client CA.
 */
import { constants, verify, X509Certificate, type KeyObject } from 'node:crypto'
import { asText, pemContents, toPem } from './pem-text.js'
import { TLS_DATA_MESSAGES, TlsDataError } from './tls-data-error.js'
import { x509 } from './x509.js'

/**
 * The first `X509 CRL` block of `payload`, normalised, when one of `caPems`
 * signed it. Throws `unreadable-crl`: not a PEM CRL, or signed by none of them.
 */
export function crlFrom(payload: Buffer | string, caPems: readonly string[]): string {
  const [der] = pemContents(asText(payload), 'X509 CRL')
  let crl: x509.X509Crl
  try {
    if (der === undefined) throw new Error('no X509 CRL PEM block')
    crl = new x509.X509Crl(new Uint8Array(der))
  } catch (err) {
    throw new TlsDataError('unreadable-crl', TLS_DATA_MESSAGES.invalidCrl, { cause: err })
  }
  const tbs = firstElement(Buffer.from(crl.rawData))
  const signedBy = caPems.some((pem) => signatureVerifies(crl, tbs, publicKeyOf(pem)))
  if (!signedBy) throw new TlsDataError('unreadable-crl', TLS_DATA_MESSAGES.crlNotForCa)
  return toPem(new Uint8Array(crl.rawData), 'X509 CRL')
}

function publicKeyOf(pem: string): KeyObject | null {
  try {
    return new X509Certificate(pem).publicKey
  } catch {
    return null
  }
}

/** Whether the CRL's signature over `tbs` verifies with `key`, for the signature kinds CAs use. */
function signatureVerifies(crl: x509.X509Crl, tbs: Buffer, key: KeyObject | null): boolean {
  if (key === null) return false
  const algorithm = crl.signatureAlgorithm as { name: string; hash?: { name: string } }
  const hash = algorithm.hash?.name.replace('-', '').toLowerCase() ?? null
  const signature = Buffer.from(crl.signature)
  try {
    switch (algorithm.name) {
      case 'RSASSA-PKCS1-v1_5':
        return verify(hash, tbs, key, signature)
      case 'RSA-PSS':
        return verify(hash, tbs, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, signature)
      case 'ECDSA':
        return verify(hash, tbs, { key, dsaEncoding: 'der' }, signature)
      default:
        return verify(null, tbs, key, signature)
    }
  } catch {
    return false
  }
}

/** The first element (TLV, with its header) inside the DER SEQUENCE `der`: a CertificateList's tbsCertList as signed. */
function firstElement(der: Buffer): Buffer {
  const outer = headerLength(der, 0)
  const inner = headerLength(der, outer.header)
  return der.subarray(outer.header, outer.header + inner.header + inner.length)
}

function headerLength(der: Buffer, at: number): { header: number; length: number } {
  const first = der[at + 1] ?? 0
  if (first < 0x80) return { header: 2, length: first }
  const count = first & 0x7f
  let length = 0
  for (let i = 0; i < count; i++) length = length * 256 + (der[at + 2 + i] ?? 0)
  return { header: 2 + count, length }
}
