import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'

/** Routes of /v2/lbaas/members (not yet implemented). */
export function registerMembersRoutes(_app: FastifyInstance, _deps: ApiDeps): void {}
