import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'
import { registerCrudRoutes } from '../crud-routes.js'
import { createFlavor, deleteFlavor, listFlavorsHandler, showFlavor, updateFlavorHandler } from './handlers.js'
import { flavorPostBody, flavorPutBody } from './schema.js'

/** Routes of /v2/lbaas/flavors (read: any project reader; write: admin, by default policy). */
export function registerFlavorsRoutes(app: FastifyInstance, deps: ApiDeps): void {
  registerCrudRoutes(app, deps, {
    path: '/v2/lbaas/flavors', createBody: flavorPostBody, updateBody: flavorPutBody,
    list: listFlavorsHandler, show: showFlavor, create: createFlavor, update: updateFlavorHandler, remove: deleteFlavor,
  })
}
