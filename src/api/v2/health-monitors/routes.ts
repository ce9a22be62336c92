import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'
import { createHealthMonitor } from './create.js'
import { deleteHealthMonitor } from './delete.js'
import { listHealthMonitorsHandler, showHealthMonitor } from './list.js'
import {
  healthMonitorCreateBody, healthMonitorUpdateBody,
  type HealthMonitorCreateBody, type HealthMonitorUpdateBody,
} from './schema.js'
import { updateHealthMonitor } from './update.js'

interface IdParams { healthmonitor_id: string }

const COLLECTION = '/v2/lbaas/healthmonitors'
const ITEM = `${COLLECTION}/:healthmonitor_id`

/** Routes of `/v2/lbaas/healthmonitors`. */
export function registerHealthMonitorsRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get(COLLECTION, async req => listHealthMonitorsHandler(deps, req))

  app.get<{ Params: IdParams }>(ITEM, async req => showHealthMonitor(deps, req, req.params.healthmonitor_id))

  app.post<{ Body: HealthMonitorCreateBody }>(COLLECTION, { schema: { body: healthMonitorCreateBody } },
    async (req, reply) => reply.code(201).send(await createHealthMonitor(deps, req.caller, req.body)))

  app.put<{ Params: IdParams; Body: HealthMonitorUpdateBody }>(ITEM, { schema: { body: healthMonitorUpdateBody } },
    async req => updateHealthMonitor(deps, req.caller, req.params.healthmonitor_id, req.body))

  app.delete<{ Params: IdParams }>(ITEM, async (req, reply) => {
    await deleteHealthMonitor(deps, req.caller, req.params.healthmonitor_id)
    return reply.code(204).send()
  })
}
