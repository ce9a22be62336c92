import { nowIso } from '../../common/time.js'

/**
 * The columns every object the API creates starts with: its id and project,
 * PENDING_CREATE until the worker is done with it, `operatingStatus`
 * (OFFLINE unless told), `enabled` as the resource reads admin_state_up,
 * created now and never updated yet.
 */
export function pendingCreateColumns(id: string, projectId: string | null, enabled: boolean, operatingStatus = 'OFFLINE') {
  return {
    id,
    project_id: projectId,
    provisioning_status: 'PENDING_CREATE',
    operating_status: operatingStatus,
    enabled: enabled ? 1 : 0,
    created_at: nowIso(),
    updated_at: null,
  }
}
