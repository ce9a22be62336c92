import { providerUnsupported } from '../../../common/errors.js'
import { dataPlaneModeFor, type ComputeDriverOption } from '../../../common/config/compute-mode.js'
import type { PoolOptions } from '../../../model/provider-capabilities.js'

/**
 * The API-time checks of the amphora provider (Octavia's provider driver
 * validation, answered 501 `Provider '<p>' does not support a requested
 * option: …`) for what octavia-ts's amphorae cannot serve yet: UDP and SCTP
 * (no datagram balancer yet). TLS (TERMINATED_HTTPS listeners, pool
 * certificates) is served: its references are checked by the API itself.
 * The amphora provider driver offers these to the API as its
 * ProviderCapabilities checks.
 * (The amphora provider's lb_algorithm check — SOURCE_IP_PORT on UDP/SCTP
 * pools — and L7 policies on non-HTTP listeners are checked in
 * src/api/v2/pools/checks.ts and src/api/v2/l7policies/redirect-pool.ts.)
 */

/** Listener protocols the amphora provider serves now. */
export const AMPHORA_LISTENER_PROTOCOLS: readonly string[] = ['TCP', 'HTTP', 'HTTPS', 'TERMINATED_HTTPS', 'PROMETHEUS']
/** Pool protocols the amphora provider serves now. */
export const AMPHORA_POOL_PROTOCOLS: readonly string[] = ['TCP', 'HTTP', 'HTTPS', 'PROXY', 'PROXYV2']

const unsupportedProtocol = (provider: string, protocol: string, supported: readonly string[]) =>
  providerUnsupported(provider, `Amphora provider does not support ${protocol} protocol. Supported: ${supported.join(', ')}`)

/** Listener create: 501 for UDP and SCTP on the amphora provider. */
export function checkAmphoraListenerOptions(provider: string, protocol: string): void {
  if (!AMPHORA_LISTENER_PROTOCOLS.includes(protocol)) throw unsupportedProtocol(provider, protocol, AMPHORA_LISTENER_PROTOCOLS)
}

/** Pool create/update: 501 for UDP and SCTP pools on the amphora provider (certificates are served). */
export function checkAmphoraPoolOptions(provider: string, pool: PoolOptions): void {
  if (!AMPHORA_POOL_PROTOCOLS.includes(pool.protocol)) throw unsupportedProtocol(provider, pool.protocol, AMPHORA_POOL_PROTOCOLS)
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
