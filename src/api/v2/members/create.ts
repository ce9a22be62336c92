import { notFound } from '../../../common/errors.js'
import { lockPoolForChildChange } from '../../../db/repositories/pool-child-lock.js'
import { findPool } from '../../../db/repositories/pool-repository.js'
import type { ApiDeps } from '../../deps.js'
import { checkQuota } from '../quotas/check-quota.js'
import { writeAndDispatch } from '../../write.js'
import { insertMember } from './insert.js'
import { checkAddressNotReserved, checkSriovAllowed, checkSubnetExists } from './member-rules.js'
import { loadMemberView } from './member-view.js'
import type { MemberResponse } from './render.js'
import type { MemberCreateBody } from './schema.js'

/**
 * `POST /v2/lbaas/pools/{pool_id}/members`. Checks in Octavia's order:
 * reserved address, subnet, SR-IOV (400), then the pool/LB lock (409), then
 * the duplicate endpoint (409). The member belongs to the load balancer's
 * project (a body project_id is ignored, as in Octavia). Answers the member
 * as committed (PENDING_CREATE).
 */
export async function createMember(deps: ApiDeps, poolId: string, body: MemberCreateBody): Promise<{ member: MemberResponse }> {
  const { project_id: _p, tenant_id: _t, ...member } = body.member
  const pool = await findPool(deps.database.db, poolId)
  if (!pool) throw notFound('Pool', poolId)
  checkAddressNotReserved(deps, member.address)
  checkSubnetExists(deps, member.subnet_id)
  checkSriovAllowed(null, member.request_sriov)
  return writeAndDispatch(deps, async (tx, jobs) => {
    const { pool: lockedPool, loadBalancer: lb } = await lockPoolForChildChange(tx, poolId)
    await checkQuota(tx, deps, lb.project_id, 'member')
    const memberId = await insertMember(tx, deps, lockedPool, member, lb.project_id)
    await jobs.add('member_create', lb.provider ?? deps.config.api_settings.default_provider_driver, lb.id, { memberId })
    return { member: await loadMemberView(tx, memberId) }
  })
}
