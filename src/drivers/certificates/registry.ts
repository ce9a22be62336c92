import type { Config } from '../../common/config/schema.js'
import type { Logger } from '../../common/logging.js'
import type { Database } from '../../db/database.js'
import { CertificateRetrievalError, type CertificateManager } from '../../model/certificate-manager.js'
import { BarbicanCertManager } from './barbican-cert-manager.js'

/** The configuration groups a certificate manager reads. */
export type CertificateManagerConfig = Pick<Config, 'DEFAULT' | 'certificates' | 'service_auth'>

/** What a certificate manager is built with. */
export interface CertificateManagerDeps {
  readonly database: Database
  readonly log: Logger
}

/**
 * The certificate manager of `[certificates] cert_manager` (Octavia's names
 * `local_cert_manager` and `barbican_cert_manager` are accepted too).
 * NOTE: work in progress of the TLS issue: `barbican` is wired; with `local`
 * every reference is unreadable until its store lands.
 */
export function createCertificateManager(config: CertificateManagerConfig, deps: CertificateManagerDeps): CertificateManager {
  const kind = config.certificates.cert_manager.replace(/_cert_manager$/, '')
  if (kind === 'barbican') return createBarbicanCertManager(config, deps)
  const unavailable = (ref: string): never => {
    throw new CertificateRetrievalError(ref, `the ${kind} certificate manager is not available yet`)
  }
  return {
    getCertificate: async (ref) => unavailable(ref),
    getSecret: async (ref) => unavailable(ref),
    grantServiceAccess: async (ref) => unavailable(ref),
  }
}

/** `barbican` / `barbican_cert_manager`: a real Barbican through the `[service_auth]` user's Keystone catalog. */
function createBarbicanCertManager(config: CertificateManagerConfig, deps: CertificateManagerDeps): CertificateManager {
  return new BarbicanCertManager({
    serviceAuth: config.service_auth,
    regionName: config.certificates.region_name,
    endpointType: config.certificates.endpoint_type,
  }, deps.log)
}
