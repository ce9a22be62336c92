/**
 * Validation of the values the renderer writes without escaping: names of
 * HAProxy objects, addresses, numbers, and the strings that HAProxy parses a
 * second time after its tokenizer (sample fetch arguments, header values sent
 * by checks, URLs placed in HTTP headers). Each function returns the value in
 * the form to write, or throws RenderError naming `what` (never echoing the
 * bad value, which may carry control characters).
 */
import { isIP } from 'node:net'
import type { IntegerRange } from '../../../common/integer-range.js'
import { PORT_RANGE } from '../../../model/field-range.js'
import { RenderError } from './render-error.js'

/** Ids become section, server, ACL and peer names: UUID-like words only. */
const OBJECT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/

/**
 * A header, cookie or DN field name used as a sample fetch argument, as the
 * API accepts them: RFC 7230 token characters. `config-escape.ts`
 * `fetchArgumentWord` escapes it for both parsers; characters with a meaning
 * there that no valid name needs — ( ) , space and \ " — are refused.
 */
const FETCH_ARGUMENT = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/

/** A DNS name (letters, digits, hyphens, dots), as sent in a check's Host header. */
const DOMAIN_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/

/** Characters that may never appear in a URL placed in a header or a request line. */
const URL_FORBIDDEN = /[\x00-\x20\x7f-\x9f]/

/** expected_codes: `200`, `200,202`, `200-204` (HAProxy's `status` list syntax). */
const EXPECTED_CODES = /^[1-5]\d\d(?:-[1-5]\d\d)?(?:,[1-5]\d\d(?:-[1-5]\d\d)?)*$/

/** An object id, used as a name in the configuration. */
export function objectId(what: string, value: string | null | undefined): string {
  if (typeof value !== 'string' || !OBJECT_ID.test(value)) {
    throw new RenderError(`${what} is not a valid object id`)
  }
  return value
}

/** An IPv4 or IPv6 address without zone or brackets. */
export function ipAddress(what: string, value: string | null | undefined): string {
  if (typeof value !== 'string' || isIP(value) === 0) throw new RenderError(`${what} is not an IP address`)
  return value
}

/** `address/prefix` with a prefix length valid for the family. */
export function cidr(what: string, value: string): string {
  const [address, prefix, ...rest] = value.split('/')
  const family = isIP(address ?? '')
  const max = family === 4 ? 32 : 128
  if (family === 0 || rest.length > 0 || prefix === undefined || !/^\d{1,3}$/.test(prefix) || Number(prefix) > max) {
    throw new RenderError(`${what} is not a CIDR`)
  }
  return value
}

/** An integer in [min, max]. */
export function integer(what: string, value: number | null | undefined, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RenderError(`${what} must be an integer between ${min} and ${max}`)
  }
  return value
}

/** An integer within a field's range (src/model/*-fields.ts). */
export function integerIn(what: string, value: number | null | undefined, range: IntegerRange): number {
  return integer(what, value, range.min, range.max)
}

/**
 * A listener timeout in ms within its field's range; null and 0 fall back to
 * the configured default, as in Octavia (HAProxy would read 0 as "no
 * timeout" and warn), which must then be positive.
 */
export function timeoutMs(what: string, value: number | null, fallback: number, range: IntegerRange): number {
  if (value !== null && integerIn(what, value, range) !== 0) return value
  return integer(what, fallback, 1, range.max)
}

/** A TCP port (PORT_RANGE). */
export function port(what: string, value: number | null | undefined): number {
  return integerIn(what, value, PORT_RANGE)
}

/** A header, cookie or DN field name for a sample fetch argument (not yet escaped). */
export function fetchArgument(what: string, value: string | null | undefined): string {
  if (typeof value !== 'string' || !FETCH_ARGUMENT.test(value)) {
    throw new RenderError(`${what} must be an HTTP token (letters, digits and !#$%&'*+.^_\`|~-)`)
  }
  return value
}

/** A DNS name such as a check's Host header. */
export function domainName(what: string, value: string): string {
  if (!DOMAIN_NAME.test(value)) throw new RenderError(`${what} is not a domain name`)
  return value
}

/**
 * A URL or URL prefix written verbatim into a Location header: no spaces or
 * control characters (they would split the header or the response).
 */
export function headerUrl(what: string, value: string | null | undefined): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048 || URL_FORBIDDEN.test(value)) {
    throw new RenderError(`${what} must be a non-empty URL without spaces or control characters`)
  }
  return value
}

/** A health check path: starts with `/`, no spaces or control characters. */
export function urlPath(what: string, value: string): string {
  if (!value.startsWith('/') || value.length > 2048 || URL_FORBIDDEN.test(value)) {
    throw new RenderError(`${what} must be a path starting with / without spaces or control characters`)
  }
  return value
}

/** Normalizes Octavia's expected_codes (`200`, `200, 202`, `200-204`) to HAProxy's list. */
export function expectedCodes(what: string, value: string): string {
  const codes = value.replace(/\s+/g, '')
  if (!EXPECTED_CODES.test(codes)) throw new RenderError(`${what} must be codes like 200, 200,202 or 200-204`)
  return codes
}

/** One of the allowed strings. */
export function oneOf<T extends string>(what: string, value: string | null | undefined, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new RenderError(`${what} must be one of ${allowed.join(', ')}`)
  return value as T
}

/** An absolute file path from the operator's configuration (no whitespace or controls). */
export function filePath(what: string, value: string): string {
  if (!value.startsWith('/') || /[\x00-\x20\x7f]/.test(value)) {
    throw new RenderError(`${what} must be an absolute path without spaces or control characters`)
  }
  return value
}
