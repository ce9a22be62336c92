import type { Executor } from '../../../db/database.js'
import { rulesOfL7Policies } from '../../../db/repositories/l7rule-repository.js'
import { tagsOf } from '../../../db/repositories/tag-repository.js'
import type { L7PolicyRow } from '../../../db/schema.js'
import { renderL7Rules, type L7RuleResponse } from '../l7rules/render.js'
import { renderDescribedHead, renderTimestamps, sortedTags } from '../render-common.js'

/** An L7 policy as Octavia's API shows it (L7PolicyResponse; L7PolicyFullResponse with full rules). */
export interface L7PolicyResponse {
  readonly id: string
  readonly name: string
  readonly description: string
  readonly provisioning_status: string
  readonly operating_status: string
  readonly admin_state_up: boolean
  readonly project_id: string | null
  readonly action: string
  readonly listener_id: string
  readonly redirect_pool_id: string | null
  readonly redirect_url: string | null
  readonly redirect_prefix: string | null
  readonly position: number
  readonly rules: readonly ({ readonly id: string } | L7RuleResponse)[]
  readonly created_at: string | null
  readonly updated_at: string | null
  readonly tags: readonly string[]
  readonly redirect_http_code: number | null
  readonly [key: string]: unknown
}

/**
 * Renders a policy row. `rules` are its rules, oldest first: `{id}` objects
 * for the normal response, full rule views for the single-call create's.
 */
export function renderL7Policy(
  row: L7PolicyRow, rules: readonly ({ readonly id: string } | L7RuleResponse)[], tags: readonly string[],
): L7PolicyResponse {
  return {
    ...renderDescribedHead(row),
    project_id: row.project_id,
    action: row.action,
    listener_id: row.listener_id,
    redirect_pool_id: row.redirect_pool_id,
    redirect_url: row.redirect_url,
    redirect_prefix: row.redirect_prefix,
    position: row.position,
    rules,
    ...renderTimestamps(row),
    tags: sortedTags(tags),
    redirect_http_code: row.redirect_http_code,
  }
}

/**
 * Renders many policy rows, loading their rules and tags in one go.
 * `fullRules` renders each rule completely (Octavia's full response of a
 * single-call load balancer create) instead of `{id}`.
 */
export async function renderL7Policies(
  db: Executor, rows: readonly L7PolicyRow[], opts: { readonly fullRules?: boolean } = {},
): Promise<L7PolicyResponse[]> {
  const ids = rows.map(r => r.id)
  const rules = await rulesOfL7Policies(db, ids)
  const tags = await tagsOf(db, ids)
  const out: L7PolicyResponse[] = []
  for (const row of rows) {
    const ruleRows = rules.get(row.id) ?? []
    const ruleViews = opts.fullRules ? await renderL7Rules(db, ruleRows) : ruleRows.map(r => ({ id: r.id }))
    out.push(renderL7Policy(row, ruleViews, tags.get(row.id) ?? []))
  }
  return out
}
