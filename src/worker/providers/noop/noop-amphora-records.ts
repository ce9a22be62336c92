import { randomInt, randomUUID } from 'node:crypto'
import { nowIso } from '../../../common/time.js'
import type { NoopAmphoraTarget } from '../../../db/repositories/noop-amphora-repository.js'
import type { AmphoraRow } from '../../../db/schema.js'
import { VRRP_ID, vrrpPriorityOf, type AmphoraRole } from '../../../model/amphora-roles.js'
import { AmphoraStatus } from '../../../model/statuses.js'
import { OCTAVIA_TS_NAMESPACE, uuidV5 } from '../../../common/net/stable-id.js'

/** Server certificates of amphorae are valid for 30 days (Octavia's default). */
const CERT_VALIDITY_MS = 30 * 24 * 3600 * 1000


/**
 * The id of an amphora built by job `jobId` for `slot` (a role or the id of
 * the amphora it replaces): the same on every run of the job, so a task that
 * runs again finds its rows instead of adding more.
 */
export const noopAmphoraId = (jobId: string, slot: string): string => uuidV5(OCTAVIA_TS_NAMESPACE, `noop-amphora:${jobId}:${slot}`)

/**
 * An amphora row as Octavia's noop drivers would leave it once built:
 * ALLOCATED, a fresh compute id and management address (TEST-NET-1), the VIP
 * as VRRP and HA address, the VIP port as HA port, a certificate valid for
 * 30 days; VRRP id 1 (as Octavia records for every role), priority only in ACTIVE_STANDBY.
 */
export function noopAmphoraRow(id: string, loadBalancerId: string, role: AmphoraRole, target: NoopAmphoraTarget): AmphoraRow {
  return {
    id,
    load_balancer_id: loadBalancerId,
    compute_id: randomUUID(),
    status: AmphoraStatus.ALLOCATED,
    lb_network_ip: `192.0.2.${randomInt(1, 255)}`,
    vrrp_ip: target.vipAddress,
    ha_ip: target.vipAddress,
    vrrp_port_id: randomUUID(),
    ha_port_id: target.vipPortId,
    role,
    cert_expiration: new Date(Date.now() + CERT_VALIDITY_MS).toISOString().slice(0, 23),
    cert_busy: 0,
    vrrp_interface: null,
    vrrp_id: VRRP_ID,
    vrrp_priority: vrrpPriorityOf(role),
    cached_zone: null,
    image_id: null,
    compute_flavor: null,
    created_at: nowIso(),
    updated_at: null,
  }
}
