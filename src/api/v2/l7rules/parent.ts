import { immutable, notFound } from '../../../common/errors.js'
import type { Executor } from '../../../db/database.js'
import { findL7Policy, findListenerWithLoadBalancer } from '../../../db/repositories/l7policy-repository.js'
import { findL7Rule } from '../../../db/repositories/l7rule-repository.js'
import { setProvisioningStatus, transitionOrThrow } from '../../../db/repositories/status-guard.js'
import type { L7PolicyRow, L7RuleRow, ListenerRow, LoadBalancerRow } from '../../../db/schema.js'

/** The policy an L7 rule request addresses, with its listener and load balancer. */
export interface RuleParent {
  readonly policy: L7PolicyRow
  readonly listener: ListenerRow
  readonly loadBalancer: LoadBalancerRow
}

/** The policy of `/l7policies/{id}/rules…`: 404 `L7Policy <id> not found.` (Octavia's wording on this path). */
export async function findRuleParent(db: Executor, l7policyId: string): Promise<RuleParent> {
  const policy = await findL7Policy(db, l7policyId)
  const parent = policy && await findListenerWithLoadBalancer(db, policy.listener_id)
  if (!policy || !parent) throw notFound('L7Policy', l7policyId)
  return { policy, ...parent }
}

/** A rule of the policy: 404 `L7 Rule <id> not found.` (also for another policy's rule). */
export async function findRuleOf(db: Executor, parent: RuleParent, l7ruleId: string): Promise<L7RuleRow> {
  const rule = await findL7Rule(db, l7ruleId)
  if (!rule || rule.l7policy_id !== parent.policy.id) throw notFound('L7 Rule', l7ruleId)
  return rule
}

/**
 * The locking rule of L7 rule writes (api.md §0.4), inside the caller's
 * transaction: the policy must be ACTIVE (409 `L7Policy <id> is immutable…`,
 * checked first as in Octavia), then the load balancer goes ACTIVE →
 * PENDING_UPDATE (409 `Load Balancer <id> is immutable…`) and the listener
 * and the policy PENDING_UPDATE. The policy is re-checked under the load
 * balancer lock, which is always taken first (no lock-order inversion).
 */
export async function lockRuleParent(tx: Executor, parent: RuleParent): Promise<void> {
  if (parent.policy.provisioning_status !== 'ACTIVE') throw immutable('L7Policy', parent.policy.id)
  await transitionOrThrow(tx, 'load_balancer', parent.loadBalancer.id,
    { from: ['ACTIVE'], to: 'PENDING_UPDATE', resource: 'Load Balancer' })
  await transitionOrThrow(tx, 'l7policy', parent.policy.id, { from: ['ACTIVE'], to: 'PENDING_UPDATE', resource: 'L7Policy' })
  await setProvisioningStatus(tx, 'listener', [parent.listener.id], 'PENDING_UPDATE')
}
