import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'
import { createListener } from './create.js'
import { deleteListener } from './delete.js'
import { listListenersHandler, showListener, showListenerStats } from './list.js'
import { listenerCreateBody, listenerUpdateBody, type ListenerCreateBody, type ListenerUpdateBody } from './schema.js'
import { updateListener } from './update.js'

interface IdParams { id: string }

const COLLECTION = '/v2/lbaas/listeners'
const ITEM = `${COLLECTION}/:id`

/** Routes of /v2/lbaas/listeners: CRUD and `/{id}/stats`. */
export function registerListenersRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get(COLLECTION, async req => listListenersHandler(deps, req))

  app.get<{ Params: IdParams }>(ITEM, async req => showListener(deps, req, req.params.id))

  app.get<{ Params: IdParams }>(`${ITEM}/stats`, async req => showListenerStats(deps, req.caller, req.params.id))

  app.post<{ Body: ListenerCreateBody }>(COLLECTION, { schema: { body: listenerCreateBody } },
    async (req, reply) => reply.code(201).send(await createListener(deps, req.caller, req.body.listener)))

  app.put<{ Params: IdParams; Body: ListenerUpdateBody }>(ITEM, { schema: { body: listenerUpdateBody } },
    async req => updateListener(deps, req.caller, req.params.id, req.body.listener))

  app.delete<{ Params: IdParams }>(ITEM, async (req, reply) => {
    await deleteListener(deps, req.caller, req.params.id)
    return reply.code(204).send()
  })
}
