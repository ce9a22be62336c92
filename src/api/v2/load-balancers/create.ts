import { randomUUID } from 'node:crypto'
import { insertLoadBalancer, loadBalancerRecord } from '../../../db/repositories/load-balancer-repository.js'
import { setTags } from '../../../db/repositories/tag-repository.js'
import type { AdditionalVipRow, LoadBalancerRow, VipRow } from '../../../db/schema.js'
import type { Caller } from '../../auth/caller.js'
import type { ApiDeps } from '../../deps.js'
import { writeAndDispatch } from '../../write.js'
import { confirmFlavorAndZone } from '../flavors/load-balancer-flavor.js'
import { pendingCreateColumns } from '../pending-create.js'
import { checkQuota } from '../quotas/check-quota.js'
import { planCreate } from './create-checks.js'
import { createGraph } from './graph-create.js'
import { renderGraph } from './graph-render.js'
import { renderLoadBalancer, type LoadBalancerJson } from './render.js'
import type { LoadBalancerCreateBody } from './schema.js'

/**
 * `POST /v2/lbaas/loadbalancers`, plain or fully populated. After the checks
 * of planCreate, one transaction allocates the VIP, inserts the load balancer
 * (PENDING_CREATE, OFFLINE; topology, flavor and availability zone as
 * planned) with its VIP rows, tags and any children, and records one
 * `loadbalancer_create` job; anything invalid, or a quota met (every object
 * of a single-call create counts), writes nothing.
 * Answers the full tree as committed.
 */
export async function createLoadBalancer(
  deps: ApiDeps, caller: Caller, body: LoadBalancerCreateBody,
): Promise<{ loadbalancer: LoadBalancerJson }> {
  const lb = body.loadbalancer
  const id = randomUUID()
  const plan = await planCreate(deps, deps.database.db, id, lb, caller)
  return writeAndDispatch(deps, async (tx, jobs) => {
    await checkQuota(tx, deps, plan.projectId, 'load_balancer')
    await confirmFlavorAndZone(tx, deps, plan.flavorZone, plan.provider)
    const vip = await deps.network.allocateVip(tx, plan.vipRequest)
    const row: LoadBalancerRow = {
      name: lb.name ?? null,
      description: lb.description ?? null,
      topology: plan.flavorZone.topology,
      provider: plan.provider,
      flavor_id: plan.flavorZone.flavorId,
      availability_zone: plan.flavorZone.zoneName,
      // NOTE: Octavia reads an explicit null admin_state_up as false.
      ...pendingCreateColumns(id, plan.projectId, lb.admin_state_up === undefined || lb.admin_state_up === true),
    }
    const vipRow: VipRow = {
      load_balancer_id: id,
      ip_address: vip.ipAddress,
      port_id: vip.portId,
      subnet_id: vip.subnetId,
      network_id: vip.networkId,
      qos_policy_id: lb.vip_qos_policy_id ?? null,
      octavia_owned: vip.octaviaOwned ? 1 : 0,
      vnic_type: plan.flavorZone.vnicType,
      sg_ids: JSON.stringify(lb.vip_sg_ids ?? []),
    }
    const additional: AdditionalVipRow[] = (vip.additionalVips ?? []).map(a => ({
      load_balancer_id: id, subnet_id: a.subnetId, network_id: a.networkId, port_id: a.portId, ip_address: a.ipAddress,
    }))
    await insertLoadBalancer(tx, row, vipRow, additional)
    if (lb.tags?.length) await setTags(tx, id, lb.tags)
    const graph = await createGraph(tx, deps, row, lb.listeners ?? [], lb.pools ?? [], caller.authToken ?? null)
    await jobs.add('loadbalancer_create', plan.provider, id, { loadBalancerId: id })
    const view = await loadBalancerRecord(tx, id)
    if (!view) throw new Error(`load balancer ${id} vanished inside its create transaction`)
    return { loadbalancer: renderLoadBalancer(view, await renderGraph(tx, deps, graph)) }
  })
}
