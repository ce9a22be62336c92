import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'
import { registerCrudRoutes } from '../crud-routes.js'
import { createL7PolicyHandler } from './create.js'
import { deleteL7PolicyHandler } from './delete.js'
import { listL7PoliciesHandler, showL7PolicyHandler } from './list.js'
import { l7PolicyCreateBody, l7PolicyUpdateBody } from './schema.js'
import { updateL7PolicyHandler } from './update.js'

/** Routes of /v2/lbaas/l7policies (the rules live in ../l7rules). */
export function registerL7policiesRoutes(app: FastifyInstance, deps: ApiDeps): void {
  registerCrudRoutes(app, deps, {
    path: '/v2/lbaas/l7policies', key: 'l7policyId', createBody: l7PolicyCreateBody, updateBody: l7PolicyUpdateBody,
    list: listL7PoliciesHandler, show: showL7PolicyHandler,
    create: createL7PolicyHandler, update: updateL7PolicyHandler, remove: deleteL7PolicyHandler,
  })
}
