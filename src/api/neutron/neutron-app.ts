import { randomUUID } from 'node:crypto'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify'
import type { Authenticator } from '../auth/authenticator.js'
import type { ApiDeps } from '../deps.js'
import { installRequestLog } from '../request-log.js'
import { registerNeutronDiscovery } from './neutron-discovery.js'
import { neutronError } from './neutron-query.js'
import { registerNeutronCollections } from './neutron-routes.js'

/**
 * The Neutron-compatible listener (`[neutron_api]`, not listening yet): the
 * subset at Neutron's own paths, so that a Keystone catalog entry `network`
 * pointing at it is discovered as Neutron is — `GET /` is Neutron's version
 * document (no token needed, as Neutron), `GET /v2.0/` its resource listing,
 * `/v2.0/{networks,subnets,ports}` the collections. Authentication is the
 * API's (`auth` is shared with it); errors have Neutron's body.
 */
export function buildNeutronApi(deps: ApiDeps, auth: Authenticator): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.log.child({ listener: 'neutron_api' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => `req-${randomUUID()}`,
    rewriteUrl: req => rewriteNeutronPath(req.url ?? '/'),
  })
  app.decorateRequest('caller', null as never)
  app.addHook('onRequest', async (req, reply) => {
    void reply.header('x-openstack-request-id', req.id)
    if (!(await auth.authenticate(req, reply))) return reply
  })
  installRequestLog(app)
  app.setNotFoundHandler((_req, reply) => void reply.code(404).send(neutronError('HTTPNotFound', 'The resource could not be found.')))
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500
    if (status === 500) req.log.error({ err }, 'request failed')
    void reply.code(status).send(status === 500
      ? neutronError('HTTPInternalServerError', 'Request Failed: internal server error while processing your request.')
      : neutronError('HTTPBadRequest', err.message))
  })
  registerNeutronDiscovery(app, '', '/v2.0/')
  registerNeutronCollections(app, deps, ['/v2.0'])
  return app
}

/**
 * `/v2.0/subnets.json` → `/v2.0/subnets` (python-neutronclient adds `.json`);
 * trailing slashes go, except on Neutron's resource listing `/v2.0/` (where
 * `/v2.0` without one is a 404, as in Neutron).
 */
export function rewriteNeutronPath(url: string): string {
  const q = url.indexOf('?')
  let path = q < 0 ? url : url.slice(0, q)
  const query = q < 0 ? '' : url.slice(q)
  if (path.endsWith('.json')) path = path.slice(0, -5)
  if (path !== '/v2.0/') path = path.replace(/(.)\/+$/, '$1')
  return path + query
}
