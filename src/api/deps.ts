import type { Executor } from '../db/database.js'
import type { Config } from '../common/config/schema.js'
import type { Logger } from '../common/logging.js'
import type { Bus } from '../bus/bus.js'
import type { Database } from '../db/database.js'
import type { NetworkService } from '../model/network-service.js'
import type { ProviderCatalog } from '../model/provider-capabilities.js'
import type { CertificateManager } from '../model/certificate-manager.js'

/** Everything the API routes use; built by src/cmd, never global. */
export interface ApiDeps {
  readonly config: Pick<Config, 'DEFAULT' | 'certificates' | 'api_settings' | 'neutron_api' | 'networking' | 'controller_worker' | 'keystone_authtoken' | 'oslo_policy' | 'quotas' | 'healthcheck'>
  readonly database: Database
  readonly bus: Bus
  readonly network: NetworkService<Executor>
  /** The enabled provider drivers, as the API sees them. */
  readonly providers: ProviderCatalog
  /** Where listeners' and pools' certificate references are read (`[certificates] cert_manager`). */
  readonly certificates: CertificateManager
  readonly log: Logger
}
