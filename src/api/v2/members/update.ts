import { notFound } from '../../../common/errors.js'
import { findMember, updateMemberRow, type MemberPatch } from '../../../db/repositories/member-repository.js'
import { lockPoolForChildChange } from '../../../db/repositories/pool-child-lock.js'
import { setTags } from '../../../db/repositories/tag-repository.js'
import { MEMBER_FIELDS } from '../../../model/member-fields.js'
import type { ApiDeps } from '../../deps.js'
import { writeAndDispatch } from '../../write.js'
import { loadMemberView } from './member-view.js'
import type { MemberResponse } from './render.js'
import type { MemberUpdate, MemberUpdateBody } from './schema.js'

/**
 * Turns a MemberPUT into column changes. Only given fields change; null resets
 * weight to its default, backup to false, admin_state_up to true, and clears
 * the others.
 */
export function memberPatchOf(u: MemberUpdate): MemberPatch {
  const patch: MemberPatch = {}
  if (u.name !== undefined) patch.name = u.name
  if (u.admin_state_up !== undefined) patch.enabled = u.admin_state_up === false ? 0 : 1
  if (u.weight !== undefined) patch.weight = u.weight ?? MEMBER_FIELDS.weight.default
  if (u.backup !== undefined) patch.backup = u.backup ? 1 : 0
  if (u.monitor_address !== undefined) patch.monitor_address = u.monitor_address
  if (u.monitor_port !== undefined) patch.monitor_port = u.monitor_port
  return patch
}

/**
 * `PUT /v2/lbaas/pools/{pool_id}/members/{id}`: 404 for an unknown member or
 * one of another pool; 409 unless the pool and load balancer are ACTIVE.
 * Answers the member as committed (PENDING_UPDATE).
 */
export async function updateMember(
  deps: ApiDeps, poolId: string, memberId: string, body: MemberUpdateBody,
): Promise<{ member: MemberResponse }> {
  const existing = await findMember(deps.database.db, memberId)
  if (!existing || existing.pool_id !== poolId) throw notFound('Member', memberId)
  return writeAndDispatch(deps, async (tx, jobs) => {
    const { loadBalancer: lb } = await lockPoolForChildChange(tx, poolId)
    if (!(await findMember(tx, memberId))) throw notFound('Member', memberId)
    await updateMemberRow(tx, memberId, { ...memberPatchOf(body.member), provisioning_status: 'PENDING_UPDATE' })
    if (body.member.tags !== undefined) await setTags(tx, memberId, body.member.tags ?? [])
    await jobs.add('member_update', lb.provider ?? deps.config.api_settings.default_provider_driver, lb.id, { memberId })
    return { member: await loadMemberView(tx, memberId) }
  })
}
