import { conflict, LbaasError, validationFailure } from '../../../common/errors.js'
import type { Executor } from '../../../db/database.js'
import { listenersOnPort, vipFacts } from '../../../db/repositories/listener-repository.js'
import type { ApiDeps } from '../../deps.js'
import { isCidrIpv6 } from './cidr.js'
import { HEADER_INSERTION_PROTOCOLS, HTTP_HEADERS, isDatagram, L4_FAMILY, SSL_HEADERS } from './protocols.js'
import { pyRepr } from './py-repr.js'
import type { CertificateRefs } from './certificate-refs.js'
import { checkAlpnProtocols, checkCiphers, checkTlsVersions } from './tls-checks.js'

/** A listener create with Octavia's defaults applied (db_prepare.create_listener). */
export interface ListenerDraft {
  readonly loadBalancerId: string
  readonly protocol: string
  readonly protocolPort: number
  readonly defaultTlsRef: string | null
  readonly sniRefs: readonly string[]
  readonly clientCaRef: string | null
  readonly clientCrlRef: string | null
  readonly clientAuthentication: string
  readonly insertHeaders: Readonly<Record<string, string>>
  readonly allowedCidrs: readonly string[]
  readonly tlsCiphers: string | null
  readonly tlsVersions: readonly string[] | null
  readonly alpnProtocols: readonly string[] | null
  readonly hstsMaxAge: number | null | undefined
  readonly hstsIncludeSubdomains: boolean
  readonly hstsPreload: boolean
}

const hasCertRefs = (d: Pick<ListenerDraft, 'defaultTlsRef' | 'sniRefs'>): boolean => !!d.defaultTlsRef || d.sniRefs.length > 0

/** Whether the listener terminates TLS (TERMINATED_HTTPS, or PROMETHEUS with certificates). */
export const terminatesTls = (d: Pick<ListenerDraft, 'protocol' | 'defaultTlsRef' | 'sniRefs'>): boolean =>
  d.protocol === 'TERMINATED_HTTPS' || (d.protocol === 'PROMETHEUS' && hasCertRefs(d))

/**
 * Octavia's insert_headers rules: only HTTP and TERMINATED_HTTPS listeners,
 * known header names, client-certificate headers on TERMINATED_HTTPS only.
 * `keysText` is how the message quotes the requested names (Octavia quotes
 * `dict_keys([...])` on create and a plain list on update).
 */
export function checkInsertHeaders(names: readonly string[], protocol: string, keysText: string): void {
  if (!HEADER_INSERTION_PROTOCOLS.includes(protocol)) {
    throw new LbaasError('invalid_option', 400, `insert-headers is not a valid option for a ${protocol} protocol listener.`)
  }
  if (names.some(n => !HTTP_HEADERS.includes(n) && !SSL_HEADERS.includes(n))) {
    throw new LbaasError('invalid_option', 400, `${keysText} is not a valid option for insert_headers`)
  }
  const ssl = names.filter(n => SSL_HEADERS.includes(n))
  if (protocol !== 'TERMINATED_HTTPS' && ssl.length) {
    throw new LbaasError('invalid_option', 400, `${pyRepr(ssl)} is not a valid option for ${protocol} protocol listener.`)
  }
}

/**
 * allowed_cidrs must each match the IP version of at least one VIP, and are
 * refused when the VIP uses custom security groups.
 */
export async function checkAllowedCidrs(db: Executor, loadBalancerId: string, cidrs: readonly string[]): Promise<void> {
  if (cidrs.length === 0) return
  const vip = await vipFacts(db, loadBalancerId)
  if (vip.sgIds.length) throw validationFailure('Allowed CIDRs are not allowed when using custom VIP Security Groups.')
  for (const cidr of cidrs) {
    if (!vip.addresses.some(a => a.includes(':') === isCidrIpv6(cidr))) {
      throw validationFailure(`CIDR ${cidr} IP version incompatible with all VIPs ${pyRepr(vip.addresses)} IP version.`)
    }
  }
}

const disabled = (value: string) =>
  new LbaasError('disabled_option', 400, `The selected protocol is not allowed in this deployment: ${value}`)

/**
 * Octavia's `_validate_create_listener`, in its order: header insertion, UDP/
 * SCTP without TLS, deployment switches, certificate rules, ciphers,
 * certificate references read through `refs` (SNI, default, then client CA
 * and CRL), duplicate port (409), allowed CIDRs, TLS versions and ALPN for
 * TLS-terminating listeners, HSTS.
 */
export async function checkListenerCreate(db: Executor, deps: ApiDeps, d: ListenerDraft, refs: CertificateRefs): Promise<void> {
  const settings = deps.config.api_settings
  const tlsOffload = terminatesTls(d)
  const headerNames = Object.keys(d.insertHeaders)
  if (headerNames.length) checkInsertHeaders(headerNames, d.protocol, `dict_keys(${pyRepr(headerNames)})`)
  if (isDatagram(d.protocol) && (hasCertRefs(d) || headerNames.length)) {
    throw validationFailure(`${d.protocol} protocol listener does not support TLS.`)
  }
  if (!settings.allow_tls_terminated_listeners && tlsOffload) {
    throw disabled(d.protocol === 'PROMETHEUS' ? 'PROMETHEUS with TLS' : d.protocol)
  }
  if (!settings.allow_prometheus_listeners && d.protocol === 'PROMETHEUS') throw disabled('PROMETHEUS')
  checkCertificateRules(d, tlsOffload)
  if (d.tlsCiphers) checkCiphers(settings, d.tlsCiphers)
  await refs.checkCertificates(d.defaultTlsRef ? [...d.sniRefs, d.defaultTlsRef] : d.sniRefs)
  if (d.clientCaRef) await refs.checkCaAndCrl(d.clientCaRef, d.clientCrlRef)
  await checkDuplicatePort(db, d.loadBalancerId, d.protocol, d.protocolPort)
  await checkAllowedCidrs(db, d.loadBalancerId, d.allowedCidrs)
  if (tlsOffload) {
    checkTlsVersions(settings, d.tlsVersions)
    checkAlpnProtocols(d.alpnProtocols)
  }
  checkHsts(d)
}

/** Octavia's certificate reference rules of a listener create, in its order. */
function checkCertificateRules(d: ListenerDraft, tlsOffload: boolean): void {
  if (!tlsOffload && hasCertRefs(d)) {
    throw validationFailure(`Certificate container references are not allowed on ${d.protocol} protocol listeners.`)
  }
  if (d.clientCaRef && !hasCertRefs(d)) {
    throw validationFailure('An SNI or default certificate container reference must be provided with a client CA container reference.')
  }
  if (tlsOffload && !hasCertRefs(d)) {
    const what = d.protocol === 'PROMETHEUS' ? 'PROMETHEUS with TLS' : d.protocol
    throw validationFailure(`An SNI or default certificate container reference must be provided for ${what} protocol listeners.`)
  }
  if (d.clientAuthentication !== 'NONE' && !d.clientCaRef) {
    throw validationFailure(`Client authentication setting ${d.clientAuthentication} requires a client CA container reference.`)
  }
  if (d.clientCrlRef && !d.clientCaRef) {
    throw validationFailure('A client authentication CA reference is required to specify a client authentication revocation list.')
  }
}

/** HSTS options only with a max age, and only on TERMINATED_HTTPS listeners. */
function checkHsts(d: ListenerDraft): void {
  if ((d.hstsIncludeSubdomains || d.hstsPreload) && typeof d.hstsMaxAge !== 'number') {
    throw validationFailure('HSTS configuration options hsts_include_subdomains and hsts_preload only make sense if hsts_max_age is set as well.')
  }
  if (typeof d.hstsMaxAge === 'number' && d.protocol !== 'TERMINATED_HTTPS') {
    throw validationFailure('The HSTS feature can only be used for listeners using the TERMINATED_HTTPS protocol.')
  }
}

/** 409 when another listener of the same L4 family (TCP, UDP, SCTP) already uses the port. */
async function checkDuplicatePort(db: Executor, loadBalancerId: string, protocol: string, port: number): Promise<void> {
  const family = L4_FAMILY[protocol]
  for (const other of await listenersOnPort(db, loadBalancerId, port)) {
    if (L4_FAMILY[other.protocol] === family) {
      throw conflict(`Another Listener on this Load Balancer is already using protocol ${other.protocol} and protocol_port ${port}`,
        'duplicate_listener')
    }
  }
}
