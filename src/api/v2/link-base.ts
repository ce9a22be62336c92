import type { FastifyRequest } from 'fastify'
import type { ApiDeps } from '../deps.js'
import { baseUrlOf, pathUrlOf } from '../versions.js'

// NOTE: the three variants below agree but for corner cases, kept as each
// resource has always answered: an api_base_uri of slashes alone, and the
// path of a rewritten request (`/v2.0/…`, `….json`, see app.ts rewritePath).

/**
 * Octavia's base of list links: `[api_settings] api_base_uri` (trailing
 * slashes dropped) plus the request's original path, else the request URL
 * without its query.
 */
export function linkBase(deps: ApiDeps, req: FastifyRequest): string {
  const base = deps.config.api_settings.api_base_uri
  if (!base) return pathUrlOf(req)
  const url = req.originalUrl ?? req.url
  const q = url.indexOf('?')
  return base.replace(/\/+$/, '') + (q < 0 ? url : url.slice(0, q))
}

/** linkBase, except that an api_base_uri of slashes alone counts as unset (health monitors, members). */
export function trimmedLinkBase(deps: ApiDeps, req: FastifyRequest): string {
  const base = deps.config.api_settings.api_base_uri.replace(/\/+$/, '')
  return base ? base + (req.originalUrl ?? req.url).split('?')[0] : pathUrlOf(req)
}

/**
 * trimmedLinkBase on the rewritten path (L7 policies and rules): links of a
 * `/v2.0/…` or `….json` request name the `/v2/…` path.
 */
export function rewrittenLinkBase(deps: ApiDeps, req: FastifyRequest): string {
  const path = req.url.split('?')[0]
  const base = deps.config.api_settings.api_base_uri.replace(/\/+$/, '')
  return `${base || baseUrlOf(req)}${path}`
}
