import type { FastifyInstance } from 'fastify'
import type { Config } from '../../common/config/schema.js'
import type { Database } from '../../db/database.js'
import { lazySecretBox } from '../../pki/secret-store-key.js'
import { registerContainerRoutes } from './container-routes.js'
import { installRawBodies } from './key-manager-body.js'
import type { KeyManagerContext } from './key-manager-context.js'
import { handleKeyManagerError, keyManagerErrorBody } from './key-manager-error.js'
import { KEY_MANAGER_MOUNTS } from './key-manager-paths.js'
import { registerKeyManagerVersions } from './key-manager-versions.js'
import { registerSecretRoutes } from './secret-routes.js'

/** What the local secret store's API needs. */
export interface KeyManagerDeps {
  readonly config: Pick<Config, 'DEFAULT' | 'certificates'>
  readonly database: Database
}

/** Whether `[certificates] cert_manager` is the local store (whose API this is). */
export const servesLocalStore = (config: Pick<Config, 'certificates'>): boolean =>
  ['local', 'local_cert_manager'].includes(config.certificates.cert_manager)

/**
 * The local secret store's Barbican-compatible Key Manager v1 subset
 * (secrets and containers) under each mount of KEY_MANAGER_MOUNTS, each in
 * its own fastify scope: raw bodies, Barbican's error bodies, and the
 * mount's prefix in every href. Callers are authenticated by the app's
 * hook like every other route. All mounts share one store and one key.
 */
export function registerKeyManagerRoutes(app: FastifyInstance, deps: KeyManagerDeps): void {
  const box = lazySecretBox({ secretStoreKey: deps.config.certificates.secret_store_key, stateDir: deps.config.DEFAULT.state_dir })
  for (const mount of KEY_MANAGER_MOUNTS) {
    registerKeyManagerVersions(app, mount)
    const ctx: KeyManagerContext = { database: deps.database, box, mount }
    void app.register(async scope => {
      installRawBodies(scope)
      scope.setErrorHandler(handleKeyManagerError)
      scope.setNotFoundHandler((_req, reply) => void reply.code(404).type('application/json').send(keyManagerErrorBody(404, 'The resource could not be found.')))
      registerSecretRoutes(scope, ctx)
      registerContainerRoutes(scope, ctx)
    }, { prefix: `${mount}/v1` })
  }
}
