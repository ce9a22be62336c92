import { immutable, notFound } from '../../common/errors.js'
import type { Executor } from '../database.js'
import type { LoadBalancerRow, PoolRow } from '../schema.js'
import { findPool, poolListenerIds } from './pool-repository.js'
import { setProvisioningStatus, transitionOrThrow } from './status-guard.js'

/** A pool locked for a change of one of its children (member or health monitor). */
export interface LockedPool {
  readonly pool: PoolRow
  readonly loadBalancer: LoadBalancerRow
  /** Listeners that use the pool (set PENDING_UPDATE with it). */
  readonly listenerIds: readonly string[]
}

/**
 * The locking rule of member and health monitor writes (api.md §0.4), inside
 * the caller's transaction: the pool must exist (404 `Pool <id> not found.`)
 * and be ACTIVE (409 `Pool <id> is immutable…`), then the load balancer goes
 * ACTIVE → PENDING_UPDATE (409 `Load Balancer <id> is immutable…`), and the
 * pool and the listeners using it go PENDING_UPDATE. Returns the rows as they
 * were before the change.
 */
export async function lockPoolForChildChange(tx: Executor, poolId: string): Promise<LockedPool> {
  const pool = await findPool(tx, poolId)
  if (!pool) throw notFound('Pool', poolId)
  if (pool.provisioning_status !== 'ACTIVE') throw immutable('Pool', poolId)
  await transitionOrThrow(tx, 'load_balancer', pool.load_balancer_id,
    { from: ['ACTIVE'], to: 'PENDING_UPDATE', resource: 'Load Balancer' })
  // NOTE: re-checked under the load balancer lock: the pool may have changed since the first read.
  await transitionOrThrow(tx, 'pool', poolId, { from: ['ACTIVE'], to: 'PENDING_UPDATE', resource: 'Pool' })
  const loadBalancer = await tx.selectFrom('load_balancer').selectAll()
    .where('id', '=', pool.load_balancer_id).executeTakeFirstOrThrow()
  const listenerIds = (await poolListenerIds(tx, [poolId])).get(poolId) ?? []
  await setProvisioningStatus(tx, 'listener', listenerIds, 'PENDING_UPDATE')
  return { pool, loadBalancer, listenerIds }
}
