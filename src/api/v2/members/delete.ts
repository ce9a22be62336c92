import { notFound } from '../../../common/errors.js'
import { findMember, updateMemberRow } from '../../../db/repositories/member-repository.js'
import { lockPoolForChildChange } from '../../../db/repositories/pool-child-lock.js'
import type { ApiDeps } from '../../deps.js'
import { writeAndDispatch } from '../../write.js'

/**
 * `DELETE /v2/lbaas/pools/{pool_id}/members/{id}`: locks the pool and load
 * balancer (409 otherwise), marks the member PENDING_DELETE and records the
 * job that removes it.
 */
export async function deleteMember(deps: ApiDeps, poolId: string, memberId: string): Promise<void> {
  const existing = await findMember(deps.database.db, memberId)
  if (!existing || existing.pool_id !== poolId) throw notFound('Member', memberId)
  await writeAndDispatch(deps, async (tx, jobs) => {
    const { loadBalancer: lb } = await lockPoolForChildChange(tx, poolId)
    if (!(await findMember(tx, memberId))) throw notFound('Member', memberId)
    await updateMemberRow(tx, memberId, { provisioning_status: 'PENDING_DELETE' })
    await jobs.add('member_delete', lb.provider ?? deps.config.api_settings.default_provider_driver, lb.id, { memberId })
  })
}
