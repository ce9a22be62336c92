import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { LbaasError } from '../common/errors.js'
import { schemaErrorToLbaas } from './validation.js'

/** Octavia's (WSME) error body. */
export interface FaultBody {
  readonly faultcode: 'Client' | 'Server'
  readonly faultstring: string
  /** null, except where the faultstring must stay Octavia's and the reason is told here (LbaasError.debugInfo). */
  readonly debuginfo: string | null
}

export const faultBody = (status: number, message: string, debugInfo: string | null = null): FaultBody =>
  ({ faultcode: status >= 500 ? 'Server' : 'Client', faultstring: message, debuginfo: debugInfo })

/**
 * The only place that maps errors to HTTP. LbaasError keeps its status and
 * message; fastify's own client errors (bad JSON, schema) become 400s in
 * Octavia's words; anything else is a 500 whose details stay in the log.
 */
export function handleError(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): void {
  const mapped = toLbaasError(err, req)
  if (mapped.status >= 500) req.log.error({ err }, 'request failed')
  else req.log.info({ code: mapped.code, status: mapped.status }, mapped.message)
  void reply.code(mapped.status).send(faultBody(mapped.status, mapped.message, mapped.status >= 500 ? null : mapped.debugInfo))
}

function toLbaasError(err: FastifyError | Error, req: FastifyRequest): LbaasError {
  if (err instanceof LbaasError) return err
  const fe = err as FastifyError & { validation?: unknown[] }
  if (fe.validation) return schemaErrorToLbaas(fe, req.method)
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    // NOTE: WSME's words for a body that is not JSON.
    const type = String(req.headers['content-type'] ?? '').split(';')[0].trim()
    return new LbaasError('unsupported_media', 415, `Unknown mimetype: ${type}`)
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new LbaasError('bad_request', fe.statusCode, fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError
      ? 'Request is not in valid JSON format' : err.message)
  }
  return new LbaasError('internal', 500, 'Internal Server Error')
}
