import type { Executor } from '../../../db/database.js'
import type { MemberRow } from '../../../db/schema.js'
import { renderTimestamps, renderWithTags, sortedTags } from '../render-common.js'

/** A member as Octavia's API shows it (MemberResponse). */
export interface MemberResponse {
  readonly id: string
  readonly name: string
  readonly operating_status: string
  readonly provisioning_status: string
  readonly admin_state_up: boolean
  readonly address: string
  readonly protocol_port: number
  readonly weight: number
  readonly backup: boolean
  readonly subnet_id: string | null
  readonly project_id: string | null
  readonly created_at: string | null
  readonly updated_at: string | null
  readonly monitor_address: string | null
  readonly monitor_port: number | null
  readonly tags: readonly string[]
  readonly vnic_type: string
  readonly [key: string]: unknown
}

/** Renders a member row with its tags (sorted by the caller, see tagsOf). */
export function renderMember(row: MemberRow, tags: readonly string[]): MemberResponse {
  return {
    id: row.id,
    name: row.name ?? '',
    operating_status: row.operating_status,
    provisioning_status: row.provisioning_status,
    admin_state_up: row.enabled === 1,
    address: row.ip_address,
    protocol_port: row.protocol_port,
    weight: row.weight,
    backup: row.backup === 1,
    subnet_id: row.subnet_id,
    project_id: row.project_id,
    ...renderTimestamps(row),
    monitor_address: row.monitor_address,
    monitor_port: row.monitor_port,
    tags: sortedTags(tags),
    vnic_type: row.vnic_type,
  }
}

/** Renders many member rows, loading their tags in one go. */
export const renderMembers = (db: Executor, rows: readonly MemberRow[]): Promise<MemberResponse[]> =>
  renderWithTags(db, rows, renderMember)
