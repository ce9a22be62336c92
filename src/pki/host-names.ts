/**
 * The names a server certificate answers for, as Octavia's get_host_names
 * reads them: the subject's first CN, lower-cased, and the SAN extension's
 * dNSNames as written. A certificate with neither is refused, as X.509
 * requires one of them.
 */
import { TLS_DATA_MESSAGES, TlsDataError } from './tls-data-error.js'
import { x509 } from './x509.js'

/** CN (lower-cased, null when absent or empty) and SAN dNSNames. */
export interface CertificateHostNames {
  readonly cn: string | null
  readonly dnsNames: readonly string[]
}

/** Names of the first certificate of `certificatePem`; throws `unreadable-cert` or `missing-subject`. */
export function hostNamesOf(certificatePem: string): CertificateHostNames {
  let cert: x509.X509Certificate
  try {
    cert = new x509.X509Certificate(certificatePem)
  } catch (err) {
    throw new TlsDataError('unreadable-cert', TLS_DATA_MESSAGES.unreadableCert, { cause: err })
  }
  const cn = cert.subjectName.getField('CN')[0]
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension)
  const dnsNames = (san?.names.items ?? []).filter((n) => n.type === 'dns').map((n) => n.value)
  const names = Object.freeze({ cn: cn ? cn.toLowerCase() : null, dnsNames: Object.freeze(dnsNames) })
  if (names.cn === null && dnsNames.length === 0) throw new TlsDataError('missing-subject', TLS_DATA_MESSAGES.missingSubject)
  return names
}
