import { KeyManagerError } from './key-manager-error.js'
import { encodingAllowed, isBase64, isSupportedContentType, MAX_SECRET_BYTES } from './secret-payload.js'

/** Barbican's secret types. */
export const SECRET_TYPES = ['symmetric', 'passphrase', 'private', 'public', 'certificate', 'opaque'] as const

/** A validated `POST /v1/secrets` body. */
export interface NewSecret {
  readonly name: string | null
  readonly secretType: string
  readonly algorithm: string | null
  readonly bitLength: number | null
  readonly mode: string | null
  /** Epoch ms, in the future; null: never expires. */
  readonly expiration: number | null
  /** The payload as sent (still base64 when so encoded), stripped; null: two-step store. */
  readonly payload: string | null
  readonly contentType: string | null
  readonly contentEncoding: string | null
}

/** Barbican's InvalidObject: `Provided object does not match schema '<schema>': <reason>. Invalid property: '<property>'`. */
export const invalidObject = (schema: string, reason: string, property: string): KeyManagerError =>
  new KeyManagerError(400, `Provided object does not match schema '${schema}': ${reason}. Invalid property: '${property}'`)

const pyRepr = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : v === null ? 'None' : JSON.stringify(v))

type Check = (value: unknown) => string | null
const string = (max: number, nullable = false): Check => v =>
  v === null && nullable ? null : typeof v !== 'string' ? `${pyRepr(v)} is not of type 'string'` : v.length > max ? `${pyRepr(v)} is too long` : null
const oneOf = (values: readonly string[]): Check => v =>
  typeof v === 'string' && values.includes(v) ? null : `${pyRepr(v)} is not one of [${values.map(pyRepr).join(', ')}]`
const integer = (min: number, max: number): Check => v =>
  !Number.isInteger(v) ? `${pyRepr(v)} is not of type 'integer'`
    : (v as number) < min ? `${v} is less than the minimum of ${min}` : (v as number) > max ? `${v} is greater than the maximum of ${max}` : null

const SECRET_SCHEMA: Readonly<Record<string, Check>> = {
  name: string(255, true), algorithm: string(255), mode: string(255), bit_length: integer(1, 32767),
  expiration: string(255), payload: string(Number.MAX_SAFE_INTEGER), secret_type: oneOf(SECRET_TYPES),
  payload_content_type: string(255, true), payload_content_encoding: oneOf(['base64']),
  transport_key_needed: oneOf(['true', 'false']), transport_key_id: string(Number.MAX_SAFE_INTEGER),
}

/** Checks `body` against a schema of property checks (the first failure, as jsonschema reports one). */
export function checkSchema(schema: string, checks: Readonly<Record<string, Check>>, body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidObject(schema, `${pyRepr(body)} is not of type 'object'`, 'None')
  const obj = body as Record<string, unknown>
  for (const [prop, check] of Object.entries(checks)) {
    if (!(prop in obj)) continue
    const reason = check(obj[prop])
    if (reason) throw invalidObject(schema, reason, prop)
  }
  return obj
}

/** Validates a `POST /v1/secrets` body as Barbican's NewSecretValidator (400/413 KeyManagerError). */
export function parseNewSecret(body: unknown, now = Date.now()): NewSecret {
  const obj = checkSchema('Secret', SECRET_SCHEMA, body)
  const str = (k: string): string | null => (typeof obj[k] === 'string' ? obj[k] as string : null)
  const contentType = str('payload_content_type')
  const contentEncoding = str('payload_content_encoding')
  let payload: string | null = null
  if ('payload' in obj) {
    payload = checkedPayload(obj.payload as string, contentType, contentEncoding)
  } else if ('payload_content_type' in obj) {
    throw invalidObject('Secret', 'payload must be provided when payload_content_type is specified', 'payload')
  }
  return {
    name: str('name')?.trim() ?? null,
    secretType: str('secret_type') ?? 'opaque',
    algorithm: str('algorithm'), bitLength: typeof obj.bit_length === 'number' ? obj.bit_length : null, mode: str('mode'),
    expiration: expirationOf(str('expiration'), now),
    payload, contentType, contentEncoding,
  }
}

function checkedPayload(payload: string, contentType: string | null, encoding: string | null): string {
  if (contentType === null) {
    throw invalidObject('Secret', "If 'payload' is supplied, 'payload_content_type' must also be supplied.", 'payload_content_type')
  }
  if (!isSupportedContentType(contentType)) {
    throw invalidObject('Secret', "payload_content_type is not one of ['text/plain', 'text/plain;charset=utf-8', 'text/plain; charset=utf-8', 'application/octet-stream', 'application/pkcs8']", 'payload_content_type')
  }
  if (!encodingAllowed(contentType, encoding)) {
    throw invalidObject('Secret', `payload_content_encoding is not one of ${contentType.startsWith('text/') ? 'None' : "['base64', 'binary']"}`, 'payload_content_encoding')
  }
  if (Buffer.byteLength(payload, 'utf8') > MAX_SECRET_BYTES) throw new KeyManagerError(413, 'Provided information too large to process')
  const stripped = payload.trim()
  if (stripped === '') throw invalidObject('Secret', "If 'payload' specified, must be non empty", 'payload')
  if (encoding === 'base64' && !isBase64(stripped)) throw invalidObject('Secret', 'Invalid payload for payload_content_encoding', 'payload')
  return stripped
}

function expirationOf(raw: string | null, now: number): number | null {
  if (raw === null || raw.trim() === '') return null
  const text = raw.trim()
  const ms = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(text)
    ? Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text.replace(' ', 'T') : `${text.replace(' ', 'T')}Z`)
    : NaN
  if (Number.isNaN(ms)) throw invalidObject('Secret', "Invalid date for 'expiration'", 'expiration')
  if (ms <= now) throw invalidObject('Secret', "'expiration' is before current time", 'expiration')
  return ms
}
