import { formatValue, validationFailure } from '../../../common/errors.js'
import type { Executor } from '../../../db/database.js'
import type { ListenerRow } from '../../../db/schema.js'
import type { ApiDeps } from '../../deps.js'
import { checkAllowedCidrs, checkInsertHeaders } from './create-checks.js'
import { isDatagram } from './protocols.js'
import { pyRepr } from './py-repr.js'
import type { ListenerPut } from './schema.js'
import type { CertificateRefs } from './certificate-refs.js'
import { checkAlpnProtocols, checkCiphers, checkTlsVersions } from './tls-checks.js'

/**
 * Octavia's `_validate_listener_PUT`, in its order: UDP/SCTP without TLS or
 * headers, certificates only where TLS terminates, client authentication
 * needs a CA, header insertion rules, the new certificates read through
 * `refs`, CRL needs a CA, the resulting CA and CRL read, allowed CIDRs,
 * ciphers, TLS versions, ALPN, HSTS.
 */
export async function checkListenerUpdate(
  db: Executor, deps: ApiDeps, row: ListenerRow, body: ListenerPut, cidrs: readonly string[] | null | undefined,
  refs: CertificateRefs,
): Promise<void> {
  const settings = deps.config.api_settings
  const sni = body.sni_container_refs ?? []
  const hasRefs = !!body.default_tls_container_ref || sni.length > 0
  const headers = Object.keys(body.insert_headers ?? {})
  const tlsOffload = row.protocol === 'TERMINATED_HTTPS' || (row.protocol === 'PROMETHEUS' && hasRefs)
  if (isDatagram(row.protocol) && (hasRefs || headers.length)) {
    throw validationFailure(`${row.protocol} protocol listener does not support TLS or header insertion.`)
  }
  if (!tlsOffload && hasRefs) {
    throw validationFailure(`Certificate container references are not allowed on ${row.protocol} protocol listeners.`)
  }
  if (body.client_authentication !== undefined && body.client_authentication !== 'NONE'
    && !(row.client_ca_tls_certificate_id || body.client_ca_tls_container_ref)) {
    throw validationFailure(`Client authentication setting ${formatValue(body.client_authentication)} requires a client CA container reference.`)
  }
  if (headers.length) checkInsertHeaders(headers, row.protocol, pyRepr(headers))
  await refs.checkCertificates(body.default_tls_container_ref ? [...sni, body.default_tls_container_ref] : sni)
  const caRef = body.client_ca_tls_container_ref || row.client_ca_tls_certificate_id
  const crlRef = body.client_crl_container_ref || row.client_crl_container_id
  if (crlRef && !caRef) {
    throw validationFailure('A client authentication CA reference is required to specify a client authentication revocation list.')
  }
  if (caRef) await refs.checkCaAndCrl(caRef, crlRef || null)
  if (cidrs?.length) await checkAllowedCidrs(db, row.load_balancer_id, cidrs)
  if (body.tls_ciphers) checkCiphers(settings, body.tls_ciphers)
  if (body.tls_versions !== undefined) checkTlsVersions(settings, body.tls_versions)
  if (body.alpn_protocols !== undefined) checkAlpnProtocols(body.alpn_protocols)
  const hstsUnset = row.hsts_max_age === null && (body.hsts_max_age === undefined || body.hsts_max_age === null)
  if ((body.hsts_include_subdomains || body.hsts_preload) && hstsUnset) {
    throw validationFailure('Cannot enable hsts_include_subdomains or hsts_preload if hsts_max_age was not set as well.')
  }
  if (typeof body.hsts_max_age === 'number' && row.protocol !== 'TERMINATED_HTTPS') {
    throw validationFailure('The HSTS feature can only be used for listeners using the TERMINATED_HTTPS protocol.')
  }
}
