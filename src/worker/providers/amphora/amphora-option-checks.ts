import { providerUnsupported } from '../../../common/errors.js'
import { dataPlaneModeFor, type ComputeDriverOption } from '../../../common/config/compute-mode.js'
import type { PoolOptions } from '../../../model/provider-capabilities.js'

/**
 * The API-time checks of the amphora provider (Octavia's provider driver
 * validation, answered 501 `Provider '<p>' does not support a requested
 * option: …`) for what octavia-ts's amphorae cannot serve yet: UDP and SCTP
 * (no datagram balancer yet), TERMINATED_HTTPS listeners and pool
 * certificates (no certificate manager yet). The amphora provider driver
 * offers them to the API as its ProviderCapabilities checks.
 * (The amphora provider's lb_algorithm check — SOURCE_IP_PORT on UDP/SCTP
 * pools — and L7 policies on non-HTTP listeners are checked in
 * src/api/v2/pools/checks.ts and src/api/v2/l7policies/redirect-pool.ts.)
 */

/** Listener protocols the amphora provider serves now. */
export const AMPHORA_LISTENER_PROTOCOLS: readonly string[] = ['TCP', 'HTTP', 'HTTPS', 'PROMETHEUS']
/** Pool protocols the amphora provider serves now. */
export const AMPHORA_POOL_PROTOCOLS: readonly string[] = ['TCP', 'HTTP', 'HTTPS', 'PROXY', 'PROXYV2']

const unsupportedProtocol = (provider: string, protocol: string, supported: readonly string[]) =>
  providerUnsupported(provider, `Amphora provider does not support ${protocol} protocol. Supported: ${supported.join(', ')}`)

/** Listener create: 501 for UDP, SCTP and TERMINATED_HTTPS on the amphora provider. */
export function checkAmphoraListenerOptions(provider: string, protocol: string): void {
  if (!AMPHORA_LISTENER_PROTOCOLS.includes(protocol)) throw unsupportedProtocol(provider, protocol, AMPHORA_LISTENER_PROTOCOLS)
}

/** Pool create/update: 501 for UDP and SCTP pools and for certificate references on the amphora provider. */
export function checkAmphoraPoolOptions(provider: string, pool: PoolOptions): void {
  if (!AMPHORA_POOL_PROTOCOLS.includes(pool.protocol)) throw unsupportedProtocol(provider, pool.protocol, AMPHORA_POOL_PROTOCOLS)
  const refs = [
    pool.tlsContainerRef && 'tls_container_ref',
    pool.caTlsContainerRef && 'ca_tls_container_ref',
    pool.crlContainerRef && 'crl_container_ref',
  ].filter((r): r is string => typeof r === 'string')
  if (refs.length > 0) throw providerUnsupported(provider, `Amphora provider does not support pool certificates (${refs.join(', ')}) yet.`)
}

/**
 * Load balancer create: 501 for ACTIVE_STANDBY on the amphora provider when
 * amphorae run on loopback addresses (not root): keepalived's VRRP needs a
 * network namespace per amphora.
 */
export function checkAmphoraTopology(provider: string, topology: string, worker: { readonly compute_driver: ComputeDriverOption }): void {
  if (topology !== 'ACTIVE_STANDBY') return
  if (worker.compute_driver === 'compute_noop_driver' || dataPlaneModeFor(worker) === 'netns') return
  throw providerUnsupported(provider,
    'Amphora provider does not support the ACTIVE_STANDBY topology with loopback amphorae (keepalived VRRP needs network namespaces: run as root with compute_driver netns).')
}
