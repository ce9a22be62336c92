/**
 * The one place that turns agent failures into HTTP answers with the
 * contract's AgentError body `{message, details?}`.
 */
import type { FastifyError, FastifyInstance } from 'fastify'
import type { Logger } from '../../common/logging.js'
import { AgentHttpError } from '../agent-http-error.js'
import { SocketUnavailableError } from '../haproxy/runtime-socket.js'

/** Installs the error and not-found handlers on the agent's app. */
export function installErrorHandler(app: FastifyInstance, log: Logger): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AgentHttpError) {
      if (err.status >= 500) log.warn({ err, url: req.url }, 'agent request failed')
      return reply.code(err.status).send(err.toBody())
    }
    if (err.validation !== undefined || err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || (err.statusCode ?? 500) < 500) {
      return reply.code(err.statusCode !== undefined && err.statusCode < 500 ? err.statusCode : 400)
        .send({ message: 'Invalid request', details: err.message })
    }
    if (err instanceof SocketUnavailableError) {
      return reply.code(503).send({ message: 'HAProxy does not answer', details: err.message })
    }
    log.error({ err, url: req.url }, 'agent request failed')
    return reply.code(500).send({ message: 'Internal error', details: err.message })
  })
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ message: 'Not Found', details: `${req.method} ${req.url}` }))
}
