import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../api/deps.js'

/** The read-only Neutron subset: /v2.0/networks, /v2.0/subnets, /v2.0/ports (not yet implemented). */
export function registerNeutronRoutes(_app: FastifyInstance, _deps: ApiDeps): void {}
