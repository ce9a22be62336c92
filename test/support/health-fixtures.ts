import { randomUUID } from 'node:crypto'
import { nowIso } from '../../src/common/time.js'
import type { Executor } from '../../src/db/database.js'
import type { Heartbeat } from '../../src/amphora-api/heartbeat-codec.js'

/**
 * Rows the health manager reads, inserted straight into the database (as
 * Octavia's functional tests do): an amphora-provider load balancer with its
 * listeners, pools, members and amphorae. Used by the health manager's
 * component tests and by bench/health-manager.ts.
 */

/** Ids of one seeded load balancer. */
export interface SeededLoadBalancer {
  readonly lbId: string
  readonly amphoraIds: readonly string[]
  readonly listenerIds: readonly string[]
  /** One pool per listener (its default pool). */
  readonly poolIds: readonly string[]
  /** Member ids per pool, in pool order. */
  readonly memberIds: readonly (readonly string[])[]
}

export interface SeedOptions {
  readonly listeners?: number
  readonly membersPerPool?: number
  readonly amphorae?: number
  readonly provisioningStatus?: string
  readonly operatingStatus?: string
  readonly enabled?: boolean
  readonly amphoraStatus?: string
  readonly provider?: string
}

const common = (at: string) => ({ project_id: 'p-health', name: null, description: null, created_at: at, updated_at: null })

/** Inserts one load balancer (ACTIVE, ONLINE, one listener, pool and two members, one ALLOCATED amphora by default). */
export async function seedLoadBalancer(db: Executor, o: SeedOptions = {}): Promise<SeededLoadBalancer> {
  const lbId = randomUUID()
  const at = nowIso()
  const status = o.operatingStatus ?? 'ONLINE'
  await db.insertInto('load_balancer').values({
    id: lbId, ...common(at), provisioning_status: o.provisioningStatus ?? 'ACTIVE', operating_status: status,
    enabled: o.enabled === false ? 0 : 1, topology: (o.amphorae ?? 1) > 1 ? 'ACTIVE_STANDBY' : 'SINGLE',
    provider: o.provider ?? 'amphora', flavor_id: null, availability_zone: null,
  }).execute()
  const listenerIds: string[] = []
  const poolIds: string[] = []
  const memberIds: string[][] = []
  for (let i = 0; i < (o.listeners ?? 1); i++) {
    const poolId = randomUUID()
    await db.insertInto('pool').values({
      id: poolId, ...common(at), load_balancer_id: lbId, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN',
      provisioning_status: 'ACTIVE', operating_status: status, enabled: 1, sp_type: null, sp_cookie_name: null,
      sp_persistence_timeout: null, sp_persistence_granularity: null, tls_enabled: 0, tls_certificate_id: null,
      ca_tls_certificate_id: null, crl_container_id: null, tls_ciphers: null, tls_versions: null, alpn_protocols: null,
    }).execute()
    const listenerId = randomUUID()
    await db.insertInto('listener').values({
      id: listenerId, ...common(at), load_balancer_id: lbId, protocol: 'HTTP', protocol_port: 8000 + i, connection_limit: null,
      default_pool_id: poolId, provisioning_status: 'ACTIVE', operating_status: status, enabled: 1, insert_headers: '{}',
      timeout_client_data: null, timeout_member_connect: null, timeout_member_data: null, timeout_tcp_inspect: null,
      tls_certificate_id: null, sni_containers: '[]', client_authentication: 'NONE', client_ca_tls_certificate_id: null,
      client_crl_container_id: null, allowed_cidrs: '[]', tls_ciphers: null, tls_versions: null, alpn_protocols: null,
      hsts_max_age: null, hsts_include_subdomains: 0, hsts_preload: 0,
    }).execute()
    const members: string[] = []
    for (let m = 0; m < (o.membersPerPool ?? 2); m++) {
      const memberId = randomUUID()
      await db.insertInto('member').values({
        id: memberId, project_id: 'p-health', name: null, created_at: at, updated_at: null, pool_id: poolId, ip_address: `192.0.2.${m + 1}`, protocol_port: 80, subnet_id: null,
        weight: 1, backup: 0, monitor_address: null, monitor_port: null, provisioning_status: 'ACTIVE', operating_status: status,
        enabled: 1, vnic_type: 'normal',
      }).execute()
      members.push(memberId)
    }
    listenerIds.push(listenerId)
    poolIds.push(poolId)
    memberIds.push(members)
  }
  const amphoraIds: string[] = []
  for (let a = 0; a < (o.amphorae ?? 1); a++) {
    const id = randomUUID()
    await db.insertInto('amphora').values({
      id, load_balancer_id: lbId, compute_id: `compute-${id}`, status: o.amphoraStatus ?? 'ALLOCATED', lb_network_ip: '127.0.0.1',
      vrrp_ip: null, ha_ip: null, vrrp_port_id: null, ha_port_id: null, role: (o.amphorae ?? 1) > 1 ? (a === 0 ? 'MASTER' : 'BACKUP') : 'STANDALONE',
      cert_expiration: null, cert_busy: 0, vrrp_interface: null, vrrp_id: null, vrrp_priority: null, cached_zone: null,
      image_id: null, compute_flavor: null, created_at: at, updated_at: null,
    }).execute()
    amphoraIds.push(id)
  }
  return { lbId, amphoraIds, listenerIds, poolIds, memberIds }
}

/** Per-listener counters of a heartbeat (deltas, `conns` absolute). */
export type BeatStats = { rx: number; tx: number; conns: number; totconns: number; ereq: number }

/**
 * A v3 heartbeat of `amphoraId` for `lb`: every listener OPEN, every pool UP,
 * every member `memberStatus` unless `members` overrides it.
 */
export function heartbeatFor(lb: SeededLoadBalancer, amphoraId: string, seq: number, o: {
  memberStatus?: string
  members?: Readonly<Record<string, string>>
  pools?: Readonly<Record<string, string>>
  listeners?: Readonly<Record<string, string>>
  stats?: BeatStats
  failed?: string
} = {}): Heartbeat {
  const stats = o.stats ?? { rx: 0, tx: 0, conns: 0, totconns: 0, ereq: 0 }
  const listeners = Object.fromEntries(lb.listenerIds.map(id => [id, { status: o.listeners?.[id] ?? 'OPEN', stats }]))
  const pools = Object.fromEntries(lb.poolIds.map((p, i) => [`${p}:${lb.listenerIds[i]}`, {
    status: o.pools?.[p] ?? 'UP',
    members: Object.fromEntries(lb.memberIds[i]!.map(m => [m, o.members?.[m] ?? o.memberStatus ?? 'UP'])),
  }]))
  return { id: amphoraId, seq, ver: 3, listeners, pools, ...(o.failed === undefined ? {} : { failed: o.failed }) }
}
