/**
 * Intermediate certificates as a legacy certificate container holds them
 * (Octavia's get_intermediates_pems): PEM X.509 blocks, or else a PKCS7
 * bundle in PEM (`-----BEGIN PKCS7-----`) or DER. Each becomes one
 * normalised PEM block, in the order given.
 */
import { X509Certificate } from 'node:crypto'
import { asText, hasPemBlock, pemContents, toPem } from './pem-text.js'
import { TLS_DATA_MESSAGES, TlsDataError } from './tls-data-error.js'
import { x509 } from './x509.js'

/** The certificates of `data`; throws `unreadable-cert` when any is unreadable or there is none. */
export function intermediatesFrom(data: Buffer | string): string[] {
  const text = typeof data === 'string' ? data : data.toString('latin1')
  const ders = hasPemBlock(text, 'CERTIFICATE') ? pemContents(text, 'CERTIFICATE') : pkcs7Certificates(data)
  if (ders.length === 0) throw unreadable()
  return ders.map(certificatePem)
}

/** One certificate's DER as normalised PEM; throws `unreadable-cert`. */
export function certificatePem(der: Uint8Array): string {
  try {
    return toPem(new X509Certificate(der).raw, 'CERTIFICATE')
  } catch (err) {
    throw unreadable(err)
  }
}

/** The certificates of PKCS7 SignedData, PEM (every PKCS7 block) or DER. */
function pkcs7Certificates(data: Buffer | string): Uint8Array[] {
  const text = asText(data)
  const bundles = hasPemBlock(text, 'PKCS7') ? pemContents(text, 'PKCS7') : [typeof data === 'string' ? Buffer.from(data, 'latin1') : data]
  try {
    return bundles.flatMap((der) => [...new x509.X509Certificates(new Uint8Array(der))].map((c) => new Uint8Array(c.rawData)))
  } catch (err) {
    throw unreadable(err)
  }
}

function unreadable(cause?: unknown): TlsDataError {
  const reason = cause instanceof Error ? cause.message : undefined
  return new TlsDataError('unreadable-cert', TLS_DATA_MESSAGES.unreadableCert, reason === undefined ? undefined : { cause: new Error(reason) })
}
