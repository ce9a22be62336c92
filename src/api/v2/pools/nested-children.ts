import { validationFailure } from '../../../common/errors.js'

/**
 * A pool's `healthmonitor` and `members` are only created by a single-call
 * load balancer create (whose job activates the whole tree); a pool or
 * listener POST refuses them. Null and empty values pass, as in Octavia.
 */
export function refuseNestedPoolChildren(pool: { healthmonitor?: unknown; members?: readonly unknown[] | null } | null | undefined): void {
  if (!pool) return
  if (pool.healthmonitor || pool.members?.length) {
    throw validationFailure('A pool health monitor and members can only be created with a fully populated load balancer.')
  }
}
