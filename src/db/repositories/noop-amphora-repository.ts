import { nowIso } from '../../common/time.js'
import { AmphoraStatus } from '../../model/statuses.js'
import type { Executor } from '../database.js'
import type { AmphoraRow } from '../schema.js'

/**
 * The amphora records the noop provider keeps (no data plane: the rows are
 * all there is). Used by its worker tasks only.
 */

/** What the noop provider needs of a load balancer to give it amphorae. */
export interface NoopAmphoraTarget {
  readonly topology: string | null
  readonly vipAddress: string | null
  readonly vipPortId: string | null
}

/** The topology and VIP of a load balancer, or undefined when it has no row. */
export async function noopAmphoraTarget(db: Executor, loadBalancerId: string): Promise<NoopAmphoraTarget | undefined> {
  const row = await db.selectFrom('load_balancer').leftJoin('vip', 'vip.load_balancer_id', 'load_balancer.id')
    .select(['load_balancer.topology', 'vip.ip_address', 'vip.port_id'])
    .where('load_balancer.id', '=', loadBalancerId).executeTakeFirst()
  return row && { topology: row.topology, vipAddress: row.ip_address, vipPortId: row.port_id }
}

/** One amphora row in any status, or undefined. */
export async function amphoraById(db: Executor, id: string): Promise<AmphoraRow | undefined> {
  return db.selectFrom('amphora').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Whether any of `ids` already exists (a task that ran before inserted them). */
export async function anyAmphoraExists(db: Executor, ids: readonly string[]): Promise<boolean> {
  if (ids.length === 0) return false
  const row = await db.selectFrom('amphora').select('id').where('id', 'in', [...ids]).executeTakeFirst()
  return row !== undefined
}

/** The amphorae of a load balancer that are not DELETED, oldest first. */
export async function liveAmphoraeOf(db: Executor, loadBalancerId: string): Promise<AmphoraRow[]> {
  return db.selectFrom('amphora').selectAll().where('load_balancer_id', '=', loadBalancerId)
    .where('status', '!=', AmphoraStatus.DELETED).orderBy('created_at').orderBy('id').execute()
}

/** Inserts amphora rows. */
export async function insertAmphorae(db: Executor, rows: readonly AmphoraRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('amphora').values([...rows]).execute()
}

/** Every amphora of a load balancer that is not DELETED becomes DELETED. */
export async function markAmphoraeOfDeleted(db: Executor, loadBalancerId: string): Promise<void> {
  await db.updateTable('amphora').set({ status: AmphoraStatus.DELETED, updated_at: nowIso() })
    .where('load_balancer_id', '=', loadBalancerId).where('status', '!=', AmphoraStatus.DELETED).execute()
}
