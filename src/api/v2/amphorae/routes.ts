import type { FastifyInstance, HTTPMethods } from 'fastify'
import type { ApiDeps } from '../../deps.js'
import { faultBody } from '../../respond.js'
import { configureAmphora, deleteAmphora, failoverAmphora } from './actions.js'
import { amphoraStatistics, listAmphorae, showAmphora } from './list.js'

interface IdParams { id: string }

const COLLECTION = '/v2/octavia/amphorae'
const ITEM = `${COLLECTION}/:id`

/**
 * Answers 405 to `methods` on `url`, as pecan does for a method its
 * controller lacks (e.g. `PUT /amphorae/{id}/bogus`, `GET …/failover`).
 */
function methodNotAllowed(app: FastifyInstance, url: string, methods: HTTPMethods[]): void {
  app.route({
    method: methods, url,
    handler: async (req, reply) => reply.code(405).send(faultBody(405, `The method ${req.method} is not allowed for this resource.`)),
  })
}

/**
 * Routes of the admin amphora API `/v2/octavia/amphorae` (alias
 * `/v2.0/octavia/amphorae`): list, show, stats, failover, config and delete.
 * Every action is `rule:load-balancer:admin` by default.
 */
export function registerAmphoraeRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get(COLLECTION, async req => listAmphorae(deps, req))

  app.get<{ Params: IdParams }>(ITEM, async req => showAmphora(deps, req, req.params.id))

  app.get<{ Params: IdParams }>(`${ITEM}/stats`, async req => amphoraStatistics(deps, req, req.params.id))

  app.put<{ Params: IdParams }>(`${ITEM}/failover`, async (req, reply) => {
    await failoverAmphora(deps, req, req.params.id)
    return reply.code(202).send()
  })

  app.put<{ Params: IdParams }>(`${ITEM}/config`, async (req, reply) => {
    await configureAmphora(deps, req, req.params.id)
    return reply.code(202).send()
  })

  app.delete<{ Params: IdParams }>(ITEM, async (req, reply) => {
    await deleteAmphora(deps, req, req.params.id)
    return reply.code(204).send()
  })

  methodNotAllowed(app, COLLECTION, ['POST', 'PUT', 'DELETE', 'PATCH'])
  methodNotAllowed(app, ITEM, ['POST', 'PUT', 'PATCH'])
  methodNotAllowed(app, `${ITEM}/:action`, ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'])
}
