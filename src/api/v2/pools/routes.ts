import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'
import { registerCrudRoutes } from '../crud-routes.js'
import { createPool } from './create.js'
import { deletePool } from './delete.js'
import { listPoolsHandler, showPool } from './list.js'
import { poolCreateBody, poolUpdateBody } from './schema.js'
import { updatePool } from './update.js'

/** Routes of /v2/lbaas/pools (members live under /pools/{id}/members, registered by the members resource). */
export function registerPoolsRoutes(app: FastifyInstance, deps: ApiDeps): void {
  registerCrudRoutes(app, deps, {
    path: '/v2/lbaas/pools', createBody: poolCreateBody, updateBody: poolUpdateBody,
    list: listPoolsHandler, show: showPool, create: createPool, update: updatePool, remove: deletePool,
  })
}
