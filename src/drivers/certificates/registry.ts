import type { Config } from '../../common/config/schema.js'
import type { Logger } from '../../common/logging.js'
import type { Database } from '../../db/database.js'
import { CertificateRetrievalError, type CertificateManager } from '../../model/certificate-manager.js'
import { lazySecretBox } from '../../pki/secret-store-key.js'
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
 * `local_cert_manager` and `barbican_cert_manager` are accepted too):
 * `local` reads octavia-ts's own secret store with the store's key.
 * NOTE: work in progress of the TLS issue: the barbican manager is not wired
 * yet, so its references are unreadable (the behaviour before that issue).
 */
export function createCertificateManager(config: CertificateManagerConfig, deps: CertificateManagerDeps): CertificateManager {
  const kind = config.certificates.cert_manager.replace(/_cert_manager$/, '')
  if (kind === 'local') {
    const box = lazySecretBox({ secretStoreKey: config.certificates.secret_store_key, stateDir: config.DEFAULT.state_dir })
    return new LocalCertManager({ database: deps.database, box })
  }
  const unavailable = (ref: string): never => {
    throw new CertificateRetrievalError(ref, `the ${kind} certificate manager is not available yet`)
  }
  return {
    getCertificate: async (ref) => unavailable(ref),
    getSecret: async (ref) => unavailable(ref),
    grantServiceAccess: async (ref) => unavailable(ref),
  }
}
