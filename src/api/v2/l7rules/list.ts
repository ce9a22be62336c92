import type { FastifyRequest } from 'fastify'
import type { ListColumn } from '../../../db/list-query.js'
import { findL7Rule, listL7Rules } from '../../../db/repositories/l7rule-repository.js'
import type { ApiDeps } from '../../deps.js'
import { listPage } from '../../list/list-page.js'
import { parseListQuery, selectFields, type Query } from '../../list/list-params.js'
import { authorize } from '../../auth/authorize.js'
import { fieldsOf, listBaseUrl } from '../l7policies/list.js'
import { findRuleOf, findRuleParent } from './parent.js'
import { renderL7Rules } from './render.js'

/** API attribute → l7rule column, for filters and sort keys. */
export const L7RULE_COLUMNS: Readonly<Record<string, ListColumn>> = {
  id: { column: 'id', type: 'string' },
  project_id: { column: 'project_id', type: 'string' },
  type: { column: 'type', type: 'string' },
  compare_type: { column: 'compare_type', type: 'string' },
  key: { column: 'key', type: 'string' },
  value: { column: 'value', type: 'string' },
  invert: { column: 'invert', type: 'bool' },
  provisioning_status: { column: 'provisioning_status', type: 'string' },
  operating_status: { column: 'operating_status', type: 'string' },
  admin_state_up: { column: 'enabled', type: 'bool' },
  created_at: { column: 'created_at', type: 'string' },
  updated_at: { column: 'updated_at', type: 'string' },
}

/** `GET /v2/lbaas/l7policies/{id}/rules`: envelope `{rules, rules_links}`. */
export async function listL7RulesHandler(deps: ApiDeps, req: FastifyRequest, l7policyId: string): Promise<unknown> {
  const db = deps.database.db
  const parent = await findRuleParent(db, l7policyId)
  authorize(req.caller, 'l7rule:get_all', parent.policy.project_id)
  const query = req.query as Query
  const lr = parseListQuery(query, L7RULE_COLUMNS, deps.config.api_settings.pagination_max_limit)
  const { items, links } = await listPage(lr, query, listBaseUrl(deps, req), {
    findMarker: id => findL7Rule(db, id),
    fetch: marker => listL7Rules(db, l7policyId, { ...lr.spec, marker }, null),
    render: rows => renderL7Rules(db, rows),
    keyOf: r => r.id,
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
