/**
 * TLS material that listeners and pools reference, read from the bytes a
 * certificate manager returns: a PKCS12 bundle (a Barbican secret), the
 * parts of a legacy certificate container, a client CA bundle, a CRL. Pure
 * functions on bytes and PEM text, no I/O.
 *
 * Every PEM string returned is one block ending with exactly one newline
 * (blocks concatenate into a valid file); private keys come back
 * unencrypted (PKCS#1 for RSA, SEC1 for EC). Unusable data throws
 * TlsDataError, whose message names no secret bytes.
 */
import { X509Certificate, type KeyObject } from 'node:crypto'
import { hostNamesOf, type CertificateHostNames } from './host-names.js'
import { certificatePem, intermediatesFrom } from './intermediates.js'
import { asText, hasPemBlock, pemContents } from './pem-text.js'
import { readPkcs12 } from './pkcs12-bundle.js'
import { assertKeyMatches, readPrivateKey, unencryptedPem } from './private-key.js'
import { TLS_DATA_MESSAGES, TlsDataError, unreadablePkcs12Message } from './tls-data-error.js'

export { crlFrom } from './crl.js'
export { hostNamesOf } from './host-names.js'
export { TlsDataError, type TlsDataProblem } from './tls-data-error.js'

/** A usable certificate (the shape of model's TlsCertificate). */
export interface ParsedCertificate {
  /** The leaf certificate. */
  readonly certificate: string
  /** Unencrypted; null when the certificate came without key. */
  readonly privateKey: string | null
  /** Leaf-side first, as given. */
  readonly intermediates: readonly string[]
  readonly hostNames: CertificateHostNames
}

/**
 * A PKCS12 bundle without passphrase (Octavia's PKCS12Cert): the certificate
 * whose public key matches the bundle's key is the leaf, the other
 * certificates are intermediates in bag order. Throws `unreadable-pkcs12`
 * (also for a bundle without key or certificate), `mismatched-key`,
 * `missing-subject`.
 */
export function certificateFromPkcs12(payload: Buffer): ParsedCertificate {
  const { certificates, privateKey } = readPkcs12(payload)
  if (certificates.length === 0) throw new TlsDataError('unreadable-pkcs12', unreadablePkcs12Message('the bundle holds no certificate'))
  if (privateKey === null) throw new TlsDataError('unreadable-pkcs12', unreadablePkcs12Message('the bundle holds no private key'))
  const leaf = certificates.find((c) => c.checkPrivateKey(privateKey))
  if (leaf === undefined) throw new TlsDataError('mismatched-key', TLS_DATA_MESSAGES.mismatchedKey)
  const intermediates = certificates.filter((c) => c !== leaf).map((c) => certificatePem(c.raw))
  return parsed(leaf, privateKey, intermediates)
}

/** The parts of a legacy certificate container (PEM texts or bytes; empty strings count as absent). */
export interface CertificateParts {
  readonly certificate: Buffer | string
  readonly privateKey?: Buffer | string | null
  readonly passphrase?: Buffer | string | null
  readonly intermediates?: Buffer | string | null
}

/**
 * Octavia's validate_cert + prepare_private_key: the certificate must be
 * PEM X.509 (`unreadable-cert`), the key, when given, must load with the
 * passphrase (`needs-passphrase`) and match (`mismatched-key`), the
 * intermediates, when given, must be PEM X.509 blocks or a PKCS7 bundle
 * (`unreadable-cert`). Also `missing-subject`.
 */
export function certificateFromParts(parts: CertificateParts): ParsedCertificate {
  const leaf = leafCertificate(parts.certificate)
  const intermediates = present(parts.intermediates) ? intermediatesFrom(parts.intermediates) : []
  let key: KeyObject | null = null
  if (present(parts.privateKey)) {
    key = readPrivateKey(parts.privateKey, parts.passphrase)
    assertKeyMatches(leaf, key)
  }
  return parsed(leaf, key, intermediates)
}

/**
 * A client CA bundle: its PEM X.509 blocks, each normalised. Throws
 * `unreadable-cert` when there is none or one is unreadable.
 */
export function caCertificatesFrom(payload: Buffer | string): string[] {
  const blocks = pemContents(asText(payload), 'CERTIFICATE')
  if (blocks.length === 0) throw new TlsDataError('unreadable-cert', TLS_DATA_MESSAGES.invalidCa)
  try {
    return blocks.map(certificatePem)
  } catch (err) {
    throw new TlsDataError('unreadable-cert', TLS_DATA_MESSAGES.invalidCa, { cause: err })
  }
}

function leafCertificate(data: Buffer | string): X509Certificate {
  const [der] = pemContents(asText(data), 'CERTIFICATE')
  try {
    if (der === undefined || !hasPemBlock(asText(data), 'CERTIFICATE')) throw new Error('no CERTIFICATE PEM block')
    return new X509Certificate(der)
  } catch (err) {
    throw new TlsDataError('unreadable-cert', TLS_DATA_MESSAGES.unreadableCert, { cause: err })
  }
}

function parsed(leaf: X509Certificate, key: KeyObject | null, intermediates: readonly string[]): ParsedCertificate {
  const certificate = certificatePem(leaf.raw)
  return Object.freeze({
    certificate,
    privateKey: key === null ? null : unencryptedPem(key),
    intermediates: Object.freeze([...intermediates]),
    hostNames: hostNamesOf(certificate),
  })
}

function present(value: Buffer | string | null | undefined): value is Buffer | string {
  return value !== undefined && value !== null && value.length > 0
}
