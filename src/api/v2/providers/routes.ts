import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'

/** Routes of /v2/lbaas/providers (not yet implemented). */
export function registerProvidersRoutes(_app: FastifyInstance, _deps: ApiDeps): void {}
