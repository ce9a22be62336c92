import type { LoadBalancerRecord } from '../../../db/repositories/load-balancer-repository.js'
import { renderDescribedHead, renderTimestamps, sortedTags } from '../render-common.js'

/** A load balancer as Octavia's API shows it (LoadBalancerResponse). */
export type LoadBalancerJson = {
  id: string
  name: string
  description: string
  provisioning_status: string
  operating_status: string
  admin_state_up: boolean
  project_id: string | null
  created_at: string | null
  updated_at: string | null
  vip_address: string | null
  vip_port_id: string | null
  vip_subnet_id: string | null
  vip_network_id: string | null
  vip_sg_ids: string[]
  additional_vips: { subnet_id: string; ip_address: string | null; port_id: string | null }[]
  listeners: unknown[]
  pools: unknown[]
  provider: string
  flavor_id: string | null
  vip_qos_policy_id: string | null
  tags: string[]
  availability_zone: string | null
  vip_vnic_type: string | null
}

const parseList = (json: string | null | undefined): string[] => {
  if (!json) return []
  const v = JSON.parse(json) as unknown
  return Array.isArray(v) ? v.map(String) : []
}

/**
 * Renders a load balancer. `listeners` and `pools` are `[{id}]` unless the
 * caller passes full child objects (the single-call create response).
 * A NULL provider renders as `octavia` (rows from before providers existed).
 */
export function renderLoadBalancer(
  view: LoadBalancerRecord, full?: { listeners: unknown[]; pools: unknown[] },
): LoadBalancerJson {
  const { row, vip } = view
  return {
    ...renderDescribedHead(row),
    project_id: row.project_id,
    ...renderTimestamps(row),
    vip_address: vip?.ip_address ?? null,
    vip_port_id: vip?.port_id ?? null,
    vip_subnet_id: vip?.subnet_id ?? null,
    vip_network_id: vip?.network_id ?? null,
    vip_sg_ids: parseList(vip?.sg_ids),
    additional_vips: view.additionalVips.map(v => ({ subnet_id: v.subnet_id, ip_address: v.ip_address, port_id: v.port_id })),
    listeners: full ? full.listeners : view.listenerIds.map(id => ({ id })),
    pools: full ? full.pools : view.poolIds.map(id => ({ id })),
    provider: row.provider || 'octavia',
    flavor_id: row.flavor_id,
    vip_qos_policy_id: vip?.qos_policy_id ?? null,
    tags: sortedTags(view.tags),
    availability_zone: row.availability_zone,
    vip_vnic_type: vip?.vnic_type ?? null,
  }
}
