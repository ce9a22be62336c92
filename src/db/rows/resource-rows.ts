/**
 * Row types of the load-balancing resources (see schema.ts for the
 * conventions every row type follows).
 */

/** A boolean column: 0 or 1 (portable across SQLite and PostgreSQL). */
export type Bool = number

export interface LoadBalancerRow {
  id: string
  project_id: string | null
  name: string | null
  description: string | null
  provisioning_status: string
  operating_status: string
  enabled: Bool
  topology: string | null
  provider: string | null
  flavor_id: string | null
  availability_zone: string | null
  created_at: string
  updated_at: string | null
}

export interface VipRow {
  load_balancer_id: string
  ip_address: string | null
  port_id: string | null
  subnet_id: string | null
  network_id: string | null
  qos_policy_id: string | null
  octavia_owned: Bool
  vnic_type: string
  sg_ids: string // JSON string[]
}

export interface AdditionalVipRow {
  load_balancer_id: string
  subnet_id: string
  network_id: string | null
  port_id: string | null
  ip_address: string | null
}

export interface ListenerRow {
  id: string
  project_id: string | null
  load_balancer_id: string
  name: string | null
  description: string | null
  protocol: string
  protocol_port: number
  connection_limit: number | null
  default_pool_id: string | null
  provisioning_status: string
  operating_status: string
  enabled: Bool
  insert_headers: string // JSON {header: "true"}
  timeout_client_data: number | null
  timeout_member_connect: number | null
  timeout_member_data: number | null
  timeout_tcp_inspect: number | null
  tls_certificate_id: string | null
  sni_containers: string // JSON string[] (ordered)
  client_authentication: string
  client_ca_tls_certificate_id: string | null
  client_crl_container_id: string | null
  allowed_cidrs: string // JSON string[]
  tls_ciphers: string | null
  tls_versions: string | null // JSON string[] or null
  alpn_protocols: string | null // JSON string[] or null
  hsts_max_age: number | null
  hsts_include_subdomains: Bool
  hsts_preload: Bool
  created_at: string
  updated_at: string | null
}

export interface PoolRow {
  id: string
  project_id: string | null
  load_balancer_id: string
  name: string | null
  description: string | null
  protocol: string
  lb_algorithm: string
  provisioning_status: string
  operating_status: string
  enabled: Bool
  sp_type: string | null
  sp_cookie_name: string | null
  sp_persistence_timeout: number | null
  sp_persistence_granularity: string | null
  tls_enabled: Bool
  tls_certificate_id: string | null
  ca_tls_certificate_id: string | null
  crl_container_id: string | null
  tls_ciphers: string | null
  tls_versions: string | null
  alpn_protocols: string | null
  created_at: string
  updated_at: string | null
}

export interface MemberRow {
  id: string
  project_id: string | null
  pool_id: string
  name: string | null
  ip_address: string
  protocol_port: number
  subnet_id: string | null
  weight: number
  backup: Bool
  monitor_address: string | null
  monitor_port: number | null
  provisioning_status: string
  operating_status: string
  enabled: Bool
  vnic_type: string
  created_at: string
  updated_at: string | null
}

export interface HealthMonitorRow {
  id: string
  project_id: string | null
  pool_id: string
  name: string | null
  type: string
  delay: number
  timeout: number
  rise_threshold: number // API max_retries
  fall_threshold: number // API max_retries_down
  http_method: string | null
  url_path: string | null
  expected_codes: string | null
  http_version: number | null
  domain_name: string | null
  provisioning_status: string
  operating_status: string
  enabled: Bool
  created_at: string
  updated_at: string | null
}

export interface L7PolicyRow {
  id: string
  project_id: string | null
  listener_id: string
  name: string | null
  description: string | null
  action: string
  redirect_pool_id: string | null
  redirect_url: string | null
  redirect_prefix: string | null
  redirect_http_code: number | null
  position: number
  provisioning_status: string
  operating_status: string
  enabled: Bool
  created_at: string
  updated_at: string | null
}

export interface L7RuleRow {
  id: string
  project_id: string | null
  l7policy_id: string
  type: string
  compare_type: string
  key: string | null
  value: string
  invert: Bool
  provisioning_status: string
  operating_status: string
  enabled: Bool
  created_at: string
  updated_at: string | null
}

/** Tags of any taggable resource (Octavia's `tags` table). */
export interface TagRow {
  resource_id: string
  tag: string
}
