import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'

/** Routes of /v2/lbaas/l7rules (not yet implemented). */
export function registerL7rulesRoutes(_app: FastifyInstance, _deps: ApiDeps): void {}
