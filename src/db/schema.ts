/**
 * Row types of every table, as Kysely sees them. Portable across SQLite and
 * PostgreSQL: booleans are integers 0/1, timestamps are ISO-8601 text
 * (`YYYY-MM-DDTHH:MM:SS.mmm`, UTC, sortable), lists and maps are JSON text.
 * Column names follow Octavia's database where one exists.
 */
import type { Generated } from 'kysely'

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

/** Per-listener, per-amphora traffic counters, as reported by the data plane. */
export interface ListenerStatisticsRow {
  listener_id: string
  amphora_id: string
  bytes_in: number
  bytes_out: number
  active_connections: number
  total_connections: number
  request_errors: number
  updated_at: string | null
  /** seq of the newest heartbeat whose deltas the row includes (migration 0003); 0 for rows written otherwise. */
  last_seq: Generated<number>
}

/**
 * Liveness of an amphora as the health manager sees it (migration 0003):
 * receive time of its newest accepted heartbeat (epoch ms) and whether a
 * health manager claimed it for a failover.
 */
export interface AmphoraHealthRow {
  amphora_id: string
  last_update: number
  busy: Bool
}

export interface AmphoraRow {
  id: string
  load_balancer_id: string | null
  compute_id: string | null
  status: string
  lb_network_ip: string | null
  vrrp_ip: string | null
  ha_ip: string | null
  vrrp_port_id: string | null
  ha_port_id: string | null
  role: string | null
  cert_expiration: string | null
  cert_busy: Bool
  vrrp_interface: string | null
  vrrp_id: number | null
  vrrp_priority: number | null
  cached_zone: string | null
  image_id: string | null
  compute_flavor: string | null
  created_at: string
  updated_at: string | null
}

/**
 * A port of the local network driver: one fixed IP on a configured subnet.
 * The unique (subnet_id, ip_address) index is the IPAM: two owners can never
 * hold one address.
 */
export interface PortRow {
  id: string
  name: string | null
  network_id: string
  subnet_id: string
  ip_address: string
  device_id: string | null
  device_owner: string | null
  project_id: string | null
  created_at: string
}

/**
 * A durable job: one operation of the worker (a flow run). Inserted by the API
 * in the same transaction as the PENDING_* change it will resolve, so a crash
 * can never leave a PENDING_* object without a job that finishes it.
 */
export interface JobRow {
  id: string
  operation: string // octavia-lib provider method name, e.g. loadbalancer_create
  provider: string
  load_balancer_id: string | null
  payload: string // JSON, ids and small option values only
  state: string // PENDING | RUNNING | REVERTING | DONE | FAILED
  step: number // index of the next task to run (forward) or to revert (backward)
  results: string // JSON {taskName: result}
  attempts: number
  lease_owner: string | null
  lease_expires_at: number | null // epoch ms
  error: string | null
  created_at: string
  updated_at: string | null
}

/**
 * A project's quota limits (Octavia's `quotas`). A null limit means the
 * `[quotas] default_*_quota` of the configuration. In-use counts are not
 * stored: they are counted from the live rows (see quota-repository.ts).
 */
export interface QuotaRow {
  project_id: string
  load_balancer: number | null
  listener: number | null
  pool: number | null
  health_monitor: number | null
  member: number | null
  l7policy: number | null
  l7rule: number | null
  created_at: string
  updated_at: string | null
}

export interface FlavorProfileRow {
  id: string
  name: string | null
  provider_name: string
  flavor_data: string // JSON text as given
  created_at: string
}

export interface FlavorRow {
  id: string
  name: string | null // unique; required on create, a PUT may clear it (as in Octavia)
  description: string | null
  enabled: Bool
  flavor_profile_id: string
  created_at: string
}

export interface AvailabilityZoneProfileRow {
  id: string
  name: string | null
  provider_name: string
  availability_zone_data: string // JSON text as given
  created_at: string
}

/** An availability zone, keyed by its name (load_balancer.availability_zone holds the name). */
export interface AvailabilityZoneRow {
  name: string
  description: string | null
  enabled: Bool
  availability_zone_profile_id: string
  created_at: string
}

export interface DB {
  load_balancer: LoadBalancerRow
  vip: VipRow
  additional_vip: AdditionalVipRow
  listener: ListenerRow
  pool: PoolRow
  member: MemberRow
  health_monitor: HealthMonitorRow
  l7policy: L7PolicyRow
  l7rule: L7RuleRow
  tag: TagRow
  listener_statistics: ListenerStatisticsRow
  amphora: AmphoraRow
  amphora_health: AmphoraHealthRow
  port: PortRow
  job: JobRow
  quota: QuotaRow
  flavor_profile: FlavorProfileRow
  flavor: FlavorRow
  availability_zone_profile: AvailabilityZoneProfileRow
  availability_zone: AvailabilityZoneRow
}
