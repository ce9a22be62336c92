/**
 * TLS termination of a listener (TERMINATED_HTTPS, and PROMETHEUS with a
 * certificate, as Octavia allows): the `ssl` options of its `bind` lines and
 * the Strict-Transport-Security header.
 *
 * Certificates: one `crt` per file, the default certificate first, then the
 * SNI certificates in their order (duplicates once). HAProxy answers a
 * client's SNI with the certificate whose CN or SAN names match it
 * (wildcards included) and falls back to the first one. (Octavia writes the
 * same list into a crt-list file; `crt` words need no extra file.)
 */
import { LISTENER_FIELDS } from '../../../model/listener-fields.js'
import type { ListenerView } from '../../../model/load-balancer-view.js'
import { configWord } from './config-escape.js'
import { directive } from './config-section.js'
import { integerIn, oneOf } from './config-values.js'
import { RenderError } from './render-error.js'
import { tlsProtocolWords } from './tls-protocol-options.js'
import { certificateFile, secretFile, type TlsFiles } from './tls-files.js'

/** client_authentication → HAProxy's `verify` (Octavia's CLIENT_AUTH_MAP). */
const CLIENT_VERIFY: Readonly<Record<string, string>> = { NONE: 'none', OPTIONAL: 'optional', MANDATORY: 'required' }

/** Whether the listener terminates TLS: TERMINATED_HTTPS always, PROMETHEUS when it has a certificate. */
export function terminatesTls(listener: ListenerView): boolean {
  return listener.protocol === 'TERMINATED_HTTPS' || (listener.protocol === 'PROMETHEUS' && listener.tls.certificateRef !== null)
}

/**
 * The words after `bind <address>:<port>` of a TLS listener, or null for a
 * plain one. Throws RenderError for a TERMINATED_HTTPS listener without
 * certificate, a CRL without CA, invalid settings or a reference without file.
 */
export function bindTlsOptions(listener: ListenerView, files: TlsFiles): string | null {
  if (!terminatesTls(listener)) return null
  const what = `listener ${listener.id}`
  const tls = listener.tls
  if (tls.certificateRef === null) throw new RenderError(`${what}: a ${listener.protocol} listener needs a default_tls_container_ref`)
  if (tls.clientCrlRef !== null && tls.clientCaRef === null) {
    throw new RenderError(`${what}: a client_crl_container_ref needs a client_ca_tls_container_ref`)
  }
  const verify = CLIENT_VERIFY[oneOf(`${what} client_authentication`, tls.clientAuthentication, Object.keys(CLIENT_VERIFY))]
  const crts = [...new Set([
    certificateFile(files, tls.certificateRef, `${what} default_tls_container_ref`),
    ...tls.sniRefs.map((ref, i) => certificateFile(files, ref, `${what} sni_container_refs[${i}]`)),
  ])]
  const ca = tls.clientCaRef === null ? null : secretFile(files, tls.clientCaRef, `${what} client_ca_tls_container_ref`)
  const crl = tls.clientCrlRef === null ? null : secretFile(files, tls.clientCrlRef, `${what} client_crl_container_ref`)
  const words = tlsProtocolWords(tls, what)
  return directive(
    'ssl',
    ...crts.map((path) => `crt ${configWord(path)}`),
    ca !== null && `ca-file ${configWord(ca)} verify ${verify}`,
    crl !== null && `crl-file ${configWord(crl)}`,
    words.ciphers,
    ...words.versionFlags,
    words.alpn !== null && `alpn ${words.alpn}`,
  )
}

/**
 * `http-response set-header Strict-Transport-Security "max-age=N;
 * includeSubDomains; preload;"` (Octavia's hsts_directives), for
 * TERMINATED_HTTPS listeners with hsts_max_age; null otherwise.
 */
export function hstsLine(listener: ListenerView): string | null {
  const tls = listener.tls
  if (listener.protocol !== 'TERMINATED_HTTPS' || tls.hstsMaxAge === null) return null
  const maxAge = integerIn(`listener ${listener.id} hsts_max_age`, tls.hstsMaxAge, LISTENER_FIELDS.hsts_max_age)
  const value = [`max-age=${maxAge};`, tls.hstsIncludeSubdomains && 'includeSubDomains;', tls.hstsPreload && 'preload;']
    .filter((w): w is string => typeof w === 'string').join(' ')
  return `http-response set-header Strict-Transport-Security "${value}"`
}
