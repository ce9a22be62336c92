import { randomUUID } from 'node:crypto'
import type { Transaction } from 'kysely'
import { conflict, notFound } from '../../../common/errors.js'
import {
  findListenerWithLoadBalancer, insertL7PolicyRow, placeL7Policy, type ListenerWithLoadBalancer,
} from '../../../db/repositories/l7policy-repository.js'
import { setTags } from '../../../db/repositories/tag-repository.js'
import type { DB, ListenerRow } from '../../../db/schema.js'
import type { ApiDeps } from '../../deps.js'
import { pendingCreateColumns } from '../pending-create.js'
import { checkQuota } from '../quotas/check-quota.js'
import { insertL7Rule } from '../l7rules/insert.js'
import { MAX_L7RULES_PER_L7POLICY } from '../l7rules/schema.js'
import { validateL7RuleData } from '../l7rules/validate-rule.js'
import { checkRedirectUrls } from './redirect-url.js'
import { checkListenerTakesPolicies, checkProviderSupportsL7, checkRedirectPool } from './redirect-pool.js'
import { sanitizeL7PolicyArgs, type L7PolicyRedirectArgs } from './sanitize.js'
import { MAX_POLICY_POSITION, type L7PolicyCreate } from './schema.js'

/** 409 `Too many rules on L7 policy <id>` */
export const tooManyRules = (l7policyId: string) =>
  conflict(`Too many rules on L7 policy ${l7policyId}`, 'too_many_l7rules')

/**
 * The checks of a policy create that need no database, in Octavia's order:
 * redirect URLs (400 `Invalid input for field/attribute redirect_url…`), the
 * redirect arguments (400 `Invalid L7 Policy arguments: …`), more than 50
 * embedded rules (409 `Too many rules on L7 policy <id>`), each rule (400
 * `Error parsing L7Rule: …`). Returns the sanitised redirect attributes.
 */
export function validateL7PolicyCreate(body: L7PolicyCreate, id: string): Required<L7PolicyRedirectArgs> {
  checkRedirectUrls(body)
  const s = sanitizeL7PolicyArgs({
    action: body.action,
    redirect_pool_id: body.redirect_pool_id ?? null,
    redirect_url: body.redirect_url ?? null,
    redirect_prefix: body.redirect_prefix ?? null,
    redirect_http_code: body.redirect_http_code ?? null,
  }, true)
  const rules = body.rules ?? []
  if (rules.length > MAX_L7RULES_PER_L7POLICY) throw tooManyRules(id)
  for (const rule of rules) validateL7RuleData(rule)
  return s as Required<L7PolicyRedirectArgs>
}

/**
 * Inserts one L7 policy of `parent.listener` with PENDING_CREATE/OFFLINE,
 * and its embedded `rules` (PENDING_CREATE), inside the caller's transaction,
 * without locking or jobs (the caller does both). Validates
 * (validateL7PolicyCreate, then: PROMETHEUS listener 400, redirect pool
 * 404/400, amphora provider on a non-HTTP listener 501) and gives the policy
 * its position among the listener's policies (others shift; past the end
 * appends). A graph create passes the id of the `redirect_pool` it inserted
 * as `redirect_pool_id`. `opts.id` fixes the new id. Returns the new id.
 */
export async function insertL7Policy(
  tx: Transaction<DB>, deps: ApiDeps, parent: ListenerWithLoadBalancer, body: L7PolicyCreate, projectId: string,
  opts: { readonly id?: string } = {},
): Promise<string> {
  await checkQuota(tx, deps, projectId, 'l7policy')
  const id = opts.id ?? randomUUID()
  const s = validateL7PolicyCreate(body, id)
  checkListenerTakesPolicies(parent.listener)
  if (s.redirect_pool_id) await checkRedirectPool(tx, parent.listener, s.redirect_pool_id)
  checkProviderSupportsL7(parent, parent.loadBalancer.provider ?? deps.config.api_settings.default_provider_driver)
  await insertL7PolicyRow(tx, {
    listener_id: parent.listener.id,
    name: body.name ?? null,
    description: body.description ?? null,
    action: s.action as string,
    redirect_pool_id: s.redirect_pool_id,
    redirect_url: s.redirect_url,
    redirect_prefix: s.redirect_prefix,
    redirect_http_code: s.redirect_http_code,
    position: MAX_POLICY_POSITION,
    ...pendingCreateColumns(id, projectId, body.admin_state_up !== false),
  })
  await placeL7Policy(tx, parent.listener.id, id, body.position ?? MAX_POLICY_POSITION)
  if (body.tags?.length) await setTags(tx, id, body.tags)
  for (const rule of body.rules ?? []) await insertL7Rule(tx, deps, { id }, rule, projectId)
  return id
}

/**
 * The L7 policies embedded in a single-call listener (or load balancer)
 * create, inserted in order with insertL7Policy (so listed positions follow
 * the request). Each `redirect_pool` must already be inserted by the caller
 * and passed as `redirect_pool_id`. Returns the new ids.
 */
export async function insertListenerL7Policies(
  tx: Transaction<DB>, deps: ApiDeps, listener: ListenerRow, policies: readonly L7PolicyCreate[], projectId: string,
): Promise<string[]> {
  if (policies.length === 0) return []
  const parent = await findListenerWithLoadBalancer(tx, listener.id)
  if (!parent) throw notFound('Listener', listener.id)
  const ids: string[] = []
  for (const policy of policies) ids.push(await insertL7Policy(tx, deps, parent, policy, projectId))
  return ids
}
