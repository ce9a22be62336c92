import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'
import { registerCrudRoutes } from '../crud-routes.js'
import {
  createAvailabilityZone, deleteAvailabilityZone, listAvailabilityZonesHandler, showAvailabilityZone,
  updateAvailabilityZoneHandler,
} from './handlers.js'
import { availabilityZonePostBody, availabilityZonePutBody } from './schema.js'

/** Routes of /v2/lbaas/availabilityzones, keyed by name (read: any project reader; write: admin). */
export function registerAvailabilityZonesRoutes(app: FastifyInstance, deps: ApiDeps): void {
  registerCrudRoutes(app, deps, {
    path: '/v2/lbaas/availabilityzones', key: 'name', createBody: availabilityZonePostBody, updateBody: availabilityZonePutBody,
    list: listAvailabilityZonesHandler, show: showAvailabilityZone,
    create: createAvailabilityZone, update: updateAvailabilityZoneHandler, remove: deleteAvailabilityZone,
  })
}
