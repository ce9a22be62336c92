import { validationFailure } from '../../../common/errors.js'
import type { ApiDeps } from '../../deps.js'

/** TLS protocol versions, oldest first (Octavia's TLS_ALL_VERSIONS). */
export const TLS_ALL_VERSIONS: readonly string[] = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']

/** ALPN protocol ids a listener or pool may offer. */
export const ALPN_PROTOCOLS: readonly string[] = ['h2', 'http/1.1', 'http/1.0']

type TlsSettings = Pick<ApiDeps['config']['api_settings'], 'tls_cipher_prohibit_list' | 'minimum_tls_version'>

const VALID_CIPHERS = /^[A-Za-z0-9\-+!:@=_.]+$/

/**
 * Validates an OpenSSL cipher string: safe characters only (it reaches the
 * HAProxy configuration) and none of `[api_settings] tls_cipher_prohibit_list`.
 */
export function checkCiphers(settings: TlsSettings, ciphers: string): void {
  if (!VALID_CIPHERS.test(ciphers)) {
    throw validationFailure('Invalid characters in cipher string. Only alphanumeric, -, +, !, :, @, =, _, and . are allowed.')
  }
  const prohibited = new Set(settings.tls_cipher_prohibit_list.flatMap(c => c.split(':')))
  const rejected = ciphers.split(':').filter(c => prohibited.has(c))
  if (rejected.length) {
    throw validationFailure(`The following ciphers have been prohibited by an administrator: ${rejected.join(', ')}`)
  }
}

/**
 * Validates a TLS version list: not empty, known names, none below
 * `[api_settings] minimum_tls_version`. null means "use the default" and passes.
 */
export function checkTlsVersions(settings: TlsSettings, versions: readonly string[] | null): void {
  if (versions === null) return
  if (versions.length === 0) {
    throw validationFailure('Empty TLS version list. Either specify at least one TLS version or remove this parameter to use the default.')
  }
  const invalid = versions.filter(v => !TLS_ALL_VERSIONS.includes(v))
  if (invalid.length) throw validationFailure(`Invalid TLS versions: ${invalid.join(', ')}`)
  const minimum = settings.minimum_tls_version
  if (!minimum) return
  const floor = TLS_ALL_VERSIONS.indexOf(minimum)
  const rejected = versions.filter(v => TLS_ALL_VERSIONS.indexOf(v) < floor)
  if (rejected.length) {
    throw validationFailure(`Requested TLS versions are less than the minimum: ${rejected.join(', ')} < ${minimum}`)
  }
}

/** Validates an ALPN protocol list: not empty, known ids. null passes. */
export function checkAlpnProtocols(protocols: readonly string[] | null): void {
  if (protocols === null) return
  if (protocols.length === 0) {
    throw validationFailure('Empty ALPN protocol list. Either specify at least one ALPN protocol or remove this parameter to use the default.')
  }
  const invalid = protocols.filter(p => !ALPN_PROTOCOLS.includes(p))
  if (invalid.length) throw validationFailure(`Invalid ALPN protocol: ${invalid.join(', ')}`)
}
