import type { Executor } from '../database.js'
import type { AdditionalVipRow, VipRow } from '../schema.js'

/**
 * The `vip` and `additional_vip` rows of a load balancer as the amphora
 * flows read them (plugging, VRRP, the amphora's own port). Read-only; the
 * API writes these rows along with the load balancer
 * (load-balancer-repository.ts). Pass a transaction to read inside one.
 */

/** Reads the `vip` row of a load balancer; undefined when it has none. */
export function findVip(db: Executor, loadBalancerId: string): Promise<VipRow | undefined> {
  return db.selectFrom('vip').selectAll().where('load_balancer_id', '=', loadBalancerId).executeTakeFirst()
}

/** Reads the `additional_vip` rows of a load balancer, in no particular order (empty when none). */
export function additionalVipsOf(db: Executor, loadBalancerId: string): Promise<AdditionalVipRow[]> {
  return db.selectFrom('additional_vip').selectAll().where('load_balancer_id', '=', loadBalancerId).execute()
}

/** Reads `vip.network_id` of a load balancer; null when it has no VIP row or the row no network. */
export async function vipNetworkId(db: Executor, loadBalancerId: string): Promise<string | null> {
  const vip = await db.selectFrom('vip').select('network_id').where('load_balancer_id', '=', loadBalancerId).executeTakeFirst()
  return vip?.network_id ?? null
}
