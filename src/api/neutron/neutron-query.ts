/**
 * Neutron's list query semantics on rendered objects: equality filters
 * (repeated keys OR-ed, different keys AND-ed), `fields`, and
 * limit/marker/sort_key/sort_dir pagination. Pure functions.
 */

export type NeutronQuery = Readonly<Record<string, string | string[] | undefined>>
export type NeutronObject = Readonly<Record<string, unknown>>

/** Keys that are never attribute filters. */
const RESERVED = new Set(['fields', 'limit', 'marker', 'sort_key', 'sort_dir', 'page_reverse'])

/** A Neutron error body: `{"NeutronError": {type, message, detail}}`. */
export interface NeutronErrorBody {
  readonly NeutronError: { readonly type: string; readonly message: string; readonly detail: string }
}

export const neutronError = (type: string, message: string): NeutronErrorBody =>
  ({ NeutronError: { type, message, detail: '' } })

/** Thrown for a bad query; the routes answer it with a 400 NeutronError body. */
export class NeutronBadRequest extends Error {}

export const valuesOf = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v]

/** The attribute filters of a query: key → accepted values. Throws NeutronBadRequest for unknown keys. */
export function filtersOf(query: NeutronQuery, attributes: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>()
  const unknown: string[] = []
  for (const [key, raw] of Object.entries(query)) {
    if (RESERVED.has(key) || raw === undefined) continue
    if (!attributes.includes(key)) { unknown.push(key); continue }
    out.set(key, valuesOf(raw))
  }
  if (unknown.length) throw new NeutronBadRequest(`[${unknown.map(k => `'${k}'`).join(', ')}] is invalid attribute for filtering`)
  return out
}

/** True when the object passes every filter. `fixed_ips` takes `subnet_id=X` / `ip_address=Y` values. */
export function matches(obj: NeutronObject, filters: ReadonlyMap<string, readonly string[]>): boolean {
  for (const [key, values] of filters) {
    if (key === 'fixed_ips') { if (!matchesFixedIps(obj.fixed_ips, values)) return false; continue }
    const v = obj[key]
    if (!values.some(want => valueMatches(v, want))) return false
  }
  return true
}

function valueMatches(v: unknown, want: string): boolean {
  if (Array.isArray(v)) return v.some(x => valueMatches(x, want))
  if (typeof v === 'boolean') return String(v) === want.toLowerCase()
  if (v === null || v === undefined) return want === '' || want === 'None'
  return String(v) === want
}

function matchesFixedIps(fixedIps: unknown, values: readonly string[]): boolean {
  const want: Record<string, string[]> = {}
  for (const item of values) {
    const i = item.indexOf('=')
    if (i < 0) continue
    ;(want[item.slice(0, i)] ??= []).push(item.slice(i + 1))
  }
  const ips = Array.isArray(fixedIps) ? fixedIps as Record<string, string>[] : []
  return ips.some(ip => Object.entries(want).every(([k, vs]) =>
    k === 'ip_address_substr' ? vs.some(s => ip.ip_address.includes(s)) : vs.includes(ip[k])))
}

/** The attributes named by `fields` (repeated or comma-separated), or null for all. */
export function fieldsOf(query: NeutronQuery): string[] | null {
  const f = valuesOf(query.fields).flatMap(s => s.split(',')).map(s => s.trim()).filter(s => s !== '')
  return f.length ? f : null
}

export function pickFields(obj: NeutronObject, fields: readonly string[] | null): NeutronObject {
  return fields ? Object.fromEntries(Object.entries(obj).filter(([k]) => fields.includes(k))) : obj
}

/** One page of a list: `items` and whether a next page exists (for `<plural>_links`). */
export interface Page {
  readonly items: readonly NeutronObject[]
  readonly nextMarker: string | null
}

/**
 * Neutron's pagination: without `limit` everything in the given order; with
 * it, sorted by `sort_key`/`sort_dir` (default id asc), after `marker`.
 */
export function paginate(items: readonly NeutronObject[], query: NeutronQuery): Page {
  const limitText = valuesOf(query.limit).at(-1)
  const sortKeys = valuesOf(query.sort_key)
  if (limitText === undefined && sortKeys.length === 0) return { items, nextMarker: null }
  const dirs = valuesOf(query.sort_dir)
  const keys = (sortKeys.length ? sortKeys : ['id']).map((k, i) => ({ k, desc: (dirs[i] ?? dirs[0]) === 'desc' }))
  if (!keys.some(x => x.k === 'id')) keys.push({ k: 'id', desc: false })
  const cmp = (a: NeutronObject, b: NeutronObject) => {
    for (const { k, desc } of keys) {
      const x = String(a[k] ?? '')
      const y = String(b[k] ?? '')
      if (x !== y) return (x < y ? -1 : 1) * (desc ? -1 : 1)
    }
    return 0
  }
  let sorted = [...items].sort(cmp)
  const marker = valuesOf(query.marker).at(-1)
  if (marker !== undefined) {
    const at = sorted.findIndex(o => o.id === marker)
    if (at >= 0) sorted = sorted.slice(at + 1)
  }
  if (limitText === undefined) return { items: sorted, nextMarker: null }
  if (!/^\d+$/.test(limitText)) throw new NeutronBadRequest(`Bad limit request: Limit must be an integer 0 or greater and not '${limitText}'.`)
  const limit = Number(limitText)
  if (limit === 0 || sorted.length <= limit) return { items: sorted, nextMarker: null }
  const page = sorted.slice(0, limit)
  return { items: page, nextMarker: String(page[page.length - 1].id) }
}
