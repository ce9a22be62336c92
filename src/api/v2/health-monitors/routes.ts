import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'

/** Routes of /v2/lbaas/health-monitors (not yet implemented). */
export function registerHealthMonitorsRoutes(_app: FastifyInstance, _deps: ApiDeps): void {}
