import { randomUUID } from 'node:crypto'
import type { Transaction } from 'kysely'
import { insertL7RuleRow } from '../../../db/repositories/l7rule-repository.js'
import { setTags } from '../../../db/repositories/tag-repository.js'
import type { DB, L7PolicyRow } from '../../../db/schema.js'
import type { ApiDeps } from '../../deps.js'
import { pendingCreateColumns } from '../pending-create.js'
import { checkQuota } from '../quotas/check-quota.js'
import type { L7RuleCreate } from './schema.js'
import { validateL7RuleData } from './validate-rule.js'

/**
 * Inserts one rule of `l7policy` with PENDING_CREATE/OFFLINE inside the
 * caller's transaction, without locking, jobs or the 50-rules limit (the
 * caller does those). Throws `Error parsing L7Rule: …` (400) for an
 * inconsistent rule (validate-rule.ts). Returns the new rule id.
 */
export async function insertL7Rule(
  tx: Transaction<DB>, deps: ApiDeps, l7policy: Pick<L7PolicyRow, 'id'>, body: L7RuleCreate, projectId: string,
): Promise<string> {
  await checkQuota(tx, deps, projectId, 'l7rule')
  validateL7RuleData(body)
  const id = randomUUID()
  await insertL7RuleRow(tx, {
    l7policy_id: l7policy.id,
    type: body.type,
    compare_type: body.compare_type,
    key: body.key ?? null,
    value: body.value as string,
    invert: body.invert ? 1 : 0,
    ...pendingCreateColumns(id, projectId, body.admin_state_up !== false),
  })
  if (body.tags?.length) await setTags(tx, id, body.tags)
  return id
}
