import { randomInt, randomUUID } from 'node:crypto'
import { nowIso } from '../../../common/time.js'
import type { NoopAmphoraTarget } from '../../../db/repositories/noop-amphora-repository.js'
import type { AmphoraRow } from '../../../db/schema.js'
import { AmphoraStatus } from '../../../model/statuses.js'
import { OCTAVIA_TS_NAMESPACE, uuidV5 } from '../../../network/stable-id.js'

/** Amphora roles (Octavia constants). */
export const AmphoraRole = { MASTER: 'MASTER', BACKUP: 'BACKUP', STANDALONE: 'STANDALONE' } as const
export type AmphoraRole = typeof AmphoraRole[keyof typeof AmphoraRole]

/** Octavia's VRRP priorities: MASTER 100, BACKUP 90; STANDALONE has none. */
const PRIORITY: Readonly<Record<AmphoraRole, number | null>> = { MASTER: 100, BACKUP: 90, STANDALONE: null }

/** Server certificates of amphorae are valid for 30 days (Octavia's default). */
const CERT_VALIDITY_MS = 30 * 24 * 3600 * 1000

/** The roles a topology's amphorae take: SINGLE one STANDALONE, ACTIVE_STANDBY a MASTER and a BACKUP. */
export const rolesOf = (topology: string | null): readonly AmphoraRole[] =>
  (topology === 'ACTIVE_STANDBY' ? [AmphoraRole.MASTER, AmphoraRole.BACKUP] : [AmphoraRole.STANDALONE])

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
 * 30 days; VRRP priority and id only in ACTIVE_STANDBY.
 */
export function noopAmphoraRow(id: string, loadBalancerId: string, role: AmphoraRole, target: NoopAmphoraTarget): AmphoraRow {
  const standalone = role === AmphoraRole.STANDALONE
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
    vrrp_id: standalone ? null : 1,
    vrrp_priority: PRIORITY[role],
    cached_zone: null,
    image_id: null,
    compute_flavor: null,
    created_at: nowIso(),
    updated_at: null,
  }
}

/** The role of an existing amphora row as one of ours (unknown or null roles count as STANDALONE). */
export const roleOf = (role: string | null): AmphoraRole =>
  (role === AmphoraRole.MASTER || role === AmphoraRole.BACKUP ? role : AmphoraRole.STANDALONE)
