import { notFound, validationFailure } from '../../../common/errors.js'
import { membersOfPool, updateMemberRow, type MemberPatch } from '../../../db/repositories/member-repository.js'
import { lockPoolForChildChange } from '../../../db/repositories/pool-child-lock.js'
import { findPool } from '../../../db/repositories/pool-repository.js'
import { setTags } from '../../../db/repositories/tag-repository.js'
import type { MemberRow } from '../../../db/schema.js'
import { MEMBER_FIELDS } from '../../../model/member-fields.js'
import type { ApiDeps } from '../../deps.js'
import { checkQuota } from '../quotas/check-quota.js'
import { writeAndDispatch } from '../../write.js'
import { insertMember } from './insert.js'
import { checkAddressNotReserved } from './member-rules.js'
import type { MemberCreate, MembersBatchBody } from './schema.js'

type BatchItem = MembersBatchBody['members'][number]

/** Thrown inside the transaction to roll back the lock of a batch that changes nothing. */
class NothingToDo extends Error {}

const key = (address: string, port: number): string => `${address}|${port}`

/**
 * The full state an existing member takes from a batch item: omitted optional
 * fields revert to their create defaults (Octavia's MemberPOST defaults), while
 * name, subnet_id and tags change only when given.
 */
function batchPatchOf(m: BatchItem): MemberPatch {
  const patch: MemberPatch = {
    enabled: m.admin_state_up === false ? 0 : 1,
    weight: m.weight ?? MEMBER_FIELDS.weight.default,
    backup: m.backup ? 1 : 0,
    monitor_address: m.monitor_address ?? null,
    monitor_port: m.monitor_port ?? null,
    provisioning_status: 'PENDING_UPDATE',
  }
  if (m.name !== undefined) patch.name = m.name
  if (m.subnet_id !== undefined) patch.subnet_id = m.subnet_id
  return patch
}

interface BatchPlan {
  readonly created: BatchItem[]
  readonly updated: { readonly id: string; readonly item: BatchItem }[]
  readonly removed: MemberRow[]
}

/**
 * Splits a batch against the pool's members by identity (address, port):
 * new items are created, matching ones updated, the rest removed. An
 * existing member named twice is a 400; a new address must not be reserved.
 */
function planBatch(deps: ApiDeps, existing: readonly MemberRow[], items: readonly BatchItem[]): BatchPlan {
  const byKey = new Map(existing.map(m => [key(m.ip_address, m.protocol_port), m]))
  const wanted = new Set(items.map(m => key(m.address, m.protocol_port)))
  const created: BatchItem[] = []
  const updated: { id: string; item: BatchItem }[] = []
  const seen = new Set<string>()
  for (const item of items) {
    const k = key(item.address, item.protocol_port)
    const old = byKey.get(k)
    if (!old) {
      checkAddressNotReserved(deps, item.address)
      created.push(item)
      continue
    }
    if (seen.has(k)) throw validationFailure('Member must be updated only once in the same request.')
    seen.add(k)
    updated.push({ id: old.id, item })
  }
  const removed = existing.filter(m => !wanted.has(key(m.ip_address, m.protocol_port)))
  return { created, updated, removed }
}

/**
 * `PUT /v2/lbaas/pools/{pool_id}/members[?additive_only=true]` (202): makes
 * the pool's members match the list in one transaction and one
 * `member_batch_update` job. With `additive_only`, members missing from the
 * list are left alone. A batch that creates, updates and removes nothing
 * changes nothing (no lock, no job), but still needs a mutable pool and LB.
 */
export async function batchUpdateMembers(
  deps: ApiDeps, poolId: string, body: MembersBatchBody, additiveOnly: boolean,
): Promise<void> {
  if (!(await findPool(deps.database.db, poolId))) throw notFound('Pool', poolId)
  try {
    await writeAndDispatch(deps, async (tx, jobs) => {
      const { pool, loadBalancer: lb } = await lockPoolForChildChange(tx, poolId)
      const plan = planBatch(deps, await membersOfPool(tx, poolId), body.members)
      if (plan.created.length + plan.updated.length + plan.removed.length === 0) throw new NothingToDo()
      // Octavia's count: the new members, less the removed ones unless additive_only.
      await checkQuota(tx, deps, pool.project_id, 'member',
        plan.created.length - (additiveOnly ? 0 : plan.removed.length))
      const created: string[] = []
      for (const item of plan.created) {
        const { project_id: _p, tenant_id: _t, ...member } = item
        created.push(await insertMember(tx, deps, pool, member as MemberCreate, pool.project_id))
      }
      for (const { id, item } of plan.updated) {
        await updateMemberRow(tx, id, { ...batchPatchOf(item), project_id: pool.project_id })
        if (item.tags !== undefined) await setTags(tx, id, item.tags ?? [])
      }
      const deleted: string[] = []
      if (!additiveOnly) {
        for (const m of plan.removed) {
          await updateMemberRow(tx, m.id, { provisioning_status: 'PENDING_DELETE' })
          deleted.push(m.id)
        }
      }
      await jobs.add('member_batch_update', lb.provider ?? deps.config.api_settings.default_provider_driver, lb.id,
        { poolId, created, updated: plan.updated.map(u => u.id), deleted })
    })
  } catch (err) {
    if (!(err instanceof NothingToDo)) throw err
  }
}
