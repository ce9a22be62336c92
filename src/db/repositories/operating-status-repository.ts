import { nowIso } from '../../common/time.js'
import type { Executor } from '../database.js'

/** Operating statuses of a load balancer and its listeners, pools and members, by id. */
export interface StoredOperatingStatuses {
  readonly loadBalancer: string
  readonly listeners: Readonly<Record<string, string>>
  readonly pools: Readonly<Record<string, string>>
  readonly members: Readonly<Record<string, string>>
}

const byId = (rows: readonly { id: string; operating_status: string }[]): Record<string, string> =>
  Object.fromEntries(rows.map(r => [r.id, r.operating_status]))

/** The stored operating statuses below a load balancer, or null when it does not exist. */
export async function readOperatingStatuses(db: Executor, loadBalancerId: string): Promise<StoredOperatingStatuses | null> {
  const lb = await db.selectFrom('load_balancer').select('operating_status').where('id', '=', loadBalancerId).executeTakeFirst()
  if (!lb) return null
  const listeners = await db.selectFrom('listener').select(['id', 'operating_status']).where('load_balancer_id', '=', loadBalancerId).execute()
  const pools = await db.selectFrom('pool').select(['id', 'operating_status']).where('load_balancer_id', '=', loadBalancerId).execute()
  const members = pools.length === 0 ? [] : await db.selectFrom('member').select(['id', 'operating_status'])
    .where('pool_id', 'in', pools.map(p => p.id)).execute()
  return { loadBalancer: lb.operating_status, listeners: byId(listeners), pools: byId(pools), members: byId(members) }
}

/**
 * Writes the statuses in `next` that differ from `current` (rows that no
 * longer exist are skipped by the UPDATE). Groups rows by status: a handful
 * of statements whatever the size of the load balancer.
 */
export async function writeOperatingStatuses(
  db: Executor, loadBalancerId: string, current: StoredOperatingStatuses, next: StoredOperatingStatuses,
): Promise<number> {
  let written = 0
  const now = nowIso()
  if (next.loadBalancer !== current.loadBalancer) {
    await db.updateTable('load_balancer').set({ operating_status: next.loadBalancer, updated_at: now })
      .where('id', '=', loadBalancerId).where('provisioning_status', '!=', 'DELETED').execute()
    written += 1
  }
  for (const table of ['listener', 'pool', 'member'] as const) {
    const want = table === 'listener' ? next.listeners : table === 'pool' ? next.pools : next.members
    const have = table === 'listener' ? current.listeners : table === 'pool' ? current.pools : current.members
    const groups = new Map<string, string[]>()
    for (const [id, status] of Object.entries(want)) {
      if (have[id] === undefined || have[id] === status) continue
      const list = groups.get(status)
      if (list) list.push(id)
      else groups.set(status, [id])
    }
    for (const [status, ids] of groups) {
      for (let i = 0; i < ids.length; i += 500) {
        await db.updateTable(table as 'listener').set({ operating_status: status, updated_at: now })
          .where('id', 'in', ids.slice(i, i + 500)).execute()
      }
      written += ids.length
    }
  }
  return written
}
