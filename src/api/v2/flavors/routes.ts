import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'
import { createFlavor, deleteFlavor, listFlavorsHandler, showFlavor, updateFlavorHandler } from './handlers.js'
import { flavorPostBody, flavorPutBody, type FlavorPostBody, type FlavorPutBody } from './schema.js'

interface IdParams { id: string }

const COLLECTION = '/v2/lbaas/flavors'
const ITEM = `${COLLECTION}/:id`

/** Routes of /v2/lbaas/flavors (read: any project reader; write: admin, by default policy). */
export function registerFlavorsRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get(COLLECTION, async req => listFlavorsHandler(deps, req))
  app.get<{ Params: IdParams }>(ITEM, async req => showFlavor(deps, req, req.params.id))
  app.post<{ Body: FlavorPostBody }>(COLLECTION, { schema: { body: flavorPostBody } },
    async (req, reply) => reply.code(201).send(await createFlavor(deps, req, req.body.flavor)))
  app.put<{ Params: IdParams; Body: FlavorPutBody }>(ITEM, { schema: { body: flavorPutBody } },
    async req => updateFlavorHandler(deps, req, req.params.id, req.body.flavor))
  app.delete<{ Params: IdParams }>(ITEM, async (req, reply) => {
    await deleteFlavor(deps, req, req.params.id)
    return reply.code(204).send()
  })
}
