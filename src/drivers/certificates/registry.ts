import type { Config } from '../../common/config/schema.js'
import type { Logger } from '../../common/logging.js'
import type { Database } from '../../db/database.js'
import type { CertificateManager } from '../../model/certificate-manager.js'
import { lazySecretBox } from '../../pki/secret-store-key.js'
import { BarbicanCertManager } from './barbican-cert-manager.js'
import { LocalCertManager } from './local-cert-manager.js'

/** The configuration groups a certificate manager reads. */
export type CertificateManagerConfig = Pick<Config, 'DEFAULT' | 'certificates' | 'service_auth'>

/** What a certificate manager is built with. */
export interface CertificateManagerDeps {
  readonly database: Database
  readonly log: Logger
}

/**
 * The certificate manager of `[certificates] cert_manager` (Octavia's names
 * `local_cert_manager` and `barbican_cert_manager` are accepted too; the
 * option admits no other value).
 */
export function createCertificateManager(config: CertificateManagerConfig, deps: CertificateManagerDeps): CertificateManager {
  const kind = config.certificates.cert_manager.replace(/_cert_manager$/, '')
  if (kind === 'barbican') return createBarbicanCertManager(config, deps)
  return createLocalCertManager(config, deps)
}

/** `local` / `local_cert_manager`: octavia-ts's own secret store (src/api/key-manager), read with the store's key. */
function createLocalCertManager(config: CertificateManagerConfig, deps: CertificateManagerDeps): CertificateManager {
  const box = lazySecretBox({ secretStoreKey: config.certificates.secret_store_key, stateDir: config.DEFAULT.state_dir })
  return new LocalCertManager({ database: deps.database, box })
}

/** `barbican` / `barbican_cert_manager`: a real Barbican through the `[service_auth]` user's Keystone catalog. */
function createBarbicanCertManager(config: CertificateManagerConfig, deps: CertificateManagerDeps): CertificateManager {
  return new BarbicanCertManager({
    serviceAuth: config.service_auth,
    regionName: config.certificates.region_name,
    endpointType: config.certificates.endpoint_type,
  }, deps.log)
}
