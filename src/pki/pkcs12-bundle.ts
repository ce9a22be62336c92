/**
 * The contents of a PKCS12 (PFX) bundle without passphrase, as Octavia's
 * PKCS12Cert reads a Barbican secret: every certificate and the private key.
 * Decoding is node-forge's, which knows both OpenSSL 3's default
 * (PBES2: PBKDF2 + AES-256-CBC, SHA-256 MAC) and the legacy
 * (3DES / RC2-40, SHA-1 MAC) encryptions, and unencrypted bags.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto'
import forge from 'node-forge'
import { TlsDataError, unreadablePkcs12Message } from './tls-data-error.js'

/** What a bundle holds: its certificates in bag order, and its key (null when it has none). */
export interface Pkcs12Contents {
  readonly certificates: readonly X509Certificate[]
  readonly privateKey: KeyObject | null
}

/**
 * Decodes `payload` with the empty passphrase (what OpenSSL writes for
 * `-passout pass:` and what Octavia's load_pkcs12(…, None) accepts). Throws
 * `unreadable-pkcs12` with the parser's reason (never payload bytes).
 */
export function readPkcs12(payload: Buffer): Pkcs12Contents {
  let pfx: forge.pkcs12.Pkcs12Pfx
  try {
    pfx = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(payload.toString('binary'), true), true, '')
  } catch (err) {
    throw unreadable(reasonOf(err), err)
  }
  const certificates = bagsOf(pfx, forge.pki.oids.certBag).map(certificateOf)
  const keys = [...bagsOf(pfx, forge.pki.oids.pkcs8ShroudedKeyBag), ...bagsOf(pfx, forge.pki.oids.keyBag)].map(keyOf)
  if (keys.length > 1) throw unreadable('the bundle holds more than one private key')
  return Object.freeze({ certificates: Object.freeze(certificates), privateKey: keys[0] ?? null })
}

function bagsOf(pfx: forge.pkcs12.Pkcs12Pfx, bagType: string): forge.pkcs12.Bag[] {
  return pfx.getBags({ bagType })[bagType] ?? []
}

/** A certificate bag's X.509 certificate. forge parses RSA ones itself and leaves others as ASN.1; both go to DER. */
function certificateOf(bag: forge.pkcs12.Bag): X509Certificate {
  const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1
  if (!asn1) throw unreadable('a certificate bag holds no certificate')
  try {
    return new X509Certificate(derOf(asn1))
  } catch (err) {
    throw unreadable('a certificate bag holds no readable X.509 certificate', err)
  }
}

/** A key bag's key. forge decrypts the shrouded bag and parses RSA keys; others stay PKCS#8 ASN.1. */
function keyOf(bag: forge.pkcs12.Bag): KeyObject {
  const asn1 = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : bag.asn1
  if (!asn1) throw unreadable('a key bag holds no key')
  try {
    return createPrivateKey({ key: derOf(asn1), format: 'der', type: 'pkcs8' })
  } catch (err) {
    throw unreadable('a key bag holds no readable private key', err)
  }
}

function derOf(asn1: forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary')
}

function unreadable(reason: string, cause?: unknown): TlsDataError {
  return new TlsDataError('unreadable-pkcs12', unreadablePkcs12Message(reason), cause === undefined ? undefined : { cause: new Error(reasonOf(cause)) })
}

/** forge's and OpenSSL's messages are fixed texts; they name no bytes of the bundle. */
function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : 'unknown error'
}
