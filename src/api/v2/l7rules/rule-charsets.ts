/**
 * Character sets of L7 rule keys and values. Every one of these strings ends
 * up in an HAProxy `acl` line (`req.hdr(<key>) -m str <value>`), so what is
 * accepted here is the contract with the configuration renderer:
 *
 * - No key or value ever contains a C0 control (U+0000–U+001F, so no CR, LF
 *   or TAB), DEL or a C1 control (U+007F–U+009F): a line break would inject
 *   configuration; Octavia itself only forbids CR and LF.
 * - HEADER/COOKIE keys are an RFC 7230 token without `#`, `'` and `,`
 *   (Octavia accidentally also allows `,`): inside `req.hdr(...)` a comma
 *   separates arguments, `#` starts a comment and `'` a quoted string.
 *   SSL_DN_FIELD keys are `[A-Za-z][A-Za-z0-9-]*`.
 * - Non-REGEX values are Octavia's header-value set (printable ASCII without
 *   space, or a double-quoted string that may contain spaces), or its
 *   cookie-value set for COOKIE rules. They may contain `\`, space (quoted
 *   form), `#`, `'` and `"`, which the renderer must backslash-escape.
 * - REGEX values are any string without controls that compiles (see
 *   regex-check.ts); the renderer escapes them the same way.
 */

/** C0 controls, DEL and C1 controls. */
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/

/** An HTTP header or cookie name, as accepted for HEADER and COOKIE rule keys. */
export const HEADER_NAME = /^[A-Za-z0-9!$%&*+.^_`|~-]+$/

/** An unquoted HTTP header value: printable ASCII without space (Octavia's HTTP_HEADER_VALUE_REGEX). */
export const HEADER_VALUE = /^[\u0021-\u007e]+$/

/** A double-quoted header value: spaces allowed inside (Octavia's quoted form, without TAB). */
export const QUOTED_HEADER_VALUE = /^"[\u0020-\u007e]*"$/

/** A cookie value (RFC 6265 cookie-octet plus a few Octavia allows; no space, `"`, `;` or `\`). */
export const COOKIE_VALUE = /^[A-Za-z0-9!#$%&'()*+,./:<=>?@[\]^_`{|}~-]+$/

/** The field of an SSL_DN_FIELD rule (octavia-lib DISTINGUISHED_NAME_FIELD_REGEX). */
export const DN_FIELD = /^[a-zA-Z][A-Za-z0-9-]*$/

export const isHeaderValue = (v: string): boolean => HEADER_VALUE.test(v) || QUOTED_HEADER_VALUE.test(v)
