/**
 * Escaping for HAProxy 2.6's configuration syntax (configuration manual §2.2).
 *
 * HAProxy cuts each line into words at unescaped spaces and tabs, starts a
 * comment at an unescaped `#`, treats `'` and `"` as quotes and `\` as an
 * escape. Outside quotes it understands `\<space>`, `\#`, `\\`, `\'`, `\"`
 * and `\xNN`, and it never expands `$` there. So the safest encoding of an
 * arbitrary string as ONE word is unquoted with backslash escapes: nothing a
 * user writes can end the word, start a comment, open a quote or end the
 * line (line feeds become `\x0a`).
 *
 * This only guarantees the tokenizer's view. Keywords that re-parse their
 * argument need their own rule: sample fetch arguments in parentheses
 * (`fetchArgumentWord`), log-format strings (`logText` in `log-format.ts`),
 * ACL flags starting with `-` (the `--` before every ACL pattern).
 */
import { RenderError } from './render-error.js'

/** Characters that stand for themselves once preceded by a backslash. */
const BACKSLASHED = new Set(['\\', '#', "'", '"', ' '])

/**
 * Encodes `value` as exactly one HAProxy configuration word that HAProxy
 * decodes back to `value`, byte for byte. Control characters (including
 * line feeds) are written as `\xNN`; characters outside ASCII are kept as
 * UTF-8. Throws RenderError for the empty string and for NUL, which HAProxy
 * cannot carry in a word (it would silently cut the value short).
 */
export function configWord(value: string, what = 'value'): string {
  if (value.length === 0) throw new RenderError(`${what} must not be empty`)
  let out = ''
  for (const ch of value) {
    const code = ch.charCodeAt(0)
    if (code === 0) throw new RenderError(`${what} must not contain NUL characters`)
    if (BACKSLASHED.has(ch)) out += `\\${ch}`
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`
    else out += ch
  }
  return out
}

/**
 * Decodes one unquoted word the way HAProxy's tokenizer does (the subset
 * `configWord` emits plus plain characters). For tests: `decodeConfigWord(
 * configWord(s)) === s` for every string `configWord` accepts.
 */
export function decodeConfigWord(word: string): string {
  let out = ''
  for (let i = 0; i < word.length; i++) {
    const ch = word[i]
    if (ch === ' ' || ch === '\t' || ch === '#' || ch === "'" || ch === '"') {
      throw new Error(`unescaped ${JSON.stringify(ch)} at ${i}`)
    }
    if (ch !== '\\') { out += ch; continue }
    const next = word[++i]
    if (next === 'x') {
      const hex = word.slice(i + 1, i + 3)
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new Error(`bad \\x escape at ${i}`)
      out += String.fromCharCode(parseInt(hex, 16))
      i += 2
    } else if (next !== undefined && BACKSLASHED.has(next)) {
      out += next
    } else {
      throw new Error(`unsupported escape at ${i}`)
    }
  }
  return out
}

/**
 * Encodes a name as the argument of a sample fetch, e.g. the `X-Id` of
 * `req.hdr(X-Id)`. HAProxy parses such arguments a second time, with the
 * same quotes and backslashes as the tokenizer (but no `\#`, `\$`, `\xNN`),
 * so a `'` is first escaped for that parser, then the whole for the
 * tokenizer: `c'd#` becomes `c\\\'d\#`. The caller validates the name
 * (`fetchArgument`); `\`, `"`, `(`, `)`, `,` and spaces are refused there.
 */
export function fetchArgumentWord(name: string, what = 'fetch argument'): string {
  return configWord(name.replaceAll("'", "\\'"), what)
}
