import { invalidInput } from '../../../common/errors.js'

/**
 * Redirect URLs and prefixes go verbatim into `redirect location|prefix <url>`
 * lines of the HAProxy configuration, so they are checked more strictly than
 * Octavia's URLType (rfc3986 after a control-character/space ban):
 *
 * - only the characters RFC 3986 allows in a URI (unreserved, reserved and
 *   `%XX` escapes): no controls, space, non-ASCII, `"`, `<`, `>`, `\`, `^`,
 *   backquote, `{`, `|`, `}`; a `%` must start a valid `%XX`;
 * - the scheme is `http` or `https` (lower case, as Octavia) and an authority
 *   with a non-empty host is present: a reg-name, dotted IPv4 or a bracketed
 *   IPv6 literal, optionally with `userinfo@` and a numeric `:port`.
 *
 * Of what is accepted, `#` and `'` are special to HAProxy's parser (comment,
 * quote) and `%` to log-format strings: the configuration renderer must
 * escape them (`\#`, `\'`, and `%%` if it emits `http-request redirect`).
 */
export function isValidRedirectUrl(value: string): boolean {
  if (!URI_CHARS.test(value) || /%(?![0-9A-Fa-f]{2})/.test(value)) return false
  const m = URI_PARTS.exec(value)
  if (!m) return false
  const [, scheme, authority, path] = m
  if (scheme !== 'http' && scheme !== 'https') return false
  if (authority === undefined || !isValidAuthority(authority)) return false
  return path === '' || path.startsWith('/')
}

/**
 * Throws Octavia's 400 `Invalid input for field/attribute <field>. Value:
 * '<v>'. Value must be a valid URL string` for a bad redirect_url or
 * redirect_prefix (null and absent are fine).
 */
export function checkRedirectUrls(body: { readonly redirect_url?: string | null; readonly redirect_prefix?: string | null }): void {
  for (const field of ['redirect_url', 'redirect_prefix'] as const) {
    const v = body[field]
    if (typeof v === 'string' && !isValidRedirectUrl(v)) throw invalidInput(field, v, 'Value must be a valid URL string')
  }
}

const URI_CHARS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/
/** RFC 3986 appendix B, with the authority required. */
const URI_PARTS = /^([^:/?#]+):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/
const REG_NAME = /^([A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$/
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/
const IPV6_LITERAL = /^\[[0-9A-Fa-f:.]+\]$/

function isValidAuthority(authority: string): boolean {
  const at = authority.lastIndexOf('@')
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority
  if (at >= 0 && !/^([A-Za-z0-9\-._~!$&'()*+,;=:]|%[0-9A-Fa-f]{2})*$/.test(authority.slice(0, at))) return false
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort)
  if (!m) return false
  const [, host, port] = m
  if (port !== undefined && port !== '' && Number(port) > 65535) return false
  if (host.startsWith('[')) return IPV6_LITERAL.test(host) && host.includes(':')
  if (/^[\d.]+$/.test(host)) return IPV4.test(host)
  return REG_NAME.test(host)
}
