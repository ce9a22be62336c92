import { randomUUID } from 'node:crypto'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { LbaasError } from '../common/errors.js'
import { createAuthenticator, type Authenticator } from './auth/authenticator.js'
import { installPolicy } from './auth/install-policy.js'
import { acceptsJson, notAcceptableBody } from './content-negotiation.js'
import type { ApiDeps } from './deps.js'
import { isHealthcheckPath, registerHealthcheck } from './healthcheck.js'
import { withLbaasPrefix } from './lbaas-aliases.js'
import { isKeyManagerPath } from './key-manager/key-manager-paths.js'
import { registerKeyManagerRoutes, servesLocalStore } from './key-manager/routes.js'
import { installRequestLog, logRequest } from './request-log.js'
import { faultBody, handleError } from './respond.js'
import { registerV2Routes } from './v2/routes.js'
import { registerVersionRoutes } from './versions.js'
import { coerceLikeWsme } from './wsme-coercion.js'

/**
 * Builds the API server (not listening). Paths are Octavia's: `/v2/...` with
 * `/v2.0/...` as an alias and an optional `.json` suffix; the Neutron subset
 * lives at `/v2.0/{networks,subnets,ports}` and, discoverable, under
 * `/networking`. `auth` is shared with the process's other listener; without
 * one the app makes its own and closes it with itself.
 */
export function buildApi(deps: ApiDeps, auth?: Authenticator): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => `req-${randomUUID()}`,
    rewriteUrl: req => rewritePath(req.url ?? '/'),
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false, verbose: true } },
    bodyLimit: 4 * 1024 * 1024,
    // NOTE: a URL fastify cannot decode never reaches the hooks; it still gets a request id, a fault body and its log line.
    frameworkErrors: (err, req, raw) => {
      const reply = raw as FastifyReply
      void reply.header('x-openstack-request-id', req.id).code(400).send(faultBody(400, err.message))
      logRequest(req as FastifyRequest, reply)
    },
  })
  installJsonParser(app)
  app.setErrorHandler(handleError)
  app.setNotFoundHandler((req, reply) => void reply.code(404).send(faultBody(404, 'The resource could not be found.')))
  app.decorateRequest('caller', null as never)
  installRequestHooks(app, ownedOr(app, deps, auth))
  installRequestLog(app)
  registerVersionRoutes(app)
  registerHealthcheck(app, deps)
  installPolicy(app, deps.config.oslo_policy)
  registerV2Routes(app, deps)
  if (servesLocalStore(deps.config)) registerKeyManagerRoutes(app, deps)
  return app
}

/** JSON only, as WSME: any other body media type is a 415 (see respond.ts); an empty body is no body. */
function installJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain'])
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body)
    if (text.trim() === '') return done(null, undefined)
    try {
      done(null, JSON.parse(text))
    } catch {
      done(new LbaasError('bad_request', 400, 'Request is not in valid JSON format'), undefined)
    }
  })
}

/** `auth`, or a new Authenticator that closes with `app`. */
function ownedOr(app: FastifyInstance, deps: ApiDeps, auth: Authenticator | undefined): Authenticator {
  if (auth) return auth
  const own = createAuthenticator(deps)
  app.addHook('onClose', async () => own.close())
  return own
}

/**
 * Every request: its request id header, 406 unless it accepts JSON (the
 * healthcheck and the key manager, whose payloads have their own media
 * types, excepted), authentication; bodies converted as WSME does before
 * schema validation.
 */
function installRequestHooks(app: FastifyInstance, auth: Authenticator): void {
  app.addHook('onRequest', async (req, reply) => {
    void reply.header('x-openstack-request-id', req.id)
    if (!isHealthcheckPath(req.url) && !isKeyManagerPath(req.url) && !acceptsJson(req.headers.accept)) {
      // NOTE: pecan's own error body here, not the WSME fault of the controllers.
      return reply.code(406).type('application/json').send(notAcceptableBody())
    }
    if (!(await auth.authenticate(req, reply))) return reply
  })
  app.addHook('preValidation', async req => {
    const schema = req.routeOptions.schema?.body
    if (schema && req.body !== undefined) req.body = coerceLikeWsme(schema, req.body)
  })
}

/**
 * `/v2.0/lbaas/x.json` → `/v2/lbaas/x`, `/v2.0/quotas/p` → `/v2/lbaas/quotas/p`
 * (see withLbaasPrefix); Neutron paths under `/v2.0/` stay as they are.
 */
export function rewritePath(url: string): string {
  const q = url.indexOf('?')
  let path = q < 0 ? url : url.slice(0, q)
  const query = q < 0 ? '' : url.slice(q)
  if (path.endsWith('.json')) path = path.slice(0, -5)
  if (path === '/v2.0' || path === '/v2.0/') path = '/v2'
  else if (/^\/v2\.0\/(lbaas|octavia)(\/|$)/.test(path)) path = '/v2' + path.slice(5)
  path = withLbaasPrefix(path)
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1)
  return path + query
}
