import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

/** Query parameters whose values never reach a log line. */
const SECRET_PARAM = /token|password|secret|credential/i

/**
 * A request URL fit for the log: the values of query parameters that could
 * carry credentials (`?token=…`, `password`, `secret`) become `***`. Tokens
 * travel in headers, which are never logged; this covers clients that put
 * one in the URL.
 */
export function loggableUrl(url: string): string {
  const q = url.indexOf('?')
  if (q < 0) return url
  const params = url.slice(q + 1).split('&').map(pair => {
    const eq = pair.indexOf('=')
    const name = eq < 0 ? pair : pair.slice(0, eq)
    let decoded = name
    try { decoded = decodeURIComponent(name) } catch { /* keep as is */ }
    return eq >= 0 && SECRET_PARAM.test(decoded) ? `${name}=***` : pair
  })
  return `${url.slice(0, q)}?${params.join('&')}`
}

/**
 * Logs the one structured line of an answered request (`msg: "request"`):
 * `reqId` (the `X-OpenStack-Request-Id` sent back), `method`, `url` (as the
 * client sent it, see loggableUrl), `status` and `ms`. Headers and bodies
 * are not logged, so tokens never appear.
 */
export function logRequest(req: FastifyRequest, reply: FastifyReply): void {
  req.log.info({
    reqId: req.id, method: req.method, url: loggableUrl(req.originalUrl ?? req.url),
    status: reply.statusCode, ms: Math.round(reply.elapsedTime),
  }, 'request')
}

/** Logs every answered request once (logRequest), when its answer is sent. */
export function installRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (req, reply) => logRequest(req, reply))
}
