import { renderTime } from '../../../common/time.js'
import type { MemberRow } from '../../../db/schema.js'

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
    created_at: renderTime(row.created_at),
    updated_at: renderTime(row.updated_at),
    monitor_address: row.monitor_address,
    monitor_port: row.monitor_port,
    tags: [...tags].sort(),
    vnic_type: row.vnic_type,
  }
}
