import type { Config } from '../common/config/schema.js'
import type { Logger } from '../common/logging.js'
import type { Bus } from '../bus/bus.js'
import type { Database } from '../db/database.js'
import type { NetworkService } from '../network/network-service.js'

/** Everything the API routes use; built by src/cmd, never global. */
export interface ApiDeps {
  readonly config: Pick<Config, 'api_settings' | 'networking' | 'controller_worker' | 'keystone_authtoken' | 'oslo_policy' | 'quotas' | 'healthcheck'>
  readonly database: Database
  readonly bus: Bus
  readonly network: NetworkService
  readonly log: Logger
}
