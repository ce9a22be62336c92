import { isIPv4, isTime, isUuid, matches, type Matcher } from './field-match.js'
import type { NeutronSubnet } from './subnets.js'

/**
 * What openstacksdk 0.101 (Debian python3-openstacksdk) shows of each object,
 * as `Resource.to_dict(computed=False)`: the SDK's attribute names
 * (`is_admin_state_up`, `l7_policies`, `rule_value`, …) and every attribute it
 * defines, `null` where the server sends nothing. Pass the fields that differ
 * from a new object with Octavia's defaults as `overrides`.
 */
type Row = Record<string, unknown>

/** Neutron writes timestamps with a zone, e.g. `2026-12-07T20:48:01Z`. */
export const isNeutronTime: Matcher = matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)

const provisioned = (project: string): Row => ({
  id: isUuid, created_at: isTime, updated_at: null, project_id: project, provisioning_status: 'PENDING_CREATE',
  operating_status: 'OFFLINE', is_admin_state_up: true, tags: [],
})

/** After the first wait: ACTIVE and updated. */
export const ACTIVE: Row = { provisioning_status: 'ACTIVE', updated_at: isTime }

export const sdkLoadBalancer = (project: string, overrides: Row): Row => ({
  ...provisioned(project),
  availability_zone: null, description: '', flavor_id: null, listeners: [], name: '', pools: [], provider: 'noop_driver',
  vip_address: isIPv4, vip_network_id: isUuid, vip_port_id: isUuid, vip_qos_policy_id: null, vip_subnet_id: isUuid,
  ...overrides,
})

export const sdkListener = (project: string, overrides: Row): Row => ({
  ...provisioned(project),
  allowed_cidrs: null, alpn_protocols: null, connection_limit: -1, default_pool: null, default_pool_id: null,
  default_tls_container_ref: null, description: '', insert_headers: {}, l7_policies: [], load_balancer_id: isUuid,
  load_balancers: [], name: '', protocol: 'HTTP', protocol_port: 80, sni_container_refs: [],
  timeout_client_data: 50000, timeout_member_connect: 5000, timeout_member_data: 50000, timeout_tcp_inspect: 0,
  tls_ciphers: null, tls_versions: null,
  ...overrides,
})

export const sdkPool = (project: string, overrides: Row): Row => ({
  ...provisioned(project),
  alpn_protocols: null, description: '', health_monitor_id: null, lb_algorithm: 'ROUND_ROBIN', listener_id: null,
  listeners: [], loadbalancer_id: null, loadbalancers: [], members: [], name: '', protocol: 'HTTP',
  session_persistence: null, tls_ciphers: null, tls_enabled: false, tls_versions: null,
  ...overrides,
})

export const sdkMember = (project: string, overrides: Row): Row => ({
  ...provisioned(project),
  operating_status: 'NO_MONITOR', address: isIPv4, backup: false, monitor_address: null, monitor_port: null, name: '',
  protocol_port: 80, subnet_id: null, weight: 1,
  ...overrides,
})

export const sdkHealthMonitor = (project: string, overrides: Row): Row => ({
  ...provisioned(project),
  delay: 5, expected_codes: '200', http_method: 'GET', max_retries: 3, max_retries_down: 3, name: '', pools: [],
  pool_id: null, timeout: 5, type: 'HTTP', url_path: '/',
  ...overrides,
})

export const sdkL7Policy = (project: string, overrides: Row): Row => ({
  ...provisioned(project),
  action: 'REJECT', description: '', listener_id: isUuid, name: '', position: 1, redirect_pool_id: null,
  redirect_prefix: null, redirect_url: null, rules: [],
  ...overrides,
})

/** An L7 rule: Octavia's rules have no name; the SDK defines one anyway. */
export const sdkL7Rule = (project: string, overrides: Row): Row => ({
  ...provisioned(project),
  compare_type: 'EQUAL_TO', invert: false, key: null, name: null, rule_value: '', type: 'PATH',
  ...overrides,
})

/** A subnet of octavia-ts's Neutron subset as the SDK parses it, from what the server sent (`raw`). */
export const sdkSubnet = (raw: NeutronSubnet & Row): Row => ({
  id: raw.id, name: raw.name, network_id: raw.network_id, cidr: raw.cidr, ip_version: raw.ip_version,
  gateway_ip: raw.gateway_ip, allocation_pools: raw.allocation_pools, is_dhcp_enabled: false,
  created_at: isNeutronTime, updated_at: isNeutronTime, description: '', dns_nameservers: [], dns_publish_fixed_ip: null,
  host_routes: [], ipv6_address_mode: null, ipv6_ra_mode: null, prefix_length: null, project_id: '', tenant_id: '',
  segment_id: null, service_types: [], subnet_pool_id: null, use_default_subnet_pool: null, revision_number: 0, tags: [],
})

/** A network of the Neutron subset as the SDK parses it. */
export const sdkNetwork = (id: string, name: string, subnetIds: readonly string[]): Row => ({
  id, name, subnet_ids: [...subnetIds], status: 'ACTIVE', is_admin_state_up: true, is_shared: true, mtu: 1500,
  is_port_security_enabled: true, is_router_external: false, availability_zone_hints: [], availability_zones: [],
  created_at: isNeutronTime, updated_at: isNeutronTime, description: '', dns_domain: null, ipv4_address_scope_id: null,
  ipv6_address_scope_id: null, is_default: null, project_id: '', provider_network_type: null,
  provider_physical_network: null, provider_segmentation_id: null, qos_policy_id: null, segments: null,
  is_vlan_transparent: null, revision_number: 0, tags: [],
})

/** A load balancer's VIP port (Octavia's name and device owner) as the SDK parses it. */
export const sdkVipPort = (lb: { id: string, vip_port_id: string, vip_address: string, vip_subnet_id: string, vip_network_id: string }, project: string): Row => ({
  id: lb.vip_port_id, name: `octavia-lb-${lb.id}`, device_id: `lb-${lb.id}`, device_owner: 'Octavia', status: 'ACTIVE',
  network_id: lb.vip_network_id, fixed_ips: [{ subnet_id: lb.vip_subnet_id, ip_address: lb.vip_address }],
  project_id: project, tenant_id: project, mac_address: matches(/^fa:16:3e(:[0-9a-f]{2}){3}$/),
  is_admin_state_up: true, is_port_security_enabled: true, allowed_address_pairs: [], extra_dhcp_opts: [],
  security_group_ids: [], binding_vnic_type: 'normal', binding_host_id: null, binding_profile: null,
  binding_vif_details: null, binding_vif_type: null, created_at: isNeutronTime, updated_at: isNeutronTime,
  data_plane_status: null, description: '', device_profile: null, dns_assignment: null, dns_domain: null, dns_name: null,
  ip_allocation: null, numa_affinity_policy: null, propagate_uplink_status: null, qos_network_policy_id: null,
  qos_policy_id: null, resource_request: null, trunk_details: null, revision_number: 0, tags: [],
})
