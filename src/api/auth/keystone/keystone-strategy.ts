import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../../common/config/schema.js'
import type { Logger } from '../../../common/logging.js'
import { NEUTRON_PATH_PREFIX } from '../../neutron/neutron-discovery.js'
import { faultBody } from '../../respond.js'
import { IdentityClient, IdentityUnavailable } from './identity-client.js'
import { ANONYMOUS_CALLER, callerFromToken } from './keystone-caller.js'
import { keystoneSettings } from './keystone-settings.js'
import { ServiceToken } from './service-token.js'
import { tokenKey } from './token-cache.js'
import { TokenValidator } from './token-validator.js'

/**
 * Paths served without a token: Octavia's SkippingAuthProtocol list, plus the
 * Neutron-compatible version document on the API port (Neutron's own root
 * needs none either; on the Neutron listener it is `/`).
 */
export const NO_AUTH_PATHS: ReadonlySet<string> = new Set([
  '/', '/load-balancer/', '/healthcheck', '/load-balancer/healthcheck', NEUTRON_PATH_PREFIX, `${NEUTRON_PATH_PREFIX}/`,
])

export const UNAUTHORIZED_MESSAGE = 'The request you have made requires authentication.'
export const UNAVAILABLE_MESSAGE = 'The Keystone service is temporarily unavailable.'

/** `auth_strategy = keystone`: who is calling, from the request's Keystone token. */
export interface KeystoneStrategy {
  /**
   * Sets `req.caller` from `X-Auth-Token` (or `X-Storage-Token`) and returns
   * true; or answers the request itself and returns false: 401 with
   * `WWW-Authenticate: Keystone uri="<www_authenticate_uri>"` for a missing,
   * invalid, revoked or expired token, 503 when Keystone cannot decide.
   */
  authenticate(req: FastifyRequest, reply: FastifyReply): Promise<boolean>
  readonly validator: TokenValidator
  /** Closes the connections to Keystone. */
  close(): Promise<void>
}

const headerValue = (v: string | string[] | undefined): string => (Array.isArray(v) ? v[0] ?? '' : v ?? '').trim()

const pathOf = (url: string): string => {
  const q = url.indexOf('?')
  return q < 0 ? url : url.slice(0, q)
}

/**
 * Builds the keystone strategy from `[keystone_authtoken]`. Throws a
 * configuration Error when the group lacks what validation needs. Tokens are
 * never logged: at most the first 12 hex digits of their SHA-256.
 */
export function createKeystoneStrategy(group: Config['keystone_authtoken'], log: Logger): KeystoneStrategy {
  const settings = keystoneSettings(group)
  const client = new IdentityClient(settings)
  const service = new ServiceToken(client, settings, log)
  const validator = new TokenValidator({ client, service, settings, log })
  // keystonemiddleware's body, plus Octavia's fault fields that its client reads.
  const unauthorized = { ...faultBody(401, UNAUTHORIZED_MESSAGE), error: { code: 401, title: 'Unauthorized', message: UNAUTHORIZED_MESSAGE } }
  const challenge = `Keystone uri="${settings.wwwAuthenticateUri}"`

  const authenticate = async (req: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    if (NO_AUTH_PATHS.has(pathOf(req.url))) {
      req.caller = ANONYMOUS_CALLER
      return true
    }
    const token = headerValue(req.headers['x-auth-token']) || headerValue(req.headers['x-storage-token'])
    try {
      const info = token ? await validator.validate(token) : null
      if (info) {
        req.caller = callerFromToken(info, token)
        return true
      }
    } catch (err) {
      if (!(err instanceof IdentityUnavailable)) throw err
      req.log.error({ reqId: req.id, err: err.message }, 'Unable to validate token')
      void reply.code(503).type('application/json').send(faultBody(503, UNAVAILABLE_MESSAGE))
      return false
    }
    req.log.info({ reqId: req.id, tokenHash: token ? tokenKey(token).slice(0, 12) : null }, 'Rejecting request')
    void reply.code(401).header('www-authenticate', challenge).type('application/json').send(unauthorized)
    return false
  }
  return { authenticate, validator, close: () => client.close() }
}
