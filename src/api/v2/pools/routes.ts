import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'
import { createPool } from './create.js'
import { deletePool } from './delete.js'
import { listPoolsHandler, showPool } from './list.js'
import { poolCreateBody, poolUpdateBody, type PoolCreateBody, type PoolUpdateBody } from './schema.js'
import { updatePool } from './update.js'

interface IdParams { id: string }

const COLLECTION = '/v2/lbaas/pools'
const ITEM = `${COLLECTION}/:id`

/** Routes of /v2/lbaas/pools (members live under /pools/{id}/members, registered by the members resource). */
export function registerPoolsRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get(COLLECTION, async req => listPoolsHandler(deps, req))

  app.get<{ Params: IdParams }>(ITEM, async req => showPool(deps, req, req.params.id))

  app.post<{ Body: PoolCreateBody }>(COLLECTION, { schema: { body: poolCreateBody } },
    async (req, reply) => reply.code(201).send(await createPool(deps, req.caller, req.body.pool)))

  app.put<{ Params: IdParams; Body: PoolUpdateBody }>(ITEM, { schema: { body: poolUpdateBody } },
    async req => updatePool(deps, req.caller, req.params.id, req.body.pool))

  app.delete<{ Params: IdParams }>(ITEM, async (req, reply) => {
    await deletePool(deps, req.caller, req.params.id)
    return reply.code(204).send()
  })
}
