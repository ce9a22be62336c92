import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'

/** Routes of /v2/lbaas/load-balancers (not yet implemented). */
export function registerLoadBalancersRoutes(_app: FastifyInstance, _deps: ApiDeps): void {}
