/**
 * The read-only domain view of one load balancer, as the data plane needs it:
 * the load balancer with its VIPs, listeners (with their L7 policies and
 * rules), pools (with members, health monitor and session persistence) and
 * amphorae. It is what `renderHaproxyConfig` takes.
 *
 * Every field comes from one column of `src/db/schema.ts` (named in its type
 * through the row type), converted once by the loader: camelCase names,
 * 0/1 integers turned into booleans, JSON text parsed. Enumerations stay
 * strings, as stored; the renderer rejects values it does not know.
 * Children are nested under their parent; objects in PENDING_DELETE are kept
 * (the renderer leaves them out), rows in DELETED are not loaded at all.
 */
import type {
  AdditionalVipRow, AmphoraRow, HealthMonitorRow, L7PolicyRow, L7RuleRow,
  ListenerRow, LoadBalancerRow, MemberRow, PoolRow, VipRow,
} from '../db/schema.js'

/**
 * Fields every provisioned object carries. `name`/`description` are free
 * text: they are part of the view for diagnostics and are never rendered.
 */
interface Provisioned {
  readonly id: string
  /** Column `enabled` (API `admin_state_up`), 0/1 → boolean. */
  readonly enabled: boolean
  /** Column `provisioning_status`; PENDING_DELETE objects are not rendered. */
  readonly provisioningStatus: string
  /** Tags from the `tag` table, if the loader reads them (never rendered). */
  readonly tags?: readonly string[]
}

/** Column `vip.*` of the load balancer. */
export interface VipView {
  readonly ipAddress: VipRow['ip_address']
  readonly subnetId: VipRow['subnet_id']
  readonly portId: VipRow['port_id']
}

/** One row of `additional_vip`: an extra address every listener binds too. */
export interface AdditionalVipView {
  readonly ipAddress: AdditionalVipRow['ip_address']
  readonly subnetId: AdditionalVipRow['subnet_id']
}

/** An amphora row of this load balancer (peers of ACTIVE_STANDBY). */
export interface AmphoraView {
  readonly id: AmphoraRow['id']
  /** Column `status`; only ALLOCATED amphorae become peers. */
  readonly status: AmphoraRow['status']
  readonly role: AmphoraRow['role']
  readonly vrrpIp: AmphoraRow['vrrp_ip']
}

export interface L7RuleView extends Provisioned {
  readonly type: L7RuleRow['type']
  readonly compareType: L7RuleRow['compare_type']
  readonly key: L7RuleRow['key']
  readonly value: L7RuleRow['value']
  /** Column `invert`, 0/1 → boolean. */
  readonly invert: boolean
}

export interface L7PolicyView extends Provisioned {
  readonly name: L7PolicyRow['name']
  readonly description: L7PolicyRow['description']
  readonly action: L7PolicyRow['action']
  readonly position: L7PolicyRow['position']
  readonly redirectPoolId: L7PolicyRow['redirect_pool_id']
  readonly redirectUrl: L7PolicyRow['redirect_url']
  readonly redirectPrefix: L7PolicyRow['redirect_prefix']
  readonly redirectHttpCode: L7PolicyRow['redirect_http_code']
  /** The `l7rule` rows of this policy, any order. */
  readonly rules: readonly L7RuleView[]
}

/**
 * Which headers a listener inserts: the JSON map of column `insert_headers`
 * with its "true"/"false" strings (any case) turned into booleans.
 */
export type InsertHeadersView = Readonly<Record<string, boolean>>

export interface ListenerView extends Provisioned {
  readonly name: ListenerRow['name']
  readonly description: ListenerRow['description']
  readonly protocol: ListenerRow['protocol']
  readonly protocolPort: ListenerRow['protocol_port']
  /** Column `connection_limit`; null or -1 means the configured default. */
  readonly connectionLimit: ListenerRow['connection_limit']
  readonly defaultPoolId: ListenerRow['default_pool_id']
  readonly insertHeaders: InsertHeadersView
  /** Milliseconds; null means the configured default. */
  readonly timeoutClientData: ListenerRow['timeout_client_data']
  readonly timeoutMemberConnect: ListenerRow['timeout_member_connect']
  readonly timeoutMemberData: ListenerRow['timeout_member_data']
  readonly timeoutTcpInspect: ListenerRow['timeout_tcp_inspect']
  /** Column `allowed_cidrs` (JSON list) parsed; empty means everyone. */
  readonly allowedCidrs: readonly string[]
  /** The `l7policy` rows of this listener, any order (rendered by `position`). */
  readonly l7Policies: readonly L7PolicyView[]
}

/** Columns `sp_*` of the pool; the pool's `sessionPersistence` is null when `sp_type` is. */
export interface SessionPersistenceView {
  readonly type: NonNullable<PoolRow['sp_type']>
  readonly cookieName: PoolRow['sp_cookie_name']
  readonly persistenceTimeout: PoolRow['sp_persistence_timeout']
  readonly persistenceGranularity: PoolRow['sp_persistence_granularity']
}

export interface HealthMonitorView extends Provisioned {
  readonly name: HealthMonitorRow['name']
  readonly type: HealthMonitorRow['type']
  /** Seconds between checks. */
  readonly delay: HealthMonitorRow['delay']
  /** Seconds a check may take. */
  readonly timeout: HealthMonitorRow['timeout']
  /** API `max_retries`, column `rise_threshold`. */
  readonly maxRetries: HealthMonitorRow['rise_threshold']
  /** API `max_retries_down`, column `fall_threshold`. */
  readonly maxRetriesDown: HealthMonitorRow['fall_threshold']
  readonly httpMethod: HealthMonitorRow['http_method']
  readonly urlPath: HealthMonitorRow['url_path']
  readonly expectedCodes: HealthMonitorRow['expected_codes']
  /** 1.0 or 1.1, or null for HAProxy's default (HTTP/1.0). */
  readonly httpVersion: HealthMonitorRow['http_version']
  readonly domainName: HealthMonitorRow['domain_name']
}

export interface MemberView extends Provisioned {
  readonly name: MemberRow['name']
  /** Column `ip_address`. */
  readonly address: MemberRow['ip_address']
  readonly protocolPort: MemberRow['protocol_port']
  /** 0–256; 0 drains the member (no new connections, still checked). */
  readonly weight: MemberRow['weight']
  /** Column `backup`, 0/1 → boolean. */
  readonly backup: boolean
  readonly monitorAddress: MemberRow['monitor_address']
  readonly monitorPort: MemberRow['monitor_port']
}

export interface PoolView extends Provisioned {
  readonly name: PoolRow['name']
  readonly description: PoolRow['description']
  readonly protocol: PoolRow['protocol']
  readonly lbAlgorithm: PoolRow['lb_algorithm']
  readonly sessionPersistence: SessionPersistenceView | null
  /** Column `tls_enabled` (re-encryption towards members), 0/1 → boolean. */
  readonly tlsEnabled: boolean
  readonly tlsCiphers: PoolRow['tls_ciphers']
  /** Column `tls_versions` (JSON list or null) parsed. */
  readonly tlsVersions: readonly string[] | null
  /** Column `alpn_protocols` (JSON list or null) parsed. */
  readonly alpnProtocols: readonly string[] | null
  /** Certificate references; the renderer does not support them yet (it throws). */
  readonly tlsCertificateId: PoolRow['tls_certificate_id']
  readonly caTlsCertificateId: PoolRow['ca_tls_certificate_id']
  readonly crlContainerId: PoolRow['crl_container_id']
  /** The `member` rows of this pool, any order (rendered sorted by id). */
  readonly members: readonly MemberView[]
  /** The pool's `health_monitor` row, or null. */
  readonly healthMonitor: HealthMonitorView | null
}

export interface LoadBalancerView extends Provisioned {
  readonly projectId: LoadBalancerRow['project_id']
  readonly name: LoadBalancerRow['name']
  readonly description: LoadBalancerRow['description']
  /** SINGLE or ACTIVE_STANDBY. */
  readonly topology: LoadBalancerRow['topology']
  readonly vip: VipView
  readonly additionalVips: readonly AdditionalVipView[]
  /** Every listener row of the load balancer, any order (rendered sorted by id). */
  readonly listeners: readonly ListenerView[]
  /** Every pool row of the load balancer; listeners refer to them by id. */
  readonly pools: readonly PoolView[]
  /** The amphora rows of the load balancer (used for ACTIVE_STANDBY peers). */
  readonly amphorae: readonly AmphoraView[]
}
