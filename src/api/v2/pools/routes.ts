import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'

/** Routes of /v2/lbaas/pools (not yet implemented). */
export function registerPoolsRoutes(_app: FastifyInstance, _deps: ApiDeps): void {}
