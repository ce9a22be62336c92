import { badRequest, notFound, providerUnsupported } from '../../../common/errors.js'
import type { Executor } from '../../../db/database.js'
import { findRedirectPool, type ListenerWithLoadBalancer } from '../../../db/repositories/l7policy-repository.js'
import type { ListenerRow } from '../../../db/schema.js'
import { checkPoolProtocol } from '../listeners/protocols.js'

/** Providers built on amphorae (HAProxy), which apply L7 policies only to HTTP listeners. */
const AMPHORA_PROVIDERS: ReadonlySet<string> = new Set(['amphora', 'amphorav2', 'octavia'])
/** Listener protocols the amphora provider supports L7 policies on. */
const AMPHORA_L7_PROTOCOLS: readonly string[] = ['HTTP', 'TERMINATED_HTTPS']

/**
 * A redirect pool must exist (404 `Pool <id> not found.`), speak a protocol
 * the listener can forward to (400 `Validation failure: The pool protocol …`)
 * and belong to the listener's load balancer and project (else 404 as well,
 * as Octavia's repository check).
 */
export async function checkRedirectPool(db: Executor, listener: ListenerRow, poolId: string): Promise<void> {
  const pool = await findRedirectPool(db, poolId)
  if (!pool) throw notFound('Pool', poolId)
  checkPoolProtocol(listener.protocol, pool.protocol)
  if (pool.load_balancer_id !== listener.load_balancer_id || pool.project_id !== listener.project_id) {
    throw notFound('Pool', poolId)
  }
}

/** PROMETHEUS listeners take no children: 400 `Protocol PROMETHEUS listeners cannot have child objects.` */
export function checkListenerTakesPolicies(listener: ListenerRow): void {
  if (listener.protocol === 'PROMETHEUS') throw badRequest('Protocol PROMETHEUS listeners cannot have child objects.')
}

/**
 * Octavia's API accepts L7 policies on any listener; its amphora driver then
 * refuses those on listeners other than HTTP and TERMINATED_HTTPS (501
 * `Provider 'amphora' does not support a requested option: TCP protocol
 * listeners do not support L7 policies`). The noop provider accepts them.
 */
export function checkProviderSupportsL7(parent: ListenerWithLoadBalancer, provider: string): void {
  if (AMPHORA_PROVIDERS.has(provider) && !AMPHORA_L7_PROTOCOLS.includes(parent.listener.protocol)) {
    throw providerUnsupported(provider, `${parent.listener.protocol} protocol listeners do not support L7 policies`)
  }
}
