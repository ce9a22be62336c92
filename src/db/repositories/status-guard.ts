import { conflict, immutable, notFound } from '../../common/errors.js'
import { nowIso } from '../../common/time.js'
import type { Executor } from '../database.js'

/** Tables whose rows carry a provisioning_status. */
export type StatusTable = 'load_balancer' | 'listener' | 'pool' | 'member' | 'health_monitor' | 'l7policy' | 'l7rule'

export interface Transition {
  readonly from: readonly string[]
  readonly to: string
  /** Resource name in messages: 'Load Balancer', 'Listener', 'Pool', 'Member', 'Health Monitor', 'L7Policy', 'L7Rule'. */
  readonly resource: string
  /** Message when the row is not in `from` (default: Octavia's "is immutable" 409). */
  readonly conflictMessage?: (status: string) => string
}

/**
 * The status guard (STYLE.md R8): one conditional UPDATE sets the new
 * provisioning status only if the row is in one of `from`. Atomic on both
 * SQLite and PostgreSQL (a concurrent writer blocks, then re-checks the
 * condition), so two requests can never both lock one load balancer.
 * Throws 404 when the row does not exist (or is DELETED), 409 otherwise.
 */
export async function transitionOrThrow(tx: Executor, table: StatusTable, id: string, t: Transition): Promise<void> {
  const res = await tx.updateTable(table as 'load_balancer')
    .set({ provisioning_status: t.to, updated_at: nowIso() })
    .where('id', '=', id)
    .where('provisioning_status', 'in', [...t.from])
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) === 1) return
  const row = await tx.selectFrom(table as 'load_balancer').select('provisioning_status').where('id', '=', id).executeTakeFirst()
  if (!row || row.provisioning_status === 'DELETED') throw notFound(t.resource, id)
  throw t.conflictMessage ? conflict(t.conflictMessage(row.provisioning_status), 'immutable') : immutable(t.resource, id)
}

/** Sets a provisioning status without a guard (the worker, or rows already locked through their LB). */
export async function setProvisioningStatus(tx: Executor, table: StatusTable, ids: readonly string[], status: string): Promise<void> {
  if (ids.length === 0) return
  await tx.updateTable(table as 'load_balancer')
    .set({ provisioning_status: status, updated_at: nowIso() })
    .where('id', 'in', [...ids])
    .execute()
}
