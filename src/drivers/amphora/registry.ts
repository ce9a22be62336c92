import type { Config } from '../../common/config/schema.js'
import type { AmphoraFlowDeps } from '../amphora-flow-deps.js'
import type { AgentEndpoint } from './amphora-driver.js'
import type { CertificateInfo } from '../../pki/certificate-info.js'
import { noopCertificate } from './noop/noop-certificate.js'
import { NoopAmphoraDriver } from './noop/noop-amphora-driver.js'
import { restAmphoraDriver } from './rest/rest-amphora-driver.js'

/** `[controller_worker] amphora_driver`. */
export type AmphoraDriverName = Config['controller_worker']['amphora_driver']

/**
 * Renews the certificate of the agent at `host` for housekeeping; resolves
 * with the new certificate's serial and end of validity. Throws on failure.
 */
export type RenewCertificate = (host: string, signal: AbortSignal) => Promise<Pick<CertificateInfo, 'serialNumber' | 'notAfter'>>

/** An amphora driver with what comes along with it: certificates, the agent's address, heartbeats. */
export interface AmphoraDriverParts extends Pick<AmphoraFlowDeps, 'agent' | 'certificateExpiry' | 'heartbeats'> {
  /** The address recorded as the amphorae's `lb_network_ip`; undefined: this host's agent (localAgentEndpoint). */
  readonly agentEndpoint?: AgentEndpoint
  /** How housekeeping renews an agent certificate; undefined: over mutual TLS with the agent (AgentCertRotator). */
  readonly renewCertificate?: RenewCertificate
}

/** What an amphora driver is built from. */
export interface AmphoraDriverContext {
  readonly config: Pick<Config, 'DEFAULT' | 'haproxy_amphora' | 'certificates'>
}

/**
 * The management address the noop driver records (`lb_network_ip`): the one
 * Octavia's noop compute driver reports (TEST-NET-1). Nothing is contacted there.
 */
export const NOOP_MANAGEMENT_ADDRESS = '192.0.2.1'

/**
 * The amphora drivers by their `[controller_worker] amphora_driver` name
 * (STYLE.md R3). Building one touches nothing (the REST driver reads its TLS
 * material on first use).
 */
export const amphoraDrivers = {
  amphora_haproxy_rest_driver: (ctx: AmphoraDriverContext) => ({ ...restAmphoraDriver(ctx.config), heartbeats: true }),
  // NOTE: no agent and no certificate, but the amphora records look as in Octavia's noop gate: a certificate
  // expiry (and its renewal by housekeeping) and the noop compute driver's management address.
  amphora_noop_driver: (ctx: AmphoraDriverContext) => {
    const validity = ctx.config.certificates.cert_validity_time
    return {
      agent: new NoopAmphoraDriver(),
      certificateExpiry: async () => noopCertificate(validity).notAfter,
      heartbeats: false,
      agentEndpoint: { host: NOOP_MANAGEMENT_ADDRESS },
      renewCertificate: async () => noopCertificate(validity),
    }
  },
} satisfies Record<AmphoraDriverName, (ctx: AmphoraDriverContext) => AmphoraDriverParts>

/** The amphora driver the configuration names. */
export function createAmphoraDriver(
  config: Pick<Config, 'DEFAULT' | 'controller_worker' | 'haproxy_amphora' | 'certificates'>,
): AmphoraDriverParts {
  return amphoraDrivers[config.controller_worker.amphora_driver]({ config })
}
