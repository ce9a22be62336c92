import { renderTime } from '../../common/time.js'
import type { Executor } from '../../db/database.js'
import { tagsOf } from '../../db/repositories/tag-repository.js'

/** The columns every provisioned object (load balancer and its children) renders the same way. */
export interface ProvisionedRow {
  readonly id: string
  readonly provisioning_status: string
  readonly operating_status: string
  readonly enabled: number
  readonly created_at: string
  readonly updated_at: string | null
}

/** A provisioned object that also has a name and a description (load balancer, listener, pool, L7 policy). */
export interface DescribedRow extends ProvisionedRow {
  readonly name: string | null
  readonly description: string | null
}

/** `provisioning_status` then `operating_status`, as Octavia orders them in most views. */
export const renderStatuses = (row: ProvisionedRow) => ({
  provisioning_status: row.provisioning_status,
  operating_status: row.operating_status,
})

/** `created_at` then `updated_at`, as Octavia shows them (see renderTime). */
export const renderTimestamps = (row: ProvisionedRow) => ({
  created_at: renderTime(row.created_at),
  updated_at: renderTime(row.updated_at),
})

/**
 * The fields that open the views of load balancers, listeners, pools and L7
 * policies, in Octavia's order: id, name and description (null → ""), both
 * statuses, admin_state_up.
 */
export const renderDescribedHead = (row: DescribedRow) => ({
  id: row.id,
  name: row.name ?? '',
  description: row.description ?? '',
  ...renderStatuses(row),
  admin_state_up: row.enabled === 1,
})

/** An object's tags as every view shows them: sorted. */
export const sortedTags = (tags: readonly string[]): string[] => [...tags].sort()

/** Renders `rows` in order with `render(row, tags)`, loading the tags of all rows in one query. */
export async function renderWithTags<R extends { readonly id: string }, V>(
  db: Executor, rows: readonly R[], render: (row: R, tags: readonly string[]) => V,
): Promise<V[]> {
  const tags = await tagsOf(db, rows.map(r => r.id))
  return rows.map(r => render(r, tags.get(r.id) ?? []))
}
