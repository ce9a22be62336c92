import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'
import { registerCrudRoutes } from '../crud-routes.js'
import { createHealthMonitor } from './create.js'
import { deleteHealthMonitor } from './delete.js'
import { listHealthMonitorsHandler, showHealthMonitor } from './list.js'
import { healthMonitorCreateBody, healthMonitorUpdateBody } from './schema.js'
import { updateHealthMonitor } from './update.js'

/** Routes of `/v2/lbaas/healthmonitors`. */
export function registerHealthMonitorsRoutes(app: FastifyInstance, deps: ApiDeps): void {
  registerCrudRoutes(app, deps, {
    path: '/v2/lbaas/healthmonitors', key: 'healthmonitor_id',
    createBody: healthMonitorCreateBody, updateBody: healthMonitorUpdateBody,
    list: listHealthMonitorsHandler, show: showHealthMonitor,
    create: createHealthMonitor, update: updateHealthMonitor, remove: deleteHealthMonitor,
  })
}
