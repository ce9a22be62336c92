import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'
import {
  createAvailabilityZone, deleteAvailabilityZone, listAvailabilityZonesHandler, showAvailabilityZone,
  updateAvailabilityZoneHandler,
} from './handlers.js'
import {
  availabilityZonePostBody, availabilityZonePutBody, type AvailabilityZonePostBody, type AvailabilityZonePutBody,
} from './schema.js'

interface NameParams { name: string }

const COLLECTION = '/v2/lbaas/availabilityzones'
const ITEM = `${COLLECTION}/:name`

/** Routes of /v2/lbaas/availabilityzones, keyed by name (read: any project reader; write: admin). */
export function registerAvailabilityZonesRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get(COLLECTION, async req => listAvailabilityZonesHandler(deps, req))
  app.get<{ Params: NameParams }>(ITEM, async req => showAvailabilityZone(deps, req, req.params.name))
  app.post<{ Body: AvailabilityZonePostBody }>(COLLECTION, { schema: { body: availabilityZonePostBody } },
    async (req, reply) => reply.code(201).send(await createAvailabilityZone(deps, req, req.body.availability_zone)))
  app.put<{ Params: NameParams; Body: AvailabilityZonePutBody }>(ITEM, { schema: { body: availabilityZonePutBody } },
    async req => updateAvailabilityZoneHandler(deps, req, req.params.name, req.body.availability_zone))
  app.delete<{ Params: NameParams }>(ITEM, async (req, reply) => {
    await deleteAvailabilityZone(deps, req, req.params.name)
    return reply.code(204).send()
  })
}
