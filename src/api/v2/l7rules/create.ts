import type { FastifyRequest } from 'fastify'
import { countL7Rules, findL7Rule } from '../../../db/repositories/l7rule-repository.js'
import type { ApiDeps } from '../../deps.js'
import { writeAndDispatch } from '../../write.js'
import { authorize } from '../../auth/authorize.js'
import { tooManyRules } from '../l7policies/insert.js'
import { insertL7Rule } from './insert.js'
import { findRuleParent, lockRuleParent, type RuleParent } from './parent.js'
import { renderL7Rules, type L7RuleResponse } from './render.js'
import { MAX_L7RULES_PER_L7POLICY, type L7RuleCreateBody } from './schema.js'
import { validateL7RuleData } from './validate-rule.js'

/**
 * `POST /v2/lbaas/l7policies/{id}/rules`, in Octavia's order: policy (404),
 * rule data (400 `Error parsing L7Rule: …`), 50 rules already (409 `Too many
 * rules on L7 policy <id>`), policy ACTIVE (409), load balancer ACTIVE →
 * PENDING_UPDATE (409); listener and policy PENDING_UPDATE, the rule
 * PENDING_CREATE, one `l7rule_create` job. The rule takes its load
 * balancer's project, as in Octavia.
 */
export async function createL7RuleHandler(deps: ApiDeps, req: FastifyRequest, l7policyId: string): Promise<{ rule: L7RuleResponse }> {
  const { project_id: _p, tenant_id: _t, ...body } = (req.body as L7RuleCreateBody).rule
  return writeAndDispatch(deps, async (tx, jobs) => {
    const parent = await findRuleParent(tx, l7policyId)
    const lb = parent.loadBalancer
    authorize(req.caller, 'l7rule:post', lb.project_id)
    validateL7RuleData(body)
    await checkRuleCount(tx, parent)
    await lockRuleParent(tx, parent)
    // NOTE: counted again under the load balancer lock, which no other writer holds now.
    await checkRuleCount(tx, parent)
    const id = await insertL7Rule(tx, deps, parent.policy, body, lb.project_id ?? req.caller.projectId)
    await jobs.add('l7rule_create', lb.provider ?? deps.config.api_settings.default_provider_driver, lb.id, { l7ruleId: id })
    const row = await findL7Rule(tx, id)
    const [view] = await renderL7Rules(tx, row ? [row] : [])
    return { rule: view }
  })
}

async function checkRuleCount(tx: Parameters<typeof countL7Rules>[0], parent: RuleParent): Promise<void> {
  if (await countL7Rules(tx, parent.policy.id) >= MAX_L7RULES_PER_L7POLICY) throw tooManyRules(parent.policy.id)
}
