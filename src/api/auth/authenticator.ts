import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ApiDeps } from '../deps.js'
import { noauthCaller } from './caller.js'
import { createKeystoneStrategy } from './keystone/keystone-strategy.js'

/**
 * `[api_settings] auth_strategy` as one object, shared by every listener of
 * the API process (the Octavia API and the Neutron-compatible one), so that
 * they share one token cache and one service token.
 */
export interface Authenticator {
  /**
   * Sets `req.caller` and resolves true; or answers the request itself
   * (keystone: 401/503) and resolves false.
   */
  authenticate(req: FastifyRequest, reply: FastifyReply): Promise<boolean>
  /** Closes the connections to Keystone; idempotent, a no-op for noauth. */
  close(): Promise<void>
}

/**
 * noauth (the caller is admin, see noauthCaller) or keystone (X-Auth-Token
 * validated by Keystone). Throws a configuration Error when
 * `[keystone_authtoken]` lacks what the keystone strategy needs.
 */
export function createAuthenticator(deps: Pick<ApiDeps, 'config' | 'log'>): Authenticator {
  if (deps.config.api_settings.auth_strategy !== 'keystone') {
    const defaultProjectId = deps.config.api_settings.default_project_id
    return {
      authenticate: async req => {
        req.caller = noauthCaller(req, defaultProjectId)
        return true
      },
      close: async () => {},
    }
  }
  const keystone = createKeystoneStrategy(deps.config.keystone_authtoken, deps.log)
  let closed: Promise<void> | null = null
  return { authenticate: keystone.authenticate, close: () => (closed ??= keystone.close()) }
}
