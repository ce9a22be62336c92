import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'
import { createL7PolicyHandler } from './create.js'
import { deleteL7PolicyHandler } from './delete.js'
import { listL7PoliciesHandler, showL7PolicyHandler } from './list.js'
import { l7PolicyCreateBody, l7PolicyUpdateBody } from './schema.js'
import { updateL7PolicyHandler } from './update.js'

type IdParams = { Params: { l7policyId: string } }

/** Routes of /v2/lbaas/l7policies (the rules live in ../l7rules). */
export function registerL7policiesRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const base = '/v2/lbaas/l7policies'
  app.get(base, async req => listL7PoliciesHandler(deps, req))
  app.post(base, { schema: { body: l7PolicyCreateBody } }, async (req, reply) => {
    const out = await createL7PolicyHandler(deps, req)
    return reply.code(201).send(out)
  })
  app.get<IdParams>(`${base}/:l7policyId`, async req => showL7PolicyHandler(deps, req, req.params.l7policyId))
  app.put<IdParams>(`${base}/:l7policyId`, { schema: { body: l7PolicyUpdateBody } },
    async req => updateL7PolicyHandler(deps, req, req.params.l7policyId))
  app.delete<IdParams>(`${base}/:l7policyId`, async (req, reply) => {
    await deleteL7PolicyHandler(deps, req, req.params.l7policyId)
    return reply.code(204).send()
  })
}
