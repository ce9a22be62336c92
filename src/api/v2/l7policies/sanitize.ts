import { badRequest, type LbaasError } from '../../../common/errors.js'
import { formatValue } from '../../../common/errors.js'

/** The redirect-related attributes of a policy create or update body. */
export interface L7PolicyRedirectArgs {
  action?: string | null
  redirect_pool_id?: string | null
  redirect_url?: string | null
  redirect_prefix?: string | null
  redirect_http_code?: number | null
}

/** 400 `Invalid L7 Policy arguments: <msg>` */
export const invalidL7PolicyArgs = (msg: string): LbaasError =>
  badRequest(`Invalid L7 Policy arguments: ${msg}`, 'invalid_l7policy_args')

/** 400 `Invalid L7 Policy action specified: <action>` */
export const invalidL7PolicyAction = (action: unknown): LbaasError =>
  badRequest(`Invalid L7 Policy action specified: ${formatValue(action)}`, 'invalid_l7policy_action')

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)

/**
 * Octavia's `sanitize_l7policy_api_args`: makes the redirect attributes of a
 * create or update body consistent, returning a new object that keeps the
 * other attributes.
 * - An explicit `action` needs its target (`redirect_url must not be None`, …)
 *   and clears the targets of other actions; REJECT clears every redirect
 *   attribute (Octavia's create path forgets the prefix and the code).
 * - A pool together with a URL or prefix is refused.
 * - A target implies its action: redirect_pool_id → REDIRECT_TO_POOL (and no
 *   code), redirect_url → REDIRECT_TO_URL, redirect_prefix → REDIRECT_PREFIX;
 *   URL and prefix redirects get code 302 unless one is given.
 * - An update with no attribute at all is refused (`Invalid update options`).
 * The URLs themselves are checked by redirect-url.ts beforehand.
 */
export function sanitizeL7PolicyArgs<T extends L7PolicyRedirectArgs>(input: T, create: boolean): T {
  const p: T = { ...input }
  if (has(p, 'action')) {
    switch (p.action) {
      case 'REJECT':
        Object.assign(p, { redirect_url: null, redirect_pool_id: null, redirect_prefix: null, redirect_http_code: null })
        break
      case 'REDIRECT_TO_URL':
        if (!p.redirect_url) throw invalidL7PolicyArgs('redirect_url must not be None')
        p.redirect_pool_id = null
        break
      case 'REDIRECT_TO_POOL':
        if (!p.redirect_pool_id) throw invalidL7PolicyArgs('redirect_pool_id or redirect_pool must not be None')
        p.redirect_url = null
        break
      case 'REDIRECT_PREFIX':
        if (!p.redirect_prefix) throw invalidL7PolicyArgs('redirect_prefix must not be None')
        break
      default:
        throw invalidL7PolicyAction(p.action)
    }
  }
  if (p.redirect_pool_id && (p.redirect_url || p.redirect_prefix)) {
    throw invalidL7PolicyArgs('Cannot specify redirect_pool_id and redirect_url or redirect_prefix at the same time')
  }
  if (p.redirect_pool_id) {
    Object.assign(p, { action: 'REDIRECT_TO_POOL', redirect_url: null, redirect_prefix: null, redirect_http_code: null })
  }
  if (p.redirect_url) {
    Object.assign(p, { action: 'REDIRECT_TO_URL', redirect_pool_id: null, redirect_prefix: null })
    if (!p.redirect_http_code) p.redirect_http_code = 302
  }
  if (p.redirect_prefix) {
    Object.assign(p, { action: 'REDIRECT_PREFIX', redirect_pool_id: null, redirect_url: null })
    if (!p.redirect_http_code) p.redirect_http_code = 302
  }
  if (create && !has(p, 'action')) throw invalidL7PolicyAction(null)
  if (Object.keys(p).length === 0) throw invalidL7PolicyArgs('Invalid update options')
  return p
}

/**
 * The columns an action leaves empty (Octavia's repository update): applied
 * to an update that names an action, so the stored policy stays consistent.
 */
export function clearedByAction(action: string): L7PolicyRedirectArgs {
  switch (action) {
    case 'REJECT': return { redirect_url: null, redirect_pool_id: null, redirect_prefix: null, redirect_http_code: null }
    case 'REDIRECT_TO_URL': return { redirect_pool_id: null, redirect_prefix: null }
    case 'REDIRECT_TO_POOL': return { redirect_url: null, redirect_prefix: null, redirect_http_code: null }
    case 'REDIRECT_PREFIX': return { redirect_url: null, redirect_pool_id: null }
    default: return {}
  }
}

/**
 * Refuses a stored combination that the update would leave without its
 * target (e.g. `{"redirect_url": null}` on a REDIRECT_TO_URL policy, which
 * Octavia accepts and then renders a redirect to nowhere).
 */
export function checkMergedTarget(merged: Required<Omit<L7PolicyRedirectArgs, 'redirect_http_code'>>): void {
  if (merged.action === 'REDIRECT_TO_URL' && !merged.redirect_url) throw invalidL7PolicyArgs('redirect_url must not be None')
  if (merged.action === 'REDIRECT_PREFIX' && !merged.redirect_prefix) throw invalidL7PolicyArgs('redirect_prefix must not be None')
  if (merged.action === 'REDIRECT_TO_POOL' && !merged.redirect_pool_id) {
    throw invalidL7PolicyArgs('redirect_pool_id or redirect_pool must not be None')
  }
}
