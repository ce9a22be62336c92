/**
 * The one error type of octavia-ts. Every failure that reaches a client is an
 * LbaasError with a stable code and an HTTP status; `src/api/respond.ts` is the
 * only place that turns it into Octavia's body `{faultcode, faultstring, debuginfo}`.
 * Messages follow Octavia's texts exactly where clients compare them.
 */
export class LbaasError extends Error {
  /**
   * Why, when the message must stay Octavia's (e.g. `Could not retrieve
   * certificate: [...]` for a key that does not match): shown as the fault's
   * `debuginfo`. Never secret bytes.
   */
  readonly debugInfo: string | null

  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    opts?: ErrorOptions & { readonly debugInfo?: string | null },
  ) {
    super(message, opts)
    this.name = 'LbaasError'
    this.debugInfo = opts?.debugInfo ?? null
  }
}

/** 400 for a malformed field: `Invalid input for field/attribute <f>. Value: '<v>'. <reason>` */
export const invalidInput = (field: string, value: unknown, reason: string): LbaasError =>
  new LbaasError('invalid_input', 400,
    `Invalid input for field/attribute ${field}. Value: '${formatValue(value)}'. ${reason}`)

/** 400 `Validation failure: <detail>` (Octavia's ValidationException). */
export const validationFailure = (detail: string): LbaasError =>
  new LbaasError('validation_failure', 400, `Validation failure: ${detail}`)

/** 400 `<value> is not a valid option for <option>` (Octavia's InvalidOption). */
export const invalidOption = (value: unknown, option: string): LbaasError =>
  new LbaasError('invalid_option', 400, `${formatValue(value)} is not a valid option for ${option}`)

/** 400 with a message used verbatim. */
export const badRequest = (message: string, code = 'bad_request'): LbaasError =>
  new LbaasError(code, 400, message)

/** 404 `<Resource> <id> not found.` */
export const notFound = (resource: string, id: string): LbaasError =>
  new LbaasError('not_found', 404, `${resource} ${id} not found.`)

/** 409 `<Resource> <id> is immutable and cannot be updated.` */
export const immutable = (resource: string, id: string): LbaasError =>
  new LbaasError('immutable', 409, `${resource} ${id} is immutable and cannot be updated.`)

/** 409 with a message used verbatim (duplicates, in-use, invalid state). */
export const conflict = (message: string, code = 'conflict'): LbaasError =>
  new LbaasError(code, 409, message)

/** 403 policy or quota denial. */
export const forbidden = (message = 'Policy does not allow this request to be performed.', code = 'forbidden'): LbaasError =>
  new LbaasError(code, 403, message)

/** 501 `Provider '<p>' does not support a requested option: <detail>` */
export const providerUnsupported = (provider: string, detail: string, kind: 'action' | 'option' = 'option'): LbaasError =>
  new LbaasError('provider_unsupported', 501, `Provider '${provider}' does not support a requested ${kind}: ${detail}`)

/** Renders a value the way Octavia's messages quote it. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === null || value === undefined) return 'None'
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** Marks an error that retrying cannot fix (the worker reverts at once). */
export class TerminalError extends Error {
  constructor(message: string, opts?: ErrorOptions) {
    super(message, opts)
    this.name = 'TerminalError'
  }
}
