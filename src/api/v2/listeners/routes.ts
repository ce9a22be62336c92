import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'

/** Routes of /v2/lbaas/listeners (not yet implemented). */
export function registerListenersRoutes(_app: FastifyInstance, _deps: ApiDeps): void {}
