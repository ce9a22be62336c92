import { nowIso } from '../../common/time.js'
import { ProvisioningStatus } from '../../model/statuses.js'
import type { Executor } from '../database.js'

/** New operating statuses by id, per table (the health manager's changes of one batch). */
export interface OperatingStatusChanges {
  readonly loadBalancers: ReadonlyMap<string, string>
  readonly listeners: ReadonlyMap<string, string>
  readonly pools: ReadonlyMap<string, string>
  readonly members: ReadonlyMap<string, string>
}

const CHUNK = 500

/**
 * Writes operating statuses of objects of many load balancers: one UPDATE
 * per (table, status) and 500 ids, whatever the number of load balancers,
 * ids in sorted order (so two writers lock rows in one order as far as the
 * database follows it). Rows that no longer exist are skipped by the UPDATE;
 * DELETED load balancers are left alone. Returns the number of ids written.
 */
export async function writeOperatingStatusChanges(db: Executor, changes: OperatingStatusChanges): Promise<number> {
  const now = nowIso()
  let written = 0
  const tables = [
    ['load_balancer', changes.loadBalancers], ['listener', changes.listeners], ['pool', changes.pools], ['member', changes.members],
  ] as const
  for (const [table, byId] of tables) {
    for (const [status, ids] of groupByStatus(byId)) {
      for (let i = 0; i < ids.length; i += CHUNK) {
        let q = db.updateTable(table as 'listener').set({ operating_status: status, updated_at: now })
          .where('id', 'in', ids.slice(i, i + CHUNK))
        if (table === 'load_balancer') q = q.where('provisioning_status', '!=', ProvisioningStatus.DELETED)
        await q.execute()
      }
      written += ids.length
    }
  }
  return written
}

function groupByStatus(byId: ReadonlyMap<string, string>): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const [id, status] of byId) {
    const list = out.get(status)
    if (list) list.push(id)
    else out.set(status, [id])
  }
  for (const ids of out.values()) ids.sort()
  return out
}
