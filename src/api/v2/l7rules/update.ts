import type { FastifyRequest } from 'fastify'
import { notFound } from '../../../common/errors.js'
import { findL7Rule, updateL7RuleRow, type L7RulePatch } from '../../../db/repositories/l7rule-repository.js'
import { setTags } from '../../../db/repositories/tag-repository.js'
import type { ApiDeps } from '../../deps.js'
import { writeAndDispatch } from '../../write.js'
import { authorize } from '../../auth/authorize.js'
import { findRuleOf, findRuleParent, lockRuleParent } from './parent.js'
import { renderL7Rules, type L7RuleResponse } from './render.js'
import type { L7RuleUpdate, L7RuleUpdateBody } from './schema.js'
import { KEYLESS_RULE_TYPES, validateL7RuleData } from './validate-rule.js'

/**
 * `PUT /v2/lbaas/l7policies/{id}/rules/{rule_id}`: policy (404), rule (404),
 * the merged rule (stored + body) must be valid (400), then the locks of
 * lockRuleParent (409), the rule PENDING_UPDATE with the changes, tags, one
 * `l7rule_update` job. `"invert": null` means false; a HOST_NAME, PATH or
 * FILE_TYPE rule loses its key, as in Octavia.
 */
export async function updateL7RuleHandler(
  deps: ApiDeps, req: FastifyRequest, l7policyId: string, l7ruleId: string,
): Promise<{ rule: L7RuleResponse }> {
  const body = (req.body as L7RuleUpdateBody).rule
  return writeAndDispatch(deps, async (tx, jobs) => {
    const parent = await findRuleParent(tx, l7policyId)
    const rule = await findRuleOf(tx, parent, l7ruleId)
    const lb = parent.loadBalancer
    authorize(req.caller, 'l7rule:put', lb.project_id)
    const patch = patchOf(body)
    validateL7RuleData({ ...rule, ...patch })
    await lockRuleParent(tx, parent)
    if (!await findL7Rule(tx, l7ruleId)) throw notFound('L7 Rule', l7ruleId)
    const type = patch.type ?? rule.type
    if (KEYLESS_RULE_TYPES.includes(type)) patch.key = null
    await updateL7RuleRow(tx, l7ruleId, { ...patch, provisioning_status: 'PENDING_UPDATE' })
    if (body.tags != null) await setTags(tx, l7ruleId, body.tags)
    await jobs.add('l7rule_update', lb.provider ?? deps.config.api_settings.default_provider_driver, lb.id, { l7ruleId })
    const row = await findL7Rule(tx, l7ruleId)
    const [view] = await renderL7Rules(tx, row ? [row] : [])
    return { rule: view }
  })
}

type MutablePatch = { -readonly [K in keyof L7RulePatch]: L7RulePatch[K] }

/**
 * The column changes of an update. An explicit null type, compare type or
 * value is kept so that the merged validation refuses it; a null
 * admin_state_up means "unchanged".
 */
function patchOf(body: L7RuleUpdate): MutablePatch {
  const patch: MutablePatch = {}
  if (body.type !== undefined) patch.type = body.type as string
  if (body.compare_type !== undefined) patch.compare_type = body.compare_type as string
  if (body.key !== undefined) patch.key = body.key
  if (body.value !== undefined) patch.value = body.value as string
  if (body.invert !== undefined) patch.invert = body.invert ? 1 : 0
  if (body.admin_state_up != null) patch.enabled = body.admin_state_up ? 1 : 0
  return patch
}
