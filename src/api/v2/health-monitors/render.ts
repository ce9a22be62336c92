import type { Executor } from '../../../db/database.js'
import type { HealthMonitorRow } from '../../../db/schema.js'
import { renderStatuses, renderTimestamps, renderWithTags, sortedTags } from '../render-common.js'

/** A health monitor as Octavia's API shows it (HealthMonitorResponse). */
export interface HealthMonitorResponse {
  readonly id: string
  readonly name: string
  readonly type: string
  readonly delay: number
  readonly timeout: number
  readonly max_retries: number
  readonly max_retries_down: number
  readonly http_method: string | null
  readonly url_path: string | null
  readonly expected_codes: string | null
  readonly admin_state_up: boolean
  readonly project_id: string | null
  readonly pools: readonly { readonly id: string }[]
  readonly provisioning_status: string
  readonly operating_status: string
  readonly created_at: string | null
  readonly updated_at: string | null
  readonly tags: readonly string[]
  readonly http_version: number | null
  readonly domain_name: string | null
  readonly [key: string]: unknown
}

/** Renders a health monitor row with its tags; max_retries(_down) come from rise/fall_threshold. */
export function renderHealthMonitor(row: HealthMonitorRow, tags: readonly string[]): HealthMonitorResponse {
  return {
    id: row.id,
    name: row.name ?? '',
    type: row.type,
    delay: row.delay,
    timeout: row.timeout,
    max_retries: row.rise_threshold,
    max_retries_down: row.fall_threshold,
    http_method: row.http_method,
    url_path: row.url_path,
    expected_codes: row.expected_codes,
    admin_state_up: row.enabled === 1,
    project_id: row.project_id,
    pools: [{ id: row.pool_id }],
    ...renderStatuses(row),
    ...renderTimestamps(row),
    tags: sortedTags(tags),
    // NOTE: PostgreSQL `real` is float4; round to the stored precision of 1.0/1.1.
    http_version: row.http_version === null ? null : Math.round(Number(row.http_version) * 10) / 10,
    domain_name: row.domain_name,
  }
}

/** Renders many health monitor rows, loading their tags in one go. */
export const renderHealthMonitors = (db: Executor, rows: readonly HealthMonitorRow[]): Promise<HealthMonitorResponse[]> =>
  renderWithTags(db, rows, renderHealthMonitor)
