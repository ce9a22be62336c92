import type { FastifyInstance, FastifyRequest } from 'fastify'
import { KeyManagerError } from './key-manager-error.js'

/**
 * Bodies of the key manager routes are read as bytes whatever their media
 * type (a two-step store PUTs the raw payload), and parsed by the handler
 * that knows what it expects; so no parser error can quote a payload.
 * Barbican's `max_allowed_request_size_in_bytes` (25000) bounds them.
 */
export function installRawBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 25000 }, (_req, body, done) => done(null, body))
}

/** The request's media type, lower-cased, without parameters; '' when none. */
export const mediaTypeOf = (req: FastifyRequest): string =>
  String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()

/** Barbican's enforce_content_types: 415 `Unexpected content type. Expected content types are: [...]`. */
export function requireContentType(req: FastifyRequest, allowed: readonly string[]): void {
  if (!allowed.includes(mediaTypeOf(req))) {
    throw new KeyManagerError(415, `Unexpected content type. Expected content types are: [${allowed.map(t => `'${t}'`).join(', ')}]`)
  }
}

/** The JSON body (Barbican's load_body): 400 `Malformed JSON` for anything unparsable, without quoting it. */
export function jsonBody(req: FastifyRequest): unknown {
  const raw = req.body
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : ''
  try {
    return JSON.parse(text)
  } catch {
    throw new KeyManagerError(400, 'Malformed JSON')
  }
}
