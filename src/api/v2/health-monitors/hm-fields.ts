import { invalidInput } from '../../../common/errors.js'

/** RFC 3986 path characters: unreserved, sub-delims, ':', '@', '/', and %-escapes. */
const PATH_RE = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/

/**
 * True for a URL path as Octavia's URLPathType accepts it: starts with `/`,
 * no whitespace, no scheme/host/userinfo/port (so not `//host`), valid path
 * characters; a query or fragment may follow.
 */
export function isValidUrlPath(value: string): boolean {
  if (/\s/.test(value) || !value.startsWith('/') || value.startsWith('//')) return false
  const path = value.split(/[?#]/, 1)[0]
  return PATH_RE.test(path)
}

/** Throws Octavia's 400 for a url_path that is not a path. */
export function checkUrlPath(value: string | null | undefined): void {
  if (typeof value === 'string' && !isValidUrlPath(value)) {
    throw invalidInput('url_path', value, 'Value must be a valid URL Path string')
  }
}

/**
 * Parses http_version (Octavia's Enum(float, 1.0, 1.1)): a number or numeric
 * string equal to 1.0 or 1.1. Returns undefined/null unchanged.
 */
export function parseHttpVersion(value: number | string | null | undefined): number | null | undefined {
  if (value === undefined || value === null) return value
  const n = typeof value === 'number' ? value : (value.trim() === '' ? NaN : Number(value))
  if (n === 1 || n === 1.1) return n
  throw invalidInput('http_version', typeof value === 'number' ? formatFloat(value) : value, 'Value should be one of: 1.0, 1.1')
}

/** A float as Python prints it (`1.0`, `1.1`). */
export const formatFloat = (n: number): string => (Number.isInteger(n) ? n.toFixed(1) : String(n))
