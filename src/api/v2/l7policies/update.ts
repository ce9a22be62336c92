import { notFound } from '../../../common/errors.js'
import {
  findL7Policy, findListenerWithLoadBalancer, placeL7Policy, updateL7PolicyRow, type L7PolicyPatch,
} from '../../../db/repositories/l7policy-repository.js'
import { setProvisioningStatus, transitionOrThrow } from '../../../db/repositories/status-guard.js'
import { setTags } from '../../../db/repositories/tag-repository.js'
import type { L7PolicyRow } from '../../../db/schema.js'
import type { ApiDeps } from '../../deps.js'
import { writeAndDispatch } from '../../write.js'
import { authorize } from '../../auth/authorize.js'
import type { Caller } from '../../auth/caller.js'
import { checkRedirectPool } from './redirect-pool.js'
import { checkRedirectUrls } from './redirect-url.js'
import { renderL7Policies, type L7PolicyResponse } from './render.js'
import { checkMergedTarget, clearedByAction, sanitizeL7PolicyArgs } from './sanitize.js'
import type { L7PolicyUpdate, L7PolicyUpdateBody } from './schema.js'

/**
 * `PUT /v2/lbaas/l7policies/{id}`, in Octavia's order: policy (404), redirect
 * URLs and arguments (400), load balancer ACTIVE → PENDING_UPDATE (409),
 * redirect pool (404/400); then listener and policy PENDING_UPDATE, the
 * sanitised changes (an action clears the other actions' targets), the new
 * position (others shift), tags, one `l7policy_update` job.
 */
export async function updateL7PolicyHandler(
  deps: ApiDeps, caller: Caller, id: string, { l7policy: body }: L7PolicyUpdateBody,
): Promise<{ l7policy: L7PolicyResponse }> {
  return writeAndDispatch(deps, async (tx, jobs) => {
    const found = await findL7Policy(tx, id)
    const parent = found && await findListenerWithLoadBalancer(tx, found.listener_id)
    if (!found || !parent) throw notFound('L7 Policy', id)
    const lb = parent.loadBalancer
    authorize(caller, 'l7policy:put', lb.project_id)
    checkRedirectUrls(body)
    const changes = sanitizeL7PolicyArgs(body, false)
    await transitionOrThrow(tx, 'load_balancer', lb.id, { from: ['ACTIVE'], to: 'PENDING_UPDATE', resource: 'Load Balancer' })
    const policy = await findL7Policy(tx, id)
    if (!policy) throw notFound('L7 Policy', id)
    if (changes.redirect_pool_id) await checkRedirectPool(tx, parent.listener, changes.redirect_pool_id)
    const patch = patchOf(changes)
    checkMergedTarget({ ...policy, ...patch })
    await setProvisioningStatus(tx, 'listener', [parent.listener.id], 'PENDING_UPDATE')
    await updateL7PolicyRow(tx, id, { ...patch, provisioning_status: 'PENDING_UPDATE' })
    if (body.position != null && body.position !== policy.position) {
      await placeL7Policy(tx, policy.listener_id, id, body.position)
    }
    if (body.tags != null) await setTags(tx, id, body.tags)
    await jobs.add('l7policy_update', lb.provider ?? deps.config.api_settings.default_provider_driver, lb.id, { l7policyId: id })
    const row = await findL7Policy(tx, id)
    const [view] = await renderL7Policies(tx, row ? [row] : [])
    return { l7policy: view }
  })
}

/** The column changes of a sanitised update (null admin_state_up means "unchanged", as in Octavia). */
function patchOf(changes: L7PolicyUpdate): L7PolicyPatch {
  const patch: { -readonly [K in keyof L7PolicyRow]?: L7PolicyRow[K] } = {}
  if (changes.name !== undefined) patch.name = changes.name
  if (changes.description !== undefined) patch.description = changes.description
  if (changes.admin_state_up != null) patch.enabled = changes.admin_state_up ? 1 : 0
  if (changes.action != null) Object.assign(patch, { action: changes.action }, clearedByAction(changes.action))
  for (const k of ['redirect_pool_id', 'redirect_url', 'redirect_prefix', 'redirect_http_code'] as const) {
    if (changes[k] !== undefined) Object.assign(patch, { [k]: changes[k] })
  }
  return patch
}
