import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'
import { resetQuota, showDefaultQuota, showQuota, updateQuota } from './handlers.js'
import { listQuotasHandler } from './list.js'
import { quotaPutBody, type QuotaPutBody } from './schema.js'

interface ProjectParams { project_id: string }

const COLLECTION = '/v2/lbaas/quotas'
const ITEM = `${COLLECTION}/:project_id`

/**
 * Routes of /v2/lbaas/quotas. `GET /quotas/defaults` is `GET /quotas/{id}`
 * with the id "defaults", as in Octavia (it answers the defaults).
 * PUT and DELETE answer 202.
 */
export function registerQuotasRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get(COLLECTION, async req => listQuotasHandler(deps, req))

  app.get<{ Params: ProjectParams }>(ITEM, async req => showQuota(deps, req, req.params.project_id))

  app.get<{ Params: ProjectParams }>(`${ITEM}/default`, async req => showDefaultQuota(deps, req, req.params.project_id))

  app.put<{ Params: ProjectParams; Body: QuotaPutBody }>(ITEM, { schema: { body: quotaPutBody } },
    async (req, reply) => reply.code(202).send(await updateQuota(deps, req, req.params.project_id, req.body.quota)))

  app.delete<{ Params: ProjectParams }>(ITEM, async (req, reply) => {
    await resetQuota(deps, req, req.params.project_id)
    return reply.code(202).send()
  })
}
