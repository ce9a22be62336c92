import { sql } from 'kysely'
import { nowIso } from '../../common/time.js'
import { OperatingStatus, ProvisioningStatus } from '../../model/statuses.js'
import type { Executor } from '../database.js'
import type { StatusTable } from './status-guard.js'

/** Tables whose operating status the worker derives from `enabled` (no heartbeat reports them). */
const ENABLED_DRIVEN: ReadonlySet<StatusTable> = new Set(['health_monitor', 'l7policy', 'l7rule'])

const PENDING = [ProvisioningStatus.PENDING_CREATE, ProvisioningStatus.PENDING_UPDATE, ProvisioningStatus.PENDING_DELETE]

/**
 * Sets rows ACTIVE after a successful operation. Operating status: health
 * monitors, L7 policies and L7 rules become ONLINE when enabled, else OFFLINE;
 * load balancers, listeners, pools and members keep theirs (heartbeats own
 * it) unless disabled, which shows OFFLINE. `onlyPending` limits the change
 * to rows still PENDING_* (objects created along with a graph).
 */
export async function markActive(db: Executor, table: StatusTable, ids: readonly string[], onlyPending = false): Promise<void> {
  if (ids.length === 0) return
  const t = table as 'listener'
  let q = db.updateTable(t).where('id', 'in', [...ids])
  if (onlyPending) q = q.where('provisioning_status', 'in', PENDING)
  if (ENABLED_DRIVEN.has(table)) {
    await q.set({
      provisioning_status: ProvisioningStatus.ACTIVE,
      operating_status: sql<string>`CASE WHEN enabled = 1 THEN ${OperatingStatus.ONLINE} ELSE ${OperatingStatus.OFFLINE} END`,
      updated_at: nowIso(),
    }).execute()
    return
  }
  await q.set({
    provisioning_status: ProvisioningStatus.ACTIVE,
    operating_status: sql<string>`CASE WHEN enabled = 0 THEN ${OperatingStatus.OFFLINE} ELSE operating_status END`,
    updated_at: nowIso(),
  }).execute()
}

/** Sets rows ERROR (revert of a failed operation); `onlyPending` leaves settled rows alone. */
export async function markError(db: Executor, table: StatusTable, ids: readonly string[], onlyPending = false): Promise<void> {
  if (ids.length === 0) return
  let q = db.updateTable(table as 'listener').set({ provisioning_status: ProvisioningStatus.ERROR, updated_at: nowIso() })
    .where('id', 'in', [...ids])
  if (onlyPending) q = q.where('provisioning_status', 'in', PENDING)
  await q.execute()
}

/** Sets parents back to ACTIVE after an operation on a child, whether it succeeded or failed. */
export async function markParentsActive(db: Executor, table: StatusTable, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return
  await db.updateTable(table as 'listener').set({ provisioning_status: ProvisioningStatus.ACTIVE, updated_at: nowIso() })
    .where('id', 'in', [...ids]).where('provisioning_status', '!=', ProvisioningStatus.DELETED)
    .execute()
}

/** Marks a load balancer DELETED (its row stays until housekeeping purges it). */
export async function markLoadBalancerDeleted(db: Executor, loadBalancerId: string): Promise<void> {
  await db.updateTable('load_balancer')
    .set({ provisioning_status: ProvisioningStatus.DELETED, operating_status: OperatingStatus.OFFLINE, updated_at: nowIso() })
    .where('id', '=', loadBalancerId).execute()
}

/** Members of a pool lose their monitor: operating status NO_MONITOR. */
export async function markPoolMembersUnmonitored(db: Executor, poolId: string): Promise<void> {
  await db.updateTable('member').set({ operating_status: OperatingStatus.NO_MONITOR, updated_at: nowIso() })
    .where('pool_id', '=', poolId).execute()
}
