import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from './deps.js'
import { healthcheckBackends } from './healthcheck-backends.js'
import { healthcheckBody, healthcheckType } from './healthcheck-render.js'
import { faultBody } from './respond.js'

/** Where the healthcheck answers (the second one for an API mounted under `/load-balancer`). */
export const HEALTHCHECK_PATHS: readonly string[] = ['/healthcheck', '/load-balancer/healthcheck']

/**
 * Whether a (rewritten) request URL is a healthcheck path. These paths skip
 * the API's JSON-only content negotiation: the healthcheck negotiates its
 * own type, as Octavia's content type hook lets it.
 */
export function isHealthcheckPath(url: string): boolean {
  const q = url.indexOf('?')
  return HEALTHCHECK_PATHS.includes(q < 0 ? url : url.slice(0, q))
}

/**
 * oslo.middleware's healthcheck, as Octavia mounts it, when `[api_settings]
 * healthcheck_enabled` (otherwise the paths are unknown: 404). The
 * `[healthcheck] backends` run on each request (the database check reuses
 * its result for `healthcheck_refresh_interval` s); healthy means every one
 * is available.
 *
 * - GET: 200, or 503 when a backend is unavailable; body in text/plain
 *   (`OK`), text/html or application/json by `Accept` (text/plain when none
 *   fits), detailed with `[healthcheck] detailed`.
 * - HEAD: 204, or 503; no body.
 * - any other method: 405.
 *
 * No token is needed (the keystone strategy skips these paths).
 */
export function registerHealthcheck(app: FastifyInstance, deps: ApiDeps): void {
  if (!deps.config.api_settings.healthcheck_enabled) return
  const backends = healthcheckBackends(deps.config, deps.database, deps.log)
  const detailed = deps.config.healthcheck.detailed
  for (const url of HEALTHCHECK_PATHS) {
    app.route({
      method: ['GET', 'HEAD'], url, exposeHeadRoute: false,
      handler: async (req, reply) => {
        const results = await Promise.all(backends.map(check => check()))
        const healthy = results.every(r => r.available)
        if (req.method === 'HEAD') return reply.code(healthy ? 204 : 503).type('text/plain; charset=UTF-8').send()
        const type = healthcheckType(req.headers.accept)
        const contentType = type === 'application/json' ? type : `${type}; charset=UTF-8`
        return reply.code(healthy ? 200 : 503).type(contentType).send(healthcheckBody(type, results, detailed))
      },
    })
    app.route({
      method: ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'], url,
      handler: async (req, reply) => reply.code(405).header('allow', 'GET, HEAD')
        .send(faultBody(405, `The method ${req.method} is not allowed for this resource.`)),
    })
  }
}
