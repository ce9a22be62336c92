import { badRequest } from '../../common/errors.js'
import type { ListColumn, ListSpec, TagFilters } from '../../db/list-query.js'

export type Query = Readonly<Record<string, string | string[] | undefined>>

/** Query keys that are never attribute filters. */
const RESERVED = new Set(['limit', 'marker', 'page_reverse', 'sort', 'sort_key', 'sort_dir', 'fields',
  'tags', 'tags-any', 'not-tags', 'not-tags-any'])

/** A list request before the marker row is loaded. */
export interface ListRequest {
  readonly spec: Omit<ListSpec, 'marker'>
  readonly markerId: string | null
  readonly limit: number | null
  /** Attribute names of `fields=`, or null for all. */
  readonly fields: readonly string[] | null
}

const all = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : (Array.isArray(v) ? v : [v])
const last = (v: string | string[] | undefined): string | undefined =>
  Array.isArray(v) ? v[v.length - 1] : v
const commaList = (v: string | string[] | undefined): string[] =>
  all(v).flatMap(s => s.split(',')).map(s => s.trim()).filter(s => s !== '')

/**
 * Parses Octavia's list query parameters (limit, marker, page_reverse, sort,
 * sort_key/sort_dir, fields, attribute filters, tag filters) against the
 * resource's columns. Throws Octavia's 400 messages for bad values.
 * `aliases` maps query names to attribute names (e.g. loadbalancer_id).
 */
export function parseListQuery(
  query: Query, columns: Readonly<Record<string, ListColumn>>, maxLimit: number,
  aliases: Readonly<Record<string, string>> = {},
): ListRequest {
  const limit = parseLimit(last(query.limit), maxLimit)
  const markerId = last(query.marker) ?? null
  const pageReverse = last(query.page_reverse) === 'True' || last(query.page_reverse) === 'true'
  const sort = parseSort(query, columns)
  const filters: { column: string; value: unknown }[] = []
  for (const [rawKey, rawValue] of Object.entries(query)) {
    if (RESERVED.has(rawKey) || rawValue === undefined) continue
    const key = aliases[rawKey] ?? rawKey
    const col = columns[key]
    if (!col || col.filterable === false) throw badRequest('One or more arguments are either duplicate or invalid', 'invalid_filter')
    filters.push({ column: col.column, value: convert(col, last(rawValue) as string) })
  }
  const tags: TagFilters = {
    all: commaList(query.tags), any: commaList(query['tags-any']),
    notAll: commaList(query['not-tags']), notAny: commaList(query['not-tags-any']),
  }
  return { spec: { limit, pageReverse, sort, filters, tags }, markerId, limit, fields: fieldsOf(query) }
}

function parseLimit(raw: string | undefined, maxLimit: number): number {
  if (raw === undefined) return maxLimit
  if (raw === 'infinite') return maxLimit
  if (!/^-?\d+$/.test(raw)) throw badRequest(`Supplied pagination limit '${raw}' is not valid.`, 'invalid_limit')
  const n = Number(raw)
  return n < 1 ? maxLimit : Math.min(n, maxLimit)
}

function parseSort(query: Query, columns: Readonly<Record<string, ListColumn>>): ListSpec['sort'] {
  const pairs: [string, string][] = []
  if (query.sort !== undefined) {
    for (const item of commaList(query.sort)) {
      const [key, dir = 'asc'] = item.split(':').map(s => s.trim())
      pairs.push([key, dir])
    }
  } else if (query.sort_key !== undefined) {
    const keys = commaList(query.sort_key)
    const dirs = commaList(query.sort_dir)
    keys.forEach((k, i) => pairs.push([k, dirs[i] ?? dirs[0] ?? 'asc']))
  }
  return pairs.map(([key, dir]) => {
    if (dir !== 'asc' && dir !== 'desc') throw badRequest(`Supplied sort direction '${dir}' is not valid.`, 'invalid_sort')
    const col = columns[key]
    if (!col || col.sortable === false) throw badRequest(`Supplied sort key '${key}' is not valid.`, 'invalid_sort')
    return { column: col.column, dir }
  })
}

function convert(col: ListColumn, raw: string): unknown {
  switch (col.type) {
    case 'bool': {
      const v = raw.toLowerCase()
      if (['true', '1', 'yes', 'on'].includes(v)) return 1
      if (['false', '0', 'no', 'off'].includes(v)) return 0
      throw badRequest('One or more arguments are either duplicate or invalid', 'invalid_filter')
    }
    case 'int':
    case 'float': {
      const n = Number(raw)
      if (!Number.isFinite(n)) throw badRequest('One or more arguments are either duplicate or invalid', 'invalid_filter')
      return n
    }
    default:
      return raw
  }
}

/** The attribute names of `fields=` (null: all), e.g. of a GET-one, whose other query keys are ignored as in Octavia. */
export const fieldsOf = (query: Query): readonly string[] | null => (query.fields === undefined ? null : commaList(query.fields))

/** Keeps only the attributes named by `fields=` (all when null). */
export function selectFields<T extends Record<string, unknown>>(obj: T, fields: readonly string[] | null): Partial<T> {
  if (!fields || fields.length === 0) return obj
  return Object.fromEntries(Object.entries(obj).filter(([k]) => fields.includes(k))) as Partial<T>
}
