import { badRequest } from '../../common/errors.js'
import { listLinks, type Link } from './list-links.js'
import { selectFields, type ListRequest, type Query } from './list-params.js'

/** How one collection is paged: where its rows and its marker row come from, and how rows render. */
export interface PageSource<Row, Item> {
  /** The marker row of `marker=` (its sort-key values); undefined/null: unknown marker → 400. */
  readonly findMarker: (key: string) => Promise<unknown>
  /** Rows after the marker in the requested order (up to limit + 1, see applyListSpec). */
  readonly fetch: (marker: Record<string, unknown> | null) => Promise<Row[]>
  /** Renders the page's rows (in page order). */
  readonly render: (rows: Row[]) => Item[] | Promise<Item[]>
  /** The key that `marker=` takes (the id, or e.g. an availability zone's name). */
  readonly keyOf: (row: Row) => string
}

/**
 * One page of a collection GET, the same for every resource: resolves the
 * marker (400 `Supplied pagination marker '<x>' is not valid.`), fetches,
 * cuts the page to `limit`, restores the order of a `page_reverse` page,
 * applies `fields=`, and builds the `<plural>_links` (a `next` link when the
 * page is full, as Octavia does).
 */
export async function listPage<Row, Item extends object>(
  parsed: ListRequest, query: Query, baseUrl: string, source: PageSource<Row, Item>,
): Promise<{ items: Partial<Item>[]; links: Link[] }> {
  let marker: Record<string, unknown> | null = null
  if (parsed.markerId !== null) {
    marker = ((await source.findMarker(parsed.markerId)) ?? null) as Record<string, unknown> | null
    if (!marker) throw badRequest(`Supplied pagination marker '${parsed.markerId}' is not valid.`, 'invalid_marker')
  }
  const rows = await source.fetch(marker)
  const page = parsed.limit === null ? rows : rows.slice(0, parsed.limit)
  if (parsed.spec.pageReverse) page.reverse()
  const items = await source.render(page)
  const hasMore = parsed.limit !== null && page.length >= parsed.limit
  return {
    items: items.map(i => selectFields(i as Record<string, unknown>, parsed.fields) as Partial<Item>),
    links: listLinks(baseUrl, query, parsed, page.map(source.keyOf), hasMore),
  }
}
