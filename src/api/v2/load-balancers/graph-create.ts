import type { Transaction } from 'kysely'
import { LbaasError, validationFailure } from '../../../common/errors.js'
import type { DB, LoadBalancerRow } from '../../../db/schema.js'
import type { ApiDeps } from '../../deps.js'
import { insertListener } from '../listeners/insert.js'
import type { ListenerCreate } from '../listeners/schema.js'
import { insertPool } from '../pools/insert.js'
import type { PoolCreate, PoolSingleCreate } from '../pools/schema.js'

/** Ids of the children a single-call create inserted, in request order. */
export interface GraphIds {
  readonly listenerIds: readonly string[]
  readonly poolIds: readonly string[]
}

type PolicyBody = NonNullable<ListenerCreate['l7policies']>[number] & { redirect_pool?: PoolSingleCreate | null }

/** Attributes a name-only pool reference may carry besides its name (WSME fills their defaults). */
const REFERENCE_KEYS = new Set(['name', 'admin_state_up', 'tls_enabled'])

/** A pool object with more than a name (and defaulted flags) is a full definition, else a reference. */
const isDefinition = (pool: PoolSingleCreate): boolean => Object.keys(pool).some(k => !REFERENCE_KEYS.has(k))

const unnamed = () => validationFailure('Pools must be named when creating a fully populated loadbalancer.')

/**
 * Splits the pools embedded in listeners (default_pool, l7policies[].redirect_pool)
 * into definitions (moved to the pool list) and name references, as Octavia
 * does. Returns the listeners with name-only references left in place.
 */
function collectPools(listeners: readonly ListenerCreate[], pools: PoolSingleCreate[], required: Set<string>): ListenerCreate[] {
  const take = (pool: PoolSingleCreate | null | undefined): PoolSingleCreate | null => {
    if (!pool) return null
    if (!pool.name) throw unnamed()
    if (isDefinition(pool)) pools.push(pool)
    else required.add(pool.name)
    return { name: pool.name }
  }
  return listeners.map(li => ({
    ...li,
    default_pool: take(li.default_pool),
    l7policies: (li.l7policies ?? []).map(p => ({ ...(p as PolicyBody), redirect_pool: take((p as PolicyBody).redirect_pool) })),
  }))
}

/** Replaces name references with the new pools' ids. */
function resolveReferences(li: ListenerCreate, poolIds: ReadonlyMap<string, string>): ListenerCreate {
  const idOf = (name: string): string => {
    const id = poolIds.get(name)
    if (!id) throw new LbaasError('single_create_details_missing', 400, `Missing details for Pool object: ${name}`)
    return id
  }
  const { default_pool: defaultPool, l7policies, ...rest } = li
  return {
    ...rest,
    ...(defaultPool?.name ? { default_pool_id: idOf(defaultPool.name) } : {}),
    l7policies: (l7policies ?? []).map(p => {
      const { redirect_pool: redirect, ...policy } = p as PolicyBody
      return redirect?.name ? { ...policy, redirect_pool_id: idOf(redirect.name) } : policy
    }),
  }
}

/**
 * The single-call ("fully populated") part of a load balancer create, inside
 * its transaction: pools first (each must be named, names unique, every
 * reference defined, protocol and lb_algorithm given), then listeners with
 * their default pool and L7 policies resolved by pool name. Every object is
 * PENDING_CREATE; the caller records the one loadbalancer_create job.
 * Certificate references are read with the request's `authToken` (null
 * without Keystone) on behalf of the load balancer's project.
 * Throws Octavia's 400s; the caller's transaction then writes nothing.
 */
export async function createGraph(
  tx: Transaction<DB>, deps: ApiDeps, lb: LoadBalancerRow,
  listeners: readonly ListenerCreate[], topPools: readonly PoolSingleCreate[], authToken: string | null,
): Promise<GraphIds> {
  if (listeners.length === 0 && topPools.length === 0) return { listenerIds: [], poolIds: [] }
  const projectId = lb.project_id ?? ''
  const pools = [...topPools]
  const required = new Set<string>()
  const normalized = collectPools(listeners, pools, required)
  const names = pools.map(p => p.name ?? null)
  if (new Set(names).size !== names.length) {
    throw validationFailure('Pool names must be unique when creating a fully populated loadbalancer.')
  }
  for (const ref of required) {
    if (!names.includes(ref)) throw validationFailure(`Pool '${ref}' was referenced but no full definition was found.`)
  }
  const poolIds = new Map<string, string>()
  const createdPools: string[] = []
  for (const pool of pools) {
    for (const attr of ['protocol', 'lb_algorithm'] as const) {
      if (pool[attr] == null) throw validationFailure(`Pool definition for '${pool.name ?? 'None'}' missing required attribute: ${attr}`)
    }
    const id = await insertPool(tx, deps, lb, pool as PoolCreate, projectId, authToken)
    createdPools.push(id)
    if (pool.name) poolIds.set(pool.name, id)
  }
  const createdListeners: string[] = []
  for (const li of normalized) {
    createdListeners.push(await insertListener(tx, deps, lb, resolveReferences(li, poolIds), projectId, authToken))
  }
  return { listenerIds: createdListeners, poolIds: createdPools }
}
