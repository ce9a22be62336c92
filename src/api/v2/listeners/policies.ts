import type { Transaction } from 'kysely'
import { LbaasError, validationFailure } from '../../../common/errors.js'
import type { DB, ListenerRow, LoadBalancerRow } from '../../../db/schema.js'
import type { ApiDeps } from '../../deps.js'
import { insertL7Policy } from '../l7policies/insert.js'
import type { L7PolicyCreate } from '../l7policies/schema.js'
import { insertPool } from '../pools/insert.js'
import type { PoolCreate, PoolSingleCreate } from '../pools/schema.js'
import type { ListenerL7PolicyCreate } from './schema.js'

/** Who the inserted objects belong to, and the request's Keystone token (null without one). */
interface Owner {
  readonly projectId: string
  readonly authToken: string | null
}

/**
 * Inserts the L7 policies embedded in a listener create, in order, through
 * insertL7Policy. A policy's `redirect_pool` is either a full pool definition
 * (created here on the listener's load balancer) or a name reference to a pool
 * created by the same request (`poolIdsByName`, e.g. the listener's embedded
 * default pool); an unknown name is Octavia's 400 `Missing details for Pool
 * object: <name>`. A load balancer graph create passes `redirect_pool_id`.
 * `owner` is the objects' project and the request's token (for the pools'
 * certificate references).
 */
export async function insertListenerPolicies(
  tx: Transaction<DB>, deps: ApiDeps, lb: LoadBalancerRow, listener: ListenerRow,
  policies: readonly ListenerL7PolicyCreate[], owner: Owner, poolIdsByName: ReadonlyMap<string, string>,
): Promise<void> {
  for (const policy of policies) {
    const { redirect_pool: redirectPool, ...rest } = policy
    const body = { ...rest } as L7PolicyCreate
    if (redirectPool) body.redirect_pool_id = await redirectPoolId(tx, deps, lb, redirectPool as PoolSingleCreate, owner, poolIdsByName)
    await insertL7Policy(tx, deps, { listener, loadBalancer: lb }, body, owner.projectId)
  }
}

async function redirectPoolId(
  tx: Transaction<DB>, deps: ApiDeps, lb: LoadBalancerRow, pool: PoolSingleCreate, owner: Owner,
  poolIdsByName: ReadonlyMap<string, string>,
): Promise<string> {
  if (pool.protocol != null && pool.lb_algorithm != null) return insertPool(tx, deps, lb, pool as PoolCreate, owner.projectId, owner.authToken)
  const id = pool.name ? poolIdsByName.get(pool.name) : undefined
  if (id) return id
  if (!pool.name) throw validationFailure('Pools must be named when creating a fully populated loadbalancer.')
  throw new LbaasError('single_create_details_missing', 400, `Missing details for Pool object: ${pool.name}`)
}
