import type { ListColumn } from '../../db/list-query.js'

/** An attribute stored in `column`, filterable and sortable. */
export const col = (column: string, type: ListColumn['type'] = 'string'): ListColumn => ({ column, type })

/** A list or map attribute stored as JSON in `column`: neither filterable nor sortable. */
export const listCol = (column: string): ListColumn => ({ column, type: 'string', filterable: false, sortable: false })

/**
 * The filter and sort keys every provisioned object (listener, pool, member,
 * health monitor, L7 policy and rule) shares; `admin_state_up` is the
 * `enabled` column.
 */
export const PROVISIONED_COLUMNS: Readonly<Record<string, ListColumn>> = {
  id: col('id'),
  project_id: col('project_id'),
  provisioning_status: col('provisioning_status'),
  operating_status: col('operating_status'),
  admin_state_up: col('enabled', 'bool'),
  created_at: col('created_at'),
  updated_at: col('updated_at'),
}
