import type { FastifyRequest } from 'fastify'
import { notFound } from '../../../common/errors.js'
import { findL7Rule } from '../../../db/repositories/l7rule-repository.js'
import { setProvisioningStatus } from '../../../db/repositories/status-guard.js'
import type { ApiDeps } from '../../deps.js'
import { writeAndDispatch } from '../../write.js'
import { authorize } from '../../auth/authorize.js'
import { findRuleOf, findRuleParent, lockRuleParent } from './parent.js'

/**
 * `DELETE /v2/lbaas/l7policies/{id}/rules/{rule_id}`: policy (404), rule
 * (404), the locks of lockRuleParent (409), the rule PENDING_DELETE, one
 * `l7rule_delete` job (the worker removes the row: deleteL7RuleRow).
 */
export async function deleteL7RuleHandler(deps: ApiDeps, req: FastifyRequest, l7policyId: string, l7ruleId: string): Promise<void> {
  await writeAndDispatch(deps, async (tx, jobs) => {
    const parent = await findRuleParent(tx, l7policyId)
    await findRuleOf(tx, parent, l7ruleId)
    const lb = parent.loadBalancer
    authorize(req.caller, 'l7rule:delete', lb.project_id)
    await lockRuleParent(tx, parent)
    if (!await findL7Rule(tx, l7ruleId)) throw notFound('L7 Rule', l7ruleId)
    await setProvisioningStatus(tx, 'l7rule', [l7ruleId], 'PENDING_DELETE')
    await jobs.add('l7rule_delete', lb.provider ?? deps.config.api_settings.default_provider_driver, lb.id, { l7ruleId })
  })
}
