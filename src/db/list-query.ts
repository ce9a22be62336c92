import type { SelectQueryBuilder, ExpressionBuilder, Expression, SqlBool } from 'kysely'
import type { DB } from './schema.js'

/** How one API attribute maps to a column of the listed table, for filters and sorting. */
export interface ListColumn {
  readonly column: string
  readonly type: 'string' | 'int' | 'bool' | 'float'
  readonly sortable?: boolean
  readonly filterable?: boolean
}

/** A parsed list request (see src/api/list/list-params.ts), already checked against the columns. */
export interface ListSpec {
  readonly limit: number | null // null: unlimited
  readonly marker: Readonly<Record<string, unknown>> | null // the marker row (column → value)
  readonly pageReverse: boolean
  readonly sort: readonly { readonly column: string; readonly dir: 'asc' | 'desc' }[]
  readonly filters: readonly { readonly column: string; readonly value: unknown }[]
  readonly tags: TagFilters
}

export interface TagFilters {
  readonly all: readonly string[] // `tags`
  readonly any: readonly string[] // `tags-any`
  readonly notAll: readonly string[] // `not-tags`
  readonly notAny: readonly string[] // `not-tags-any`
}

/**
 * Applies filters, tag filters, keyset pagination and ordering to a select on
 * one table. `created_at` then `id` are always appended as tie-breakers, as
 * Octavia does. With `pageReverse` the directions are flipped: the caller
 * reverses the rows it gets back. Fetches `limit + 1` rows so the caller can
 * tell whether a next page exists. `tieBreakers` replaces `created_at, id`
 * for tables keyed otherwise (e.g. availability zones by name).
 */
export function applyListSpec<T extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, T, O>, table: T, spec: ListSpec,
  tieBreakers: readonly string[] = ['created_at', 'id'],
): SelectQueryBuilder<DB, T, O> {
  let q = qb
  // NOTE: a dotted column (e.g. `vip.ip_address`) names a joined table's column as is.
  const ref = (col: string) => (col.includes('.') ? col : `${String(table)}.${col}`) as any
  for (const f of spec.filters) {
    q = f.value === null ? q.where(ref(f.column), 'is', null) : q.where(ref(f.column), '=', f.value as any)
  }
  q = applyTagFilters(q, table, spec.tags)
  const keys = orderKeys(spec, tieBreakers)
  if (spec.marker) {
    const marker = spec.marker
    q = q.where((eb: ExpressionBuilder<DB, T>) => eb.or(keys.map((k, i) => eb.and([
      ...keys.slice(0, i).map(p => eb(ref(p.column), '=', marker[p.column] as any)),
      eb(ref(k.column), k.dir === 'asc' ? '>' : '<', marker[k.column] as any),
    ]))))
  }
  for (const k of keys) q = q.orderBy(ref(k.column), k.dir)
  if (spec.limit !== null) q = q.limit(spec.limit + 1)
  return q
}

function orderKeys(spec: ListSpec, tieBreakers: readonly string[]): { column: string; dir: 'asc' | 'desc' }[] {
  const keys = [...spec.sort]
  for (const tie of tieBreakers) if (!keys.some(k => k.column === tie)) keys.push({ column: tie, dir: 'asc' })
  return spec.pageReverse ? keys.map(k => ({ column: k.column, dir: k.dir === 'asc' ? 'desc' : 'asc' })) : keys
}

function applyTagFilters<T extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, T, O>, table: T, tags: TagFilters,
): SelectQueryBuilder<DB, T, O> {
  let q = qb
  const idRef = `${String(table)}.id` as any
  const has = (eb: ExpressionBuilder<DB, T>, tag: string): Expression<SqlBool> =>
    eb.exists((eb as any).selectFrom('tag').select('tag.tag')
      .whereRef('tag.resource_id', '=', idRef).where('tag.tag', '=', tag))
  if (tags.all.length) q = q.where(eb => eb.and(tags.all.map(t => has(eb, t))))
  if (tags.any.length) q = q.where(eb => eb.or(tags.any.map(t => has(eb, t))))
  if (tags.notAll.length) q = q.where(eb => eb.not(eb.and(tags.notAll.map(t => has(eb, t)))))
  if (tags.notAny.length) q = q.where(eb => eb.not(eb.or(tags.notAny.map(t => has(eb, t)))))
  return q
}
