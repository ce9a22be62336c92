import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'

/** webob's titles of the statuses the key manager answers. */
const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 409: 'Conflict', 413: 'Request Entity Too Large', 415: 'Unsupported Media Type',
  500: 'Internal Server Error',
}

/** Barbican's error body (its JSONErrorHook): `{code, title, description}`; barbicanclient shows `title: description`. */
export interface KeyManagerErrorBody {
  readonly code: number
  readonly title: string
  readonly description: string
}

export const keyManagerErrorBody = (status: number, description: string): KeyManagerErrorBody =>
  ({ code: status, title: TITLES[status] ?? 'Error', description })

/** An answer of the key manager API that is not a success; `description` is Barbican's text (never secret bytes). */
export class KeyManagerError extends Error {
  constructor(readonly status: number, readonly description: string) {
    super(description)
    this.name = 'KeyManagerError'
  }
}

/** Barbican's 403 of a policy denial: `<operation> attempt not allowed - please review your user/project privileges`. */
export const notAllowed = (operation: string): KeyManagerError =>
  new KeyManagerError(403, `${operation} attempt not allowed - please review your user/project privileges`)

/** Barbican's `<operation> issue seen - <reason>.` of a client error raised while the operation ran. */
export const issueSeen = (status: number, operation: string, reason: string): KeyManagerError =>
  new KeyManagerError(status, `${operation} issue seen - ${reason}.`)

/**
 * The error handler of the key manager routes: KeyManagerError as it is;
 * anything else is a 500 whose error is logged (never a request body: the
 * routes parse bodies themselves, and errors here never quote one).
 */
export function handleKeyManagerError(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): void {
  let status = 500
  let description = 'Internal Server Error'
  if (err instanceof KeyManagerError) ({ status, description } = err)
  else if ((err as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE') [status, description] = [413, 'Provided information too large to process']
  if (status >= 500) req.log.error({ err }, 'key manager request failed')
  else req.log.info({ status }, description)
  void reply.code(status).type('application/json').send(keyManagerErrorBody(status, description))
}
