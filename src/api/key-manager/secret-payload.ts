import { KeyManagerError, issueSeen } from './key-manager-error.js'

/** Barbican's supported payload media types (mime_types.SUPPORTED) and their stored form. */
const TEXT_TYPES = ['text/plain', 'text/plain;charset=utf-8', 'text/plain; charset=utf-8']
const BINARY_TYPES = ['application/octet-stream', 'application/pkcs8']

/** Barbican's `max_allowed_secret_in_bytes` (default): larger payloads are a 413. */
export const MAX_SECRET_BYTES = 20000

export const isSupportedContentType = (type: string): boolean => TEXT_TYPES.includes(type) || BINARY_TYPES.includes(type)

/** Whether `encoding` may accompany `type` (text: none; binary: none, base64 or binary). */
export function encodingAllowed(type: string, encoding: string | null): boolean {
  if (TEXT_TYPES.includes(type)) return encoding === null
  return encoding === null || ['base64', 'binary'].includes(encoding.toLowerCase())
}

/** Barbican's normalize_content_type: `text/plain; charset=utf-8` → `text/plain`; a supported type, or a 400. */
export function normalizeContentType(raw: string, operation: string): string {
  const [media, ...params] = raw.split(';').map(s => s.trim())
  const mime = media.toLowerCase()
  const charsetOk = params.length === 0 || params.some(p => /^charset\s*=\s*utf-8$/i.test(p))
  const normalized = charsetOk && (mime === 'text/plain' || BINARY_TYPES.includes(mime)) ? mime : raw
  if (!isSupportedContentType(normalized)) throw issueSeen(400, operation, `content-type of '${raw}' not supported`)
  return normalized
}

/**
 * The bytes to store from a payload as received (Barbican's
 * normalize_before_encryption): text is stored as its UTF-8 bytes; binary
 * with encoding base64 is decoded; binary without encoding is taken as
 * it came. `textOnly` (the JSON POST) refuses any other encoding.
 */
export function payloadBytes(payload: string | Buffer, type: string, encoding: string | null, operation: string, textOnly: boolean): Buffer {
  if (payload.length === 0) throw new KeyManagerError(400, 'No data supplied to process.')
  const raw = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload
  if (TEXT_TYPES.includes(type) || encoding === null) return raw
  if (encoding.toLowerCase() === 'base64') return Buffer.from(raw.toString('latin1').replace(/\s+/g, ''), 'base64')
  if (textOnly) throw issueSeen(400, operation, "Text-based binary secret payloads must specify a content-encoding of 'base64'")
  if (encoding.toLowerCase() === 'binary') return raw
  throw issueSeen(400, operation, `content-encoding of '${encoding}' not supported`)
}

/** Whether `text` is base64 as Python's lenient b64decode reads it (whitespace ignored, padding right). */
export function isBase64(text: string): boolean {
  const compact = text.replace(/\s+/g, '')
  return /^[A-Za-z0-9+/]*={0,2}$/.test(compact) && compact.length % 4 === 0
}

/**
 * The media type a payload is answered with, from the request's `Accept`
 * (Barbican: none or `*` + `/*` means the stored type; a text type needs
 * UTF-8 text; binary types answer the bytes); a 406 otherwise.
 */
export function answerType(accept: string | undefined, storedType: string, bytes: Buffer, operation: string): string {
  const wanted = accept === undefined || accept.trim() === '' || accept.trim() === '*/*' ? storedType : accept.trim()
  if (TEXT_TYPES.includes(wanted)) {
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes)
    if (!Buffer.from(text, 'utf8').equals(bytes)) throw issueSeen(406, operation, 'Wrong payload content-type')
    return 'text/plain'
  }
  if (BINARY_TYPES.includes(wanted)) return wanted
  throw issueSeen(406, operation, 'Wrong payload content-type')
}
