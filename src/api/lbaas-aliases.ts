/**
 * The collections Octavia serves at its version root as well as under `lbaas/`:
 * Octavia's v2 root controller is itself the controller that `lbaas/` mounts,
 * so `/v2/quotas` is `/v2/lbaas/quotas`, `/v2.0/loadbalancers/{id}/status` is
 * `/v2/lbaas/loadbalancers/{id}/status`, and so on. gophercloud sends its
 * quota calls that way (`/v2.0/quotas/{project_id}`). Amphorae are not among
 * them: they live under `octavia/` only, and `lbaas/` has no `octavia/`.
 */
export const ROOT_LBAAS_COLLECTIONS: readonly string[] = [
  'loadbalancers', 'listeners', 'pools', 'l7policies', 'healthmonitors', 'quotas',
  'providers', 'flavors', 'flavorprofiles', 'availabilityzones', 'availabilityzoneprofiles',
]

const ROOT_COLLECTION = new RegExp(`^/v2(?:\\.0)?/(${ROOT_LBAAS_COLLECTIONS.join('|')})(?=/|$)`)

/**
 * `/v2[.0]/<collection>…` → `/v2/lbaas/<collection>…` for the collections of
 * ROOT_LBAAS_COLLECTIONS; any other path (with no query string) as it is.
 */
export const withLbaasPrefix = (path: string): string => path.replace(ROOT_COLLECTION, '/v2/lbaas/$1')
