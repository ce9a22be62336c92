import type { KeyManagerHrefs } from './key-manager-hrefs.js'

/** Barbican's `[DEFAULT] default_limit_paging` and `max_limit_paging`. */
const DEFAULT_LIMIT = 10
const MAX_LIMIT = 100

export type ListQuery = Record<string, string | string[] | undefined>

const single = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.at(-1) : v)

/**
 * Barbican's clean_paging_values: `offset` below 0 or not a number is 0;
 * `limit` not a number is 10, below 1 is 1, above 100 is 100.
 */
export function pagingOf(query: ListQuery): { offset: number; limit: number } {
  const rawOffset = single(query.offset) || '0'
  const rawLimit = single(query.limit) || String(DEFAULT_LIMIT)
  const offset = /^\s*[+-]?\d+\s*$/.test(rawOffset) ? Math.max(0, Number(rawOffset)) : 0
  const limit = /^\s*[+-]?\d+\s*$/.test(rawLimit) ? Math.min(MAX_LIMIT, Math.max(1, Number(rawLimit))) : DEFAULT_LIMIT
  return { offset: Number.isSafeInteger(offset) ? offset : 0, limit }
}

/** The query's other parameters (not `limit` or `offset`), URL-encoded, for the pages' hrefs. */
export function otherParams(query: ListQuery): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (k === 'limit' || k === 'offset' || v === undefined) continue
    for (const x of Array.isArray(v) ? v : [v]) params.append(k, x)
  }
  return params.toString()
}

/**
 * A list answer as Barbican gives it: the items under `collection`, then
 * `previous` (when offset > 0) and `next` (when more follow), then `total`;
 * an empty page is `{<collection>: [], total}` without hrefs.
 */
export function listBody(
  hrefs: KeyManagerHrefs, collection: string, items: readonly unknown[],
  page: { offset: number; limit: number; total: number }, query: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = { [collection]: items }
  if (items.length === 0) return { ...body, total: page.total }
  const { offset, limit, total } = page
  if (offset > 0) body.previous = hrefs.page(collection, Math.max(0, offset - limit), limit, query)
  if (total > offset + limit) body.next = hrefs.page(collection, offset + limit, limit, query)
  return { ...body, total }
}
