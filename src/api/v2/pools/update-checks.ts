import { validationFailure } from '../../../common/errors.js'
import type { PoolRow } from '../../../db/schema.js'
import type { ApiDeps } from '../../deps.js'
import type { CertificateRefs } from '../listeners/certificate-refs.js'
import { checkAlpnProtocols, checkCiphers, checkTlsVersions } from '../listeners/tls-checks.js'
import { checkSessionPersistence, type SessionPersistenceInput } from './checks.js'
import type { PoolPut } from './schema.js'

/** A PUT body after Octavia's defaulting (null TLS versions/ciphers, missing SP type). */
export interface PoolUpdateInput {
  readonly body: PoolPut
  readonly sessionPersistence: SessionPersistenceInput | null | undefined
  readonly tlsCiphers: string | null | undefined
  readonly tlsVersions: readonly string[] | null | undefined
}

const caRequired = () => validationFailure('A CA reference is required to specify a certificate revocation list.')

/**
 * Octavia's `_validate_pool_PUT`: session persistence rules, the CA/CRL pair
 * (a CRL needs a CA; the CA cannot be removed while a CRL stays), the new
 * certificate and the resulting CA and CRL read through `refs`, ciphers, TLS
 * versions, ALPN.
 */
export async function checkPoolUpdate(deps: ApiDeps, row: PoolRow, u: PoolUpdateInput, refs: CertificateRefs): Promise<void> {
  const b = u.body
  checkSessionPersistence(row.protocol, u.sessionPersistence, true)
  const crlRef = b.crl_container_ref || (b.crl_container_ref === undefined ? row.crl_container_id : null)
  let caRef: string | null = null
  if (b.ca_tls_container_ref !== undefined) {
    if (!b.ca_tls_container_ref && crlRef) {
      if (row.ca_tls_certificate_id) {
        throw validationFailure('A CA reference cannot be removed when a certificate revocation list is present.')
      }
      throw caRequired()
    }
    caRef = b.ca_tls_container_ref || null
  } else if (row.ca_tls_certificate_id) {
    caRef = row.ca_tls_certificate_id
  } else if (crlRef) {
    throw caRequired()
  }
  if (b.tls_container_ref) await refs.checkCertificates([b.tls_container_ref])
  if (caRef) await refs.checkCaAndCrl(caRef, crlRef || null)
  const settings = deps.config.api_settings
  if (u.tlsCiphers) checkCiphers(settings, u.tlsCiphers)
  if (u.tlsVersions !== undefined) checkTlsVersions(settings, u.tlsVersions)
  if (b.alpn_protocols !== undefined) checkAlpnProtocols(b.alpn_protocols)
}
