import { randomBytes } from 'node:crypto'
import type { CertificateInfo } from '../../../pki/certificate-info.js'

/** What the noop driver tells of an amphora certificate: nothing is issued, only its serial and end of validity. */
export type NoopCertificate = Pick<CertificateInfo, 'serialNumber' | 'notAfter'>

/**
 * The certificate of an amphora as the noop driver records it: valid for
 * `validitySeconds` (`[certificates] cert_validity_time`) from `now`. Octavia
 * generates a server certificate for every amphora also in its noop gate (the
 * certificate flow does not depend on the amphora driver), so its amphorae
 * show a `cert_expiration` and housekeeping renews them in time; there is no
 * agent to hand one to here, so none is issued. Serial: random, upper-case hex.
 */
export function noopCertificate(validitySeconds: number, now: Date = new Date()): NoopCertificate {
  return Object.freeze({
    serialNumber: randomBytes(16).toString('hex').toUpperCase(),
    notAfter: new Date(now.getTime() + validitySeconds * 1000),
  })
}
