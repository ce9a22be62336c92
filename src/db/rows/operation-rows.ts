/**
 * Row types of what runs the load balancers: statistics, amphorae and their
 * health, IPAM ports, durable jobs, quotas, flavors and availability zones
 * (see schema.ts for the conventions every row type follows).
 */
import type { Generated } from 'kysely'
import type { Bool } from './resource-rows.js'

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
