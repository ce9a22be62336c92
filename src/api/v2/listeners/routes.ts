import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'
import { registerCrudRoutes } from '../crud-routes.js'
import { createListener } from './create.js'
import { deleteListener } from './delete.js'
import { listListenersHandler, showListener, showListenerStats } from './list.js'
import { listenerCreateBody, listenerUpdateBody } from './schema.js'
import { updateListener } from './update.js'

const COLLECTION = '/v2/lbaas/listeners'

/** Routes of /v2/lbaas/listeners: CRUD and `/{id}/stats`. */
export function registerListenersRoutes(app: FastifyInstance, deps: ApiDeps): void {
  registerCrudRoutes(app, deps, {
    path: COLLECTION, createBody: listenerCreateBody, updateBody: listenerUpdateBody,
    list: listListenersHandler, show: showListener, create: createListener, update: updateListener, remove: deleteListener,
  })
  app.get<{ Params: { id: string } }>(`${COLLECTION}/:id/stats`, async req => showListenerStats(deps, req.caller, req.params.id))
}
