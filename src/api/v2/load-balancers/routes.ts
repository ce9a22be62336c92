import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'
import { registerCrudRoutes } from '../crud-routes.js'
import { createLoadBalancer } from './create.js'
import { boolFromString, deleteLoadBalancer, failoverLoadBalancer } from './delete.js'
import { listLoadBalancers, showLoadBalancer } from './list.js'
import { loadBalancerCreateBody, loadBalancerUpdateBody } from './schema.js'
import { loadBalancerStatistics, loadBalancerStatusTree } from './status-tree.js'
import { updateLoadBalancer } from './update.js'

interface IdParams { id: string }

const COLLECTION = '/v2/lbaas/loadbalancers'
const ITEM = `${COLLECTION}/:id`

/**
 * Routes of /v2/lbaas/loadbalancers: CRUD (DELETE takes `cascade`), the
 * status tree (`/status`, alias `/statuses`), statistics and failover.
 */
export function registerLoadBalancersRoutes(app: FastifyInstance, deps: ApiDeps): void {
  registerCrudRoutes(app, deps, {
    path: COLLECTION, createBody: loadBalancerCreateBody, updateBody: loadBalancerUpdateBody,
    list: listLoadBalancers, show: showLoadBalancer, create: createLoadBalancer, update: updateLoadBalancer,
    remove: (d, caller, id, query) => deleteLoadBalancer(d, caller, id, boolFromString(query.cascade)),
  })

  for (const suffix of ['status', 'statuses']) {
    app.get<{ Params: IdParams }>(`${ITEM}/${suffix}`, async req => loadBalancerStatusTree(deps, req.caller, req.params.id))
  }

  app.get<{ Params: IdParams }>(`${ITEM}/stats`, async req => loadBalancerStatistics(deps, req.caller, req.params.id))

  app.put<{ Params: IdParams }>(`${ITEM}/failover`, async (req, reply) => {
    await failoverLoadBalancer(deps, req.caller, req.params.id)
    return reply.code(202).send()
  })
}
