import type { Network, Port, Subnet } from '../../model/network-service.js'
import { macAddressOf } from '../../common/net/stable-id.js'

/**
 * Our networks, subnets and ports in Neutron's v2.0 JSON shapes (the
 * attributes an admin sees on a plain ML2 deployment, minus provider
 * details), so openstacksdk and the CLI accept them.
 */

/** A stored timestamp (`YYYY-MM-DDTHH:MM:SS.mmm`) as Neutron writes it (`…:SSZ`). */
export const neutronTime = (stored: string): string => `${stored.slice(0, 19)}Z`

export function renderNetwork(n: Network, declaredAt: string): Record<string, unknown> {
  const project = n.projectId ?? ''
  return {
    id: n.id, name: n.name, tenant_id: project, project_id: project,
    admin_state_up: true, status: 'ACTIVE', subnets: [...n.subnets], shared: true,
    'router:external': false, port_security_enabled: true, mtu: 1500, l2_adjacency: true,
    availability_zone_hints: [], availability_zones: [], ipv4_address_scope: null, ipv6_address_scope: null,
    description: '', tags: [], revision_number: 0, created_at: neutronTime(declaredAt), updated_at: neutronTime(declaredAt),
  }
}

export function renderSubnet(s: Subnet, declaredAt: string): Record<string, unknown> {
  const project = s.projectId ?? ''
  return {
    id: s.id, name: s.name, tenant_id: project, project_id: project, network_id: s.networkId,
    ip_version: s.ipVersion, cidr: s.cidr, gateway_ip: s.gatewayIp,
    allocation_pools: (s.allocationPools ?? []).map(p => ({ start: p.start, end: p.end })),
    enable_dhcp: false, dns_nameservers: [], host_routes: [], service_types: [],
    ipv6_ra_mode: null, ipv6_address_mode: null, subnetpool_id: null, segment_id: null,
    description: '', tags: [], revision_number: 0, created_at: neutronTime(declaredAt), updated_at: neutronTime(declaredAt),
  }
}

export function renderPort(p: Port): Record<string, unknown> {
  const project = p.projectId ?? ''
  return {
    id: p.id, name: p.name, tenant_id: project, project_id: project, network_id: p.networkId,
    mac_address: macAddressOf(p.id), admin_state_up: true, status: p.deviceId ? 'ACTIVE' : 'DOWN',
    device_id: p.deviceId ?? '', device_owner: p.deviceOwner ?? '',
    fixed_ips: [{ subnet_id: p.subnetId, ip_address: p.ipAddress }],
    allowed_address_pairs: [], extra_dhcp_opts: [], security_groups: [], port_security_enabled: true,
    'binding:vnic_type': 'normal', qos_policy_id: null, qos_network_policy_id: null,
    description: '', tags: [], revision_number: 0, created_at: neutronTime(p.createdAt), updated_at: neutronTime(p.createdAt),
  }
}

/** Attribute names usable as filters, per resource (the rendered keys). */
export const NETWORK_ATTRIBUTES = Object.keys(renderNetwork({ id: '', name: '', subnets: [] }, '2000-01-01T00:00:00'))
export const SUBNET_ATTRIBUTES = Object.keys(renderSubnet({ id: '', name: '', networkId: '', cidr: '', ipVersion: 4, gatewayIp: null }, '2000-01-01T00:00:00'))
export const PORT_ATTRIBUTES = Object.keys(renderPort({
  id: '', name: '', networkId: '', subnetId: '', ipAddress: '', deviceId: null, deviceOwner: null, projectId: null, createdAt: '2000-01-01T00:00:00',
}))
