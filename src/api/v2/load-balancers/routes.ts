import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'
import { createLoadBalancer } from './create.js'
import { boolFromString, deleteLoadBalancer, failoverLoadBalancer } from './delete.js'
import { listLoadBalancers, showLoadBalancer } from './list.js'
import {
  loadBalancerCreateBody, loadBalancerUpdateBody, type LoadBalancerCreateBody, type LoadBalancerUpdateBody,
} from './schema.js'
import { loadBalancerStatistics, loadBalancerStatusTree } from './status-tree.js'
import { updateLoadBalancer } from './update.js'

interface IdParams { id: string }

const COLLECTION = '/v2/lbaas/loadbalancers'
const ITEM = `${COLLECTION}/:id`

/**
 * Routes of /v2/lbaas/loadbalancers: CRUD, the status tree (`/status`, alias
 * `/statuses`), statistics and failover.
 */
export function registerLoadBalancersRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get(COLLECTION, async req => listLoadBalancers(deps, req))

  app.get<{ Params: IdParams }>(ITEM, async req => showLoadBalancer(deps, req, req.params.id))

  app.post<{ Body: LoadBalancerCreateBody }>(COLLECTION, { schema: { body: loadBalancerCreateBody } },
    async (req, reply) => reply.code(201).send(await createLoadBalancer(deps, req.body, req.caller)))

  app.put<{ Params: IdParams; Body: LoadBalancerUpdateBody }>(ITEM, { schema: { body: loadBalancerUpdateBody } },
    async req => updateLoadBalancer(deps, req.caller, req.params.id, req.body))

  app.delete<{ Params: IdParams; Querystring: Record<string, unknown> }>(ITEM, async (req, reply) => {
    await deleteLoadBalancer(deps, req.caller, req.params.id, boolFromString(req.query.cascade))
    return reply.code(204).send()
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
