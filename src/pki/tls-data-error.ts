/**
 * Why TLS data (a certificate bundle, a key, a CA bundle, a CRL) is unusable.
 * The problems mirror Octavia's exceptions of the same meaning, and the
 * messages are Octavia's texts where it has one, so that the API can answer
 * with them. A message never holds key material or payload bytes.
 */

/** Same names as CertificateDataProblem of src/model/certificate-manager.ts (pki may not import model). */
export type TlsDataProblem =
  | 'unreadable-pkcs12'
  | 'unreadable-cert'
  | 'needs-passphrase'
  | 'mismatched-key'
  | 'missing-subject'
  | 'unreadable-crl'

/** Unusable TLS data; `problem` says which kind, `message` says why. */
export class TlsDataError extends Error {
  constructor(readonly problem: TlsDataProblem, message: string, opts?: ErrorOptions) {
    super(message, opts)
    this.name = 'TlsDataError'
  }
}

/** Octavia's texts (octavia/common/exceptions.py, api/v2/controllers/base.py). */
export const TLS_DATA_MESSAGES = Object.freeze({
  unreadableCert: 'Could not read X509 from PEM',
  needsPassphrase: 'Passphrase needed to decrypt key but client did not provide one.',
  mismatchedKey: 'Key and x509 certificate do not match',
  missingSubject: 'No CN or DNSName(s) found in certificate. The certificate is invalid.',
  invalidCa: 'The client authentication CA certificate is invalid. It must be a valid x509 PEM format certificate.',
  invalidCrl:
    'The client authentication certificate revocation list is invalid. It must be a valid x509 PEM format certificate revocation list.',
  crlNotForCa: 'The CRL specified is not valid for client certificate authority reference supplied.',
})

/** Octavia's UnreadablePKCS12 text with the reason the parser gave. */
export function unreadablePkcs12Message(reason: string): string {
  return (
    'The PKCS12 bundle is unreadable. Please check the PKCS12 bundle validity. ' +
    `In addition, make sure it does not require a pass phrase. Error: ${reason}`
  )
}
