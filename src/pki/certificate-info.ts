/**
 * What other parts need to know about a certificate (validity for
 * `cert_expiration` and rotation, names, issuer), read with Node's own X.509
 * parser.
 */
import { X509Certificate } from 'node:crypto'

export interface CertificateInfo {
  readonly subject: string
  readonly issuer: string
  /** Upper-case hexadecimal, as OpenSSL prints it. */
  readonly serialNumber: string
  readonly notBefore: Date
  readonly notAfter: Date
  readonly dnsNames: readonly string[]
  readonly ipAddresses: readonly string[]
  /** SHA-256 fingerprint, `AA:BB:...`. */
  readonly fingerprint256: string
}

/** Parses the first certificate of a PEM text. Throws when there is none. */
export function describeCertificate(pem: string): CertificateInfo {
  const c = new X509Certificate(pem)
  const names = (c.subjectAltName ?? '').split(', ').filter((s) => s !== '')
  return Object.freeze({
    subject: c.subject,
    issuer: c.issuer,
    serialNumber: c.serialNumber.toUpperCase(),
    notBefore: new Date(c.validFrom),
    notAfter: new Date(c.validTo),
    dnsNames: names.filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4)),
    ipAddresses: names.filter((n) => n.startsWith('IP Address:')).map((n) => normalizeIp(n.slice(11))),
    fingerprint256: c.fingerprint256,
  })
}

/** Whether the certificate is outside its validity period at `now` or leaves it within `marginMs`. */
export function expiresWithin(info: CertificateInfo, marginMs: number, now: Date = new Date()): boolean {
  return info.notBefore.getTime() > now.getTime() || info.notAfter.getTime() - marginMs <= now.getTime()
}

/** OpenSSL prints IPv6 SANs upper-case and unabbreviated; compare in one form. */
function normalizeIp(ip: string): string {
  if (!ip.includes(':')) return ip
  return new URL(`http://[${ip}]/`).hostname.slice(1, -1)
}
