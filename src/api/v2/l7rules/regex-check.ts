/**
 * Checks that an L7 rule REGEX value compiles.
 *
 * The value is used by HAProxy (`-m reg`), which compiles it with PCRE2;
 * Octavia checks it with Python's `re`, which is neither. There is no PCRE in
 * Node without a native addon, so the check compiles the pattern with the
 * JavaScript engine after rewriting the PCRE-only syntax that JavaScript
 * lacks but HAProxy users write: inline flags `(?i)` and `(?i:…)`, `\A`,
 * `\Z`, `\z`, `\G`, `\Q…\E`, `(?#…)` comments, atomic `(?>…)` and branch-reset
 * `(?|…)` groups, `(?P<n>…)`/`(?'n'…)` names, `(?P=n)`, recursion and
 * conditionals, possessive quantifiers and POSIX classes `[[:alpha:]]`. What
 * remains is the grammar both share (ECMAScript Annex B is lenient about
 * escapes, as PCRE is), so the usual mistakes are caught here: unbalanced
 * parentheses or brackets, a trailing backslash, nothing to repeat, bad
 * ranges. The few patterns that JavaScript accepts and PCRE2 refuses (e.g. a
 * variable-length lookbehind) are caught by `haproxy -c` on the amphora, which
 * keeps the last good configuration.
 */

/** The reason the pattern does not compile, or null when it does. */
export function regexCompileError(pattern: string): string | null {
  try {
    // eslint-disable-next-line no-new
    new RegExp(toJsSyntax(pattern))
    return null
  } catch (err) {
    const msg = (err as Error).message
    const at = msg.lastIndexOf('/: ')
    return at >= 0 ? msg.slice(at + 3) : msg
  }
}

const escapeLiteral = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')

/**
 * The escape at `p[i]` (a backslash): `\Q…\E` quoted literally, `\A`/`\G`
 * as `^` and `\Z`/`\z` as `$` outside classes, any other escape as it is.
 * Returns its JavaScript text and how many characters of `p` it stands for.
 */
function rewriteEscape(p: string, i: number, inClass: boolean): { text: string; consumed: number } {
  const n = p[i + 1]
  if (n === undefined) return { text: '\\', consumed: 1 }
  if (n === 'Q') {
    const end = p.indexOf('\\E', i + 2)
    const stop = end < 0 ? p.length : end + 2
    return { text: escapeLiteral(p.slice(i + 2, end < 0 ? p.length : end)), consumed: stop - i }
  }
  if (!inClass && (n === 'A' || n === 'G')) return { text: '^', consumed: 2 }
  if (!inClass && (n === 'Z' || n === 'z')) return { text: '$', consumed: 2 }
  return { text: '\\' + n, consumed: 2 }
}

/**
 * Inside a bracket class (or at its opening `[`): a POSIX class `[:alpha:]`
 * becomes a plain letter, an opening `[^]` / `[]` keeps its literal `]`
 * escaped, `]` closes the class. Returns the text, the characters consumed and
 * whether the class is still open.
 */
function rewriteClassPart(p: string, i: number, inClass: boolean): { text: string; consumed: number; inClass: boolean } {
  const c = p[i]
  if (inClass) {
    const posix = c === '[' && p[i + 1] === ':' ? /^\[:\^?[a-z]+:\]/.exec(p.slice(i)) : null
    if (posix) return { text: 'a', consumed: posix[0].length, inClass }
    return { text: c, consumed: 1, inClass: c !== ']' }
  }
  let text = c
  let consumed = 1
  if (p[i + consumed] === '^') { text += '^'; consumed++ }
  if (p[i + consumed] === ']') { text += '\\]'; consumed++ }
  return { text, consumed, inClass: true }
}

/** Rewrites PCRE-only constructs into JavaScript equivalents (for a syntax check only). */
export function toJsSyntax(p: string): string {
  let out = ''
  let inClass = false
  let afterQuantifier: boolean = false
  for (let i = 0; i < p.length; i++) {
    const c = p[i]
    const quantified: boolean = afterQuantifier
    afterQuantifier = false
    if (c === '\\') {
      const escape = rewriteEscape(p, i, inClass)
      out += escape.text
      i += escape.consumed - 1
      continue
    }
    if (inClass || c === '[') {
      const part = rewriteClassPart(p, i, inClass)
      out += part.text
      i += part.consumed - 1
      inClass = part.inClass
      continue
    }
    if (c === '(' && p[i + 1] === '?') {
      const skip = rewriteGroupOpening(p.slice(i + 2))
      out += skip.text
      i += 1 + skip.consumed
      continue
    }
    if (c === '+' && quantified) continue // possessive: same syntax as greedy
    if (c === '*' || c === '+' || c === '?') {
      afterQuantifier = c !== '?' || !quantified
      out += c
      continue
    }
    if (c === '{') {
      const m = /^\{\d+(,\d*)?\}/.exec(p.slice(i))
      if (m) { out += m[0]; i += m[0].length - 1; afterQuantifier = true; continue }
    }
    out += c
  }
  return out
}

/**
 * `rest` follows `(?`. Returns the JavaScript text replacing `(?` plus the
 * `consumed` characters of `rest` it stands for.
 */
function rewriteGroupOpening(rest: string): { text: string; consumed: number } {
  let m: RegExpExecArray | null
  if ((m = /^#[^)]*\)/.exec(rest))) return { text: '', consumed: m[0].length }
  if ((m = /^(?:R|[+-]?\d+|&\w+|P>\w+)\)/.exec(rest))) return { text: '(?:)', consumed: m[0].length }
  if ((m = /^[a-zA-Z]*(-[a-zA-Z]*)?\)/.exec(rest)) && m[0].length > 1) return { text: '', consumed: m[0].length }
  if ((m = /^[a-zA-Z]*(-[a-zA-Z]*)?:/.exec(rest)) && m[0].length > 1) return { text: '(?:', consumed: m[0].length }
  if (rest.startsWith('>') || rest.startsWith('|')) return { text: '(?:', consumed: 1 }
  if ((m = /^P?<([A-Za-z_]\w*)>/.exec(rest)) || (m = /^'([A-Za-z_]\w*)'/.exec(rest))) {
    return { text: `(?<${m[1]}>`, consumed: m[0].length }
  }
  if ((m = /^P=([A-Za-z_]\w*)\)/.exec(rest))) return { text: `(?:\\k<${m[1]}>)`, consumed: m[0].length }
  if ((m = /^\([^)]*\)/.exec(rest))) return { text: '(?:', consumed: m[0].length }
  return { text: '(?', consumed: 0 }
}
