import type { Executor } from '../../../db/database.js'
import type { L7RuleRow } from '../../../db/schema.js'
import { renderStatuses, renderTimestamps, renderWithTags, sortedTags } from '../render-common.js'

/** An L7 rule as Octavia's API shows it (L7RuleResponse). */
export interface L7RuleResponse {
  readonly id: string
  readonly type: string
  readonly compare_type: string
  readonly key: string | null
  readonly value: string
  readonly invert: boolean
  readonly provisioning_status: string
  readonly operating_status: string
  readonly created_at: string | null
  readonly updated_at: string | null
  readonly project_id: string | null
  readonly admin_state_up: boolean
  readonly tags: readonly string[]
  readonly [key: string]: unknown
}

/** Renders a rule row with its tags. */
export function renderL7Rule(row: L7RuleRow, tags: readonly string[]): L7RuleResponse {
  return {
    id: row.id,
    type: row.type,
    compare_type: row.compare_type,
    key: row.key,
    value: row.value,
    invert: row.invert === 1,
    ...renderStatuses(row),
    ...renderTimestamps(row),
    project_id: row.project_id,
    admin_state_up: row.enabled === 1,
    tags: sortedTags(tags),
  }
}

/** Renders many rule rows, loading their tags in one go. */
export const renderL7Rules = (db: Executor, rows: readonly L7RuleRow[]): Promise<L7RuleResponse[]> =>
  renderWithTags(db, rows, renderL7Rule)
