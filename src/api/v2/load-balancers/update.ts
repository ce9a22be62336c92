import {
  loadBalancerRecord, updateLoadBalancerRow, updateVipRow,
} from '../../../db/repositories/load-balancer-repository.js'
import { transitionOrThrow } from '../../../db/repositories/status-guard.js'
import { setTags } from '../../../db/repositories/tag-repository.js'
import type { LoadBalancerRow, VipRow } from '../../../db/schema.js'
import { authorize } from '../../auth/authorize.js'
import type { Caller } from '../../auth/caller.js'
import type { ApiDeps } from '../../deps.js'
import { writeAndDispatch } from '../../write.js'
import { resolveProvider } from '../providers/provider-catalog.js'
import { invalidSubresource } from './create-checks.js'
import { requireLoadBalancer } from './list.js'
import { renderLoadBalancer, type LoadBalancerJson } from './render.js'
import type { LoadBalancerUpdateBody } from './schema.js'

/** Octavia's 409 when a load balancer is not in a state the operation accepts. */
export const invalidStateMessage = (id: string) => (status: string): string =>
  `Invalid state ${status} of loadbalancer resource ${id}`

/**
 * `PUT /v2/lbaas/loadbalancers/{id}`: name, description, admin_state_up,
 * vip_qos_policy_id (null clears; a new id must exist), vip_sg_ids (null ⇒ [];
 * ids must exist), tags (replace). The load balancer must be ACTIVE (409
 * `Invalid state …`); it goes PENDING_UPDATE with a `loadbalancer_update` job.
 */
export async function updateLoadBalancer(
  deps: ApiDeps, caller: Caller, id: string, body: LoadBalancerUpdateBody,
): Promise<{ loadbalancer: LoadBalancerJson }> {
  const lb = body.loadbalancer
  const current = await requireLoadBalancer(deps, caller, id, 'loadbalancer:put')
  if (lb.vip_sg_ids !== undefined) authorize(caller, 'loadbalancer:put:vip_sg_ids', current.row.project_id)
  const vipPatch: Partial<Pick<VipRow, 'qos_policy_id' | 'sg_ids'>> = {}
  if (lb.vip_qos_policy_id !== undefined) {
    if (lb.vip_qos_policy_id !== null && lb.vip_qos_policy_id !== current.vip?.qos_policy_id) {
      throw invalidSubresource('qos_policy', lb.vip_qos_policy_id)
    }
    vipPatch.qos_policy_id = lb.vip_qos_policy_id
  }
  if (lb.vip_sg_ids !== undefined) {
    for (const sg of lb.vip_sg_ids ?? []) throw invalidSubresource('Security Group', sg)
    vipPatch.sg_ids = JSON.stringify(lb.vip_sg_ids ?? [])
  }
  const provider = current.row.provider ?? 'amphora'
  resolveProvider(deps, provider)
  return writeAndDispatch(deps, async (tx, jobs) => {
    await transitionOrThrow(tx, 'load_balancer', id, {
      from: ['ACTIVE'], to: 'PENDING_UPDATE', resource: 'Load Balancer', conflictMessage: invalidStateMessage(id),
    })
    const patch: Partial<Pick<LoadBalancerRow, 'name' | 'description' | 'enabled'>> = {}
    if (lb.name !== undefined) patch.name = lb.name
    if (lb.description !== undefined) patch.description = lb.description
    if (lb.admin_state_up !== undefined) patch.enabled = lb.admin_state_up === true ? 1 : 0
    await updateLoadBalancerRow(tx, id, patch)
    await updateVipRow(tx, id, vipPatch)
    if (lb.tags !== undefined) await setTags(tx, id, lb.tags ?? [])
    await jobs.add('loadbalancer_update', provider, id, { loadBalancerId: id })
    const view = await loadBalancerRecord(tx, id)
    if (!view) throw new Error(`load balancer ${id} vanished inside its update transaction`)
    return { loadbalancer: renderLoadBalancer(view) }
  })
}
