import { isDeepStrictEqual } from 'node:util'

/** A predicate on one field's value, with a name for messages. */
export interface Matcher {
  readonly matcherName: string
  test(value: unknown): boolean
}

/** Makes a named predicate. */
export const matcher = (matcherName: string, test: (v: unknown) => boolean): Matcher => ({ matcherName, test })

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
/** Octavia renders timestamps as ISO-8601 without a zone, e.g. `2017-02-28T00:41:44`. */
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/

export const isUuid = matcher('a UUID', v => typeof v === 'string' && UUID_RE.test(v))
export const isTime = matcher('a timestamp like 2017-02-28T00:41:44', v => typeof v === 'string' && TIME_RE.test(v))
export const isIPv4 = matcher('an IPv4 address', v => typeof v === 'string' && /^(\d{1,3}\.){3}\d{1,3}$/.test(v))
export const oneOf = (...values: unknown[]): Matcher =>
  matcher(`one of ${JSON.stringify(values)}`, v => values.some(x => isDeepStrictEqual(x, v)))
export const matches = (re: RegExp): Matcher => matcher(`matching ${re}`, v => typeof v === 'string' && re.test(v))
/** A CLI-formatted id list (ids joined by newlines) holding exactly these ids in any order. */
export const idLines = (...ids: string[]): Matcher =>
  matcher(`the id lines ${JSON.stringify(ids)}`, v => typeof v === 'string' && isDeepStrictEqual((v === '' ? [] : v.split('\n')).sort(), [...ids].sort()))
/** A CLI `format_hash` value (`k=v` lines, any order) equal to `map`; `null` for an empty map. */
export const hashLines = (map: Record<string, string>): Matcher =>
  matcher(`the k=v lines ${JSON.stringify(map)}`, v => {
    if (Object.keys(map).length === 0) return v === null
    if (typeof v !== 'string') return false
    const got = Object.fromEntries(v.split('\n').map(l => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]))
    return isDeepStrictEqual(got, map)
  })

const isMatcher = (x: unknown): x is Matcher =>
  typeof x === 'object' && x !== null && 'matcherName' in x && typeof (x as Matcher).test === 'function'

/**
 * Checks `actual` field by field against `expected`: the key sets must be equal
 * (no missing, no extra field) and each value must deep-equal the expected one
 * or pass its Matcher. Throws one error listing every difference.
 */
export function expectFields(what: string, actual: unknown, expected: Readonly<Record<string, unknown>>): void {
  if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) {
    throw new Error(`${what}: expected an object, got ${JSON.stringify(actual)}`)
  }
  const got = actual as Record<string, unknown>
  const problems: string[] = []
  for (const k of Object.keys(expected)) if (!(k in got)) problems.push(`missing field ${k}`)
  for (const k of Object.keys(got)) if (!(k in expected)) problems.push(`unexpected field ${k} = ${JSON.stringify(got[k])}`)
  for (const [k, want] of Object.entries(expected)) {
    if (!(k in got)) continue
    const v = got[k]
    const ok = isMatcher(want) ? want.test(v) : isDeepStrictEqual(v, want)
    if (!ok) problems.push(`${k}: got ${JSON.stringify(v)}, expected ${isMatcher(want) ? want.matcherName : JSON.stringify(want)}`)
  }
  if (problems.length) throw new Error(`${what}:\n  ${problems.join('\n  ')}`)
}
