import { providerUnsupported, validationFailure } from '../../../common/errors.js'
import type { ApiDeps } from '../../deps.js'
import { isDatagram } from '../listeners/protocols.js'
import type { CertificateRefs } from '../listeners/certificate-refs.js'
import { checkAlpnProtocols, checkCiphers, checkTlsVersions } from '../listeners/tls-checks.js'

/** A session persistence request after PUT's "keep the old type" rule. */
export interface SessionPersistenceInput {
  readonly type?: string | null
  readonly cookie_name?: string | null
  readonly persistence_timeout?: number | null
  readonly persistence_granularity?: string | null
}

// Characters a cookie name may not contain (Octavia's check_session_persistence).
const BAD_COOKIE_NAME = /[\x00-\x20\x22\x28-\x29\x2c\x2f\x3a-\x40\x5b-\x5d\x7b\x7d\x7f]/

/**
 * Octavia's session persistence rules for a pool of `protocol`: UDP/SCTP pools
 * take SOURCE_IP only (with timeout/granularity, no cookie), other pools take
 * no timeout/granularity, APP_COOKIE needs a valid cookie name that no other
 * type may carry. `onUpdate` selects PUT's wording where Octavia's differs.
 */
export function checkSessionPersistence(protocol: string, sp: SessionPersistenceInput | null | undefined, onUpdate: boolean): void {
  if (!sp) return
  if (isDatagram(protocol)) {
    if (sp.type === 'SOURCE_IP' && sp.cookie_name) {
      throw validationFailure('session_persistence SOURCE_IP type for UDP and SCTP protocols only accepts: type, persistence_timeout, persistence_granularity.')
    }
    if (sp.cookie_name) throw validationFailure('Cookie names are not supported for UDP/SCTP pools.')
    if (sp.type === 'HTTP_COOKIE' || sp.type === 'APP_COOKIE') {
      throw validationFailure(`Session persistence of type ${sp.type} is not supported for UDP/SCTP protocol pools.`)
    }
  } else if (sp.persistence_timeout || sp.persistence_granularity) {
    throw validationFailure(`persistence_timeout and persistence_granularity is only for ${onUpdate ? 'UDP' : 'UDP and SCTP'} protocol pools.`)
  }
  if (!sp.type) throw validationFailure('Invalid session_persistence provided.')
  if (sp.cookie_name) {
    if (sp.type !== 'APP_COOKIE') {
      throw validationFailure('Field "cookie_name" can only be specified with session persistence of type "APP_COOKIE".')
    }
    if (BAD_COOKIE_NAME.test(sp.cookie_name) || !/[\x00-\xff]/.test(sp.cookie_name)) {
      throw validationFailure('Supplied "cookie_name" is invalid.')
    }
  }
  if (sp.type === 'APP_COOKIE' && !sp.cookie_name) {
    throw validationFailure('Field "cookie_name" must be specified when using the "APP_COOKIE" session persistence type.')
  }
}

/** The TLS attributes of a pool create, defaults already applied. */
export interface PoolTlsInput {
  readonly tls_enabled: boolean
  readonly tls_container_ref: string | null
  readonly ca_tls_container_ref: string | null
  readonly crl_container_ref: string | null
  readonly tls_ciphers: string | null
  readonly tls_versions: readonly string[] | null
  readonly alpn_protocols: readonly string[] | null
}

/**
 * Octavia's `_validate_create_pool` TLS rules, in its order: a CRL needs a
 * CA, the references read through `refs` (certificate, then CA and CRL),
 * prohibited ciphers, then TLS versions and ALPN when TLS is enabled.
 */
export async function checkPoolTlsOnCreate(deps: ApiDeps, t: PoolTlsInput, refs: CertificateRefs): Promise<void> {
  if (t.crl_container_ref && !t.ca_tls_container_ref) {
    throw validationFailure('A CA certificate reference is required to specify a revocation list.')
  }
  await refs.checkCertificates(t.tls_container_ref ? [t.tls_container_ref] : [])
  if (t.ca_tls_container_ref) await refs.checkCaAndCrl(t.ca_tls_container_ref, t.crl_container_ref || null)
  const settings = deps.config.api_settings
  if (t.tls_ciphers) checkCiphers(settings, t.tls_ciphers)
  if (t.tls_enabled) {
    checkTlsVersions(settings, t.tls_versions)
    checkAlpnProtocols(t.alpn_protocols)
  }
}

const AMPHORA_ALGORITHMS: readonly string[] = ['ROUND_ROBIN', 'SOURCE_IP', 'LEAST_CONNECTIONS', 'SOURCE_IP_PORT']

/**
 * The amphora provider's algorithm check (Octavia's provider driver answers
 * 501 for an algorithm its amphorae do not serve). Upstream's amphorae refuse
 * SOURCE_IP_PORT; octavia-ts's HAProxy serves it on the pools it carries (a
 * consistent hash of the client's address and port, see the renderer's
 * balance-directives.ts), so only UDP and SCTP pools, which HAProxy does not
 * carry, keep upstream's refusal.
 */
export function checkProviderAlgorithm(provider: string, algorithm: string | null | undefined, protocol: string): void {
  if (!algorithm || (provider !== 'amphora' && provider !== 'octavia')) return
  if (!AMPHORA_ALGORITHMS.includes(algorithm) || (algorithm === 'SOURCE_IP_PORT' && isDatagram(protocol))) {
    throw providerUnsupported(provider, `Amphora provider does not support ${algorithm} algorithm.`)
  }
}
