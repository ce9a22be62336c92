import type { FastifyRequest } from 'fastify'
import type { ListColumn } from '../../../db/list-query.js'
import { findL7Rule, listL7Rules } from '../../../db/repositories/l7rule-repository.js'
import { authorize } from '../../auth/authorize.js'
import type { ApiDeps } from '../../deps.js'
import { fieldsOf, selectFields, type Query } from '../../list/list-params.js'
import { listCollection } from '../list-collection.js'
import { col, PROVISIONED_COLUMNS } from '../list-columns.js'
import { findRuleOf, findRuleParent } from './parent.js'
import { renderL7Rules } from './render.js'

/** API attribute → l7rule column, for filters and sort keys. */
export const L7RULE_COLUMNS: Readonly<Record<string, ListColumn>> = {
  ...PROVISIONED_COLUMNS,
  // NOTE: Octavia accepts every field of its data model as a filter; openstacksdk's l7_rules() sends this one.
  l7policy_id: col('l7policy_id'),
  type: col('type'),
  compare_type: col('compare_type'),
  key: col('key'),
  value: col('value'),
  invert: col('invert', 'bool'),
}

/** `GET /v2/lbaas/l7policies/{id}/rules`: envelope `{rules, rules_links}`. */
export async function listL7RulesHandler(deps: ApiDeps, req: FastifyRequest, l7policyId: string): Promise<unknown> {
  const parent = await findRuleParent(deps.database.db, l7policyId)
  authorize(req.caller, 'l7rule:get_all', parent.policy.project_id)
  const { items, links } = await listCollection(deps, req, {
    columns: L7RULE_COLUMNS,
    policy: null,
    find: findL7Rule,
    list: (db, spec) => listL7Rules(db, l7policyId, spec, null),
    render: renderL7Rules,
  })
  return { rules: items, rules_links: links }
}

/** `GET /v2/lbaas/l7policies/{id}/rules/{rule_id}`; honours `fields=`. */
export async function showL7RuleHandler(deps: ApiDeps, req: FastifyRequest, l7policyId: string, l7ruleId: string): Promise<unknown> {
  const db = deps.database.db
  const parent = await findRuleParent(db, l7policyId)
  const rule = await findRuleOf(db, parent, l7ruleId)
  authorize(req.caller, 'l7rule:get_one', rule.project_id)
  const [view] = await renderL7Rules(db, [rule])
  return { rule: selectFields(view, fieldsOf(req.query as Query)) }
}
