import { renderTime } from '../../../common/time.js'
import type { AmphoraRow } from '../../../db/schema.js'

/** An amphora as Octavia's admin API shows it (AmphoraResponse), in its attribute order. */
export type AmphoraJson = {
  id: string
  loadbalancer_id: string | null
  compute_id: string | null
  lb_network_ip: string | null
  vrrp_ip: string | null
  ha_ip: string | null
  vrrp_port_id: string | null
  ha_port_id: string | null
  cert_expiration: string | null
  cert_busy: boolean
  role: string | null
  status: string
  vrrp_interface: string | null
  vrrp_id: number | null
  vrrp_priority: number | null
  cached_zone: string | null
  created_at: string | null
  updated_at: string | null
  image_id: string | null
  compute_flavor: string | null
}

/** Renders an amphora row; timestamps (cert_expiration too) as `YYYY-MM-DDTHH:MM:SS`. */
export function renderAmphora(row: AmphoraRow): AmphoraJson {
  return {
    id: row.id,
    loadbalancer_id: row.load_balancer_id,
    compute_id: row.compute_id,
    lb_network_ip: row.lb_network_ip,
    vrrp_ip: row.vrrp_ip,
    ha_ip: row.ha_ip,
    vrrp_port_id: row.vrrp_port_id,
    ha_port_id: row.ha_port_id,
    cert_expiration: renderTime(row.cert_expiration),
    cert_busy: Boolean(row.cert_busy),
    role: row.role,
    status: row.status,
    vrrp_interface: row.vrrp_interface,
    vrrp_id: row.vrrp_id === null ? null : Number(row.vrrp_id),
    vrrp_priority: row.vrrp_priority === null ? null : Number(row.vrrp_priority),
    cached_zone: row.cached_zone,
    created_at: renderTime(row.created_at),
    updated_at: renderTime(row.updated_at),
    image_id: row.image_id,
    compute_flavor: row.compute_flavor,
  }
}
