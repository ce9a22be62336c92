import { LbaasError, notFound } from '../common/errors.js'

/** Resource names in Octavia's "not found" messages, by collection path segment. */
const RESOURCE_BY_COLLECTION: Readonly<Record<string, string>> = {
  loadbalancers: 'Load Balancer',
  listeners: 'Listener',
  pools: 'Pool',
  members: 'Member',
  healthmonitors: 'Health Monitor',
  l7policies: 'L7 Policy',
  rules: 'L7 Rule',
  amphorae: 'Amphora',
}

/**
 * Words a `hidden_object` error (src/api/auth/authorize.ts) as Octavia's 404
 * for the innermost object the request path names, e.g.
 * `/v2/lbaas/pools/P/members/M` → `Member M not found.`, `/v2/lbaas/pools/P/members` → `Pool P not found.`.
 */
export function wordHiddenObject(err: LbaasError, url: string): LbaasError {
  const segments = url.split('?')[0].split('/').filter(s => s !== '')
  for (let i = segments.length - 2; i >= 0; i--) {
    const resource = RESOURCE_BY_COLLECTION[segments[i]]
    if (resource) return notFound(resource, segments[i + 1])
  }
  return err
}
