import type { FastifyRequest } from 'fastify'
import type { ApiDeps } from '../deps.js'
import { pathUrlOf } from '../versions.js'

/**
 * The base of every collection's `<plural>_links`, as Octavia builds it:
 * `[api_settings] api_base_uri` (trailing slashes dropped) plus the request's
 * own path when that option is set, else the request URL without its query.
 * Either way the path is the one the client sent (`/v2.0/quotas`,
 * `/v2/lbaas/pools/{id}/members`, `….json`), never the rewritten one, so a
 * client that follows rel "next" stays on the alias it chose.
 */
export function linkBase(deps: ApiDeps, req: FastifyRequest): string {
  const base = deps.config.api_settings.api_base_uri
  if (!base) return pathUrlOf(req)
  const url = req.originalUrl ?? req.url
  const q = url.indexOf('?')
  return base.replace(/\/+$/, '') + (q < 0 ? url : url.slice(0, q))
}
