import { nowIso } from '../../common/time.js'
import type { Executor } from '../database.js'
import { applyListSpec, type ListSpec } from '../list-query.js'
import type { L7RuleRow } from '../schema.js'
import { deleteTags } from './tag-repository.js'

/** Columns an L7 rule write may change (identity, policy and timestamps excluded). */
export type L7RulePatch = Partial<Omit<L7RuleRow, 'id' | 'l7policy_id' | 'created_at' | 'updated_at'>>

/** One L7 rule, or undefined (also for a DELETED row). */
export async function findL7Rule(db: Executor, id: string): Promise<L7RuleRow | undefined> {
  const row = await db.selectFrom('l7rule').selectAll().where('id', '=', id).executeTakeFirst()
  return row && row.provisioning_status !== 'DELETED' ? row : undefined
}

/** How many rules a policy has (every status: a rule being deleted still counts, as in Octavia). */
export async function countL7Rules(db: Executor, l7policyId: string): Promise<number> {
  const r = await db.selectFrom('l7rule').select(eb => eb.fn.countAll<number | string>().as('n'))
    .where('l7policy_id', '=', l7policyId).executeTakeFirstOrThrow()
  return Number(r.n)
}

/**
 * A page of one policy's rules (fetches `limit + 1` rows: see applyListSpec).
 * `projectId` restricts to one project (non-admin callers); null lists all.
 */
export async function listL7Rules(
  db: Executor, l7policyId: string, spec: ListSpec, projectId: string | null,
): Promise<L7RuleRow[]> {
  let q = db.selectFrom('l7rule').selectAll().where('l7rule.l7policy_id', '=', l7policyId)
    .where('l7rule.provisioning_status', '!=', 'DELETED')
  if (projectId !== null) q = q.where('l7rule.project_id', '=', projectId)
  return applyListSpec(q, 'l7rule', spec).execute()
}

/** The rules of many policies, each list oldest first. */
export async function rulesOfL7Policies(db: Executor, l7policyIds: readonly string[]): Promise<Map<string, L7RuleRow[]>> {
  const out = new Map<string, L7RuleRow[]>(l7policyIds.map(id => [id, []]))
  for (let i = 0; i < l7policyIds.length; i += 500) {
    const rows = await db.selectFrom('l7rule').selectAll()
      .where('l7policy_id', 'in', l7policyIds.slice(i, i + 500))
      .where('provisioning_status', '!=', 'DELETED')
      .orderBy('created_at').orderBy('id').execute()
    for (const r of rows) out.get(r.l7policy_id)?.push(r)
  }
  return out
}

/** Inserts a rule row. */
export async function insertL7RuleRow(tx: Executor, row: L7RuleRow): Promise<void> {
  await tx.insertInto('l7rule').values(row).execute()
}

/** Applies a patch and stamps updated_at. */
export async function updateL7RuleRow(tx: Executor, id: string, patch: L7RulePatch): Promise<void> {
  await tx.updateTable('l7rule').set({ ...patch, updated_at: nowIso() }).where('id', '=', id).execute()
}

/** Removes a rule and its tags (the worker, once the provider deleted it). Idempotent. */
export async function deleteL7RuleRow(tx: Executor, id: string): Promise<void> {
  await deleteTags(tx, [id])
  await tx.deleteFrom('l7rule').where('id', '=', id).execute()
}
