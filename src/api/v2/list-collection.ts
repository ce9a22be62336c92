import type { FastifyRequest } from 'fastify'
import type { Executor } from '../../db/database.js'
import type { ListColumn, ListSpec, TagFilters } from '../../db/list-query.js'
import { listScope } from '../auth/authorize.js'
import type { ApiDeps } from '../deps.js'
import type { Link } from '../list/list-links.js'
import { listPage } from '../list/list-page.js'
import { parseListQuery, type Query } from '../list/list-params.js'
import type { GlobalListResource } from '../policy/default-rules.js'
import { linkBase } from './link-base.js'

/** How one v2 collection is read for its GET (see listCollection). */
export interface Collection<Row, Item> {
  /** API attribute → column, for filters and sort keys. */
  readonly columns: Readonly<Record<string, ListColumn>>
  /** The target of listScope (RBAC of a top-level list); null when the caller already authorized a parent. */
  readonly policy: GlobalListResource | null
  /** The marker row of a `marker=` key; undefined when unknown (400). */
  find(db: Executor, key: string): Promise<unknown>
  /** The rows after the marker in the requested order; `scope` is listScope's project (null: every project). */
  list(db: Executor, spec: ListSpec, scope: string | null): Promise<Row[]>
  /** Renders one page's rows, in order. */
  render(db: Executor, rows: Row[]): Item[] | Promise<Item[]>
  /** The key `marker=` takes (default: the row's id). */
  readonly keyOf?: (row: Row) => string
}

/** Tag filters that match every row, for collections without tags (flavors, zones, profiles, quotas). */
export const NO_TAG_FILTERS: TagFilters = { all: [], any: [], notAll: [], notAny: [] }

/** `spec` restricted to the `scope` project by a `project_id` filter (as is when null), for repositories that take no scope. */
export const scopedTo = (spec: ListSpec, scope: string | null): ListSpec =>
  scope === null ? spec : { ...spec, filters: [...spec.filters, { column: 'project_id', value: scope }] }

const idOf = (row: unknown): string => (row as { readonly id: string }).id

/**
 * One page of a collection GET, in Octavia's order: parses the query against
 * the columns (400s of parseListQuery), then scopes it (403s of listScope),
 * then pages it (see listPage). The caller wraps the answer in its envelope
 * `{<plural>: items, <plural>_links: links}`.
 */
export async function listCollection<Row, Item extends object>(
  deps: ApiDeps, req: FastifyRequest, c: Collection<Row, Item>, baseUrl: string = linkBase(deps, req),
): Promise<{ items: Partial<Item>[]; links: Link[] }> {
  const query = req.query as Query
  const parsed = parseListQuery(query, c.columns, deps.config.api_settings.pagination_max_limit)
  const scope = c.policy === null ? null : listScope(req.caller, c.policy, query)
  const db = deps.database.db
  return listPage(parsed, query, baseUrl, {
    findMarker: key => c.find(db, key),
    fetch: marker => c.list(db, { ...parsed.spec, marker }, scope),
    render: rows => c.render(db, rows),
    keyOf: c.keyOf ?? idOf,
  })
}
