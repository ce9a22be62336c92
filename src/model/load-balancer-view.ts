/**
 * The read-only domain view of one load balancer, as the data plane needs it:
 * the load balancer with its VIPs, listeners (with their L7 policies and
 * rules), pools (with members, health monitor and session persistence) and
 * amphorae. It is what `renderHaproxyConfig` takes.
 *
 * Every field comes from one column of `src/db/schema.ts` (named in its doc
 * where the names differ), converted once by the loader: camelCase names,
 * 0/1 integers turned into booleans, JSON text parsed. Enumerations stay
 * strings, as stored; the renderer rejects values it does not know. Bounded
 * numbers keep the ranges of member-fields.ts, listener-fields.ts and
 * health-monitor-fields.ts (by API name), which the renderer checks.
 * Children are nested under their parent; objects in PENDING_DELETE are kept
 * (the renderer leaves them out), rows in DELETED are not loaded at all.
 */

/**
 * Fields every provisioned object carries. `name`/`description` are free
 * text: they are part of the view for diagnostics and are never rendered.
 */
export interface Provisioned {
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
  readonly ipAddress: string | null
  readonly subnetId: string | null
  readonly portId: string | null
}

/** One row of `additional_vip`: an extra address every listener binds too. */
export interface AdditionalVipView {
  readonly ipAddress: string | null
  readonly subnetId: string
}

/** An amphora row of this load balancer (peers of ACTIVE_STANDBY). */
export interface AmphoraView {
  readonly id: string
  /** Column `status`; only ALLOCATED amphorae become peers. */
  readonly status: string
  readonly role: string | null
  readonly vrrpIp: string | null
}

export interface L7RuleView extends Provisioned {
  readonly type: string
  readonly compareType: string
  readonly key: string | null
  readonly value: string
  /** Column `invert`, 0/1 → boolean. */
  readonly invert: boolean
}

export interface L7PolicyView extends Provisioned {
  readonly name: string | null
  readonly description: string | null
  readonly action: string
  readonly position: number
  readonly redirectPoolId: string | null
  readonly redirectUrl: string | null
  readonly redirectPrefix: string | null
  readonly redirectHttpCode: number | null
  /** The `l7rule` rows of this policy, any order. */
  readonly rules: readonly L7RuleView[]
}

/**
 * Which headers a listener inserts: the JSON map of column `insert_headers`
 * with its "true"/"false" strings (any case) turned into booleans.
 */
export type InsertHeadersView = Readonly<Record<string, boolean>>

export interface ListenerView extends Provisioned {
  readonly name: string | null
  readonly description: string | null
  readonly protocol: string
  readonly protocolPort: number
  /** Column `connection_limit`; null, -1 or 0 means the configured default. */
  readonly connectionLimit: number | null
  readonly defaultPoolId: string | null
  readonly insertHeaders: InsertHeadersView
  /** Milliseconds; null or 0 means the configured default. */
  readonly timeoutClientData: number | null
  readonly timeoutMemberConnect: number | null
  readonly timeoutMemberData: number | null
  readonly timeoutTcpInspect: number | null
  /** Column `allowed_cidrs` (JSON list) parsed; empty means everyone. */
  readonly allowedCidrs: readonly string[]
  /** The `l7policy` rows of this listener, any order (rendered by `position`). */
  readonly l7Policies: readonly L7PolicyView[]
  /** TLS settings (TERMINATED_HTTPS, and PROMETHEUS with a certificate). */
  readonly tls: ListenerTlsView
}

/**
 * The TLS columns of a listener. References are what the user passed
 * (certificate manager hrefs); the renderer gets the files they became on
 * the amphora separately (TlsFiles), never their contents.
 */
export interface ListenerTlsView {
  /** Column `tls_certificate_id` (API `default_tls_container_ref`). */
  readonly certificateRef: string | null
  /** Column `sni_containers` (JSON list, API `sni_container_refs`) parsed, in order. */
  readonly sniRefs: readonly string[]
  /** Column `client_authentication`: NONE, OPTIONAL or MANDATORY. */
  readonly clientAuthentication: string
  /** Column `client_ca_tls_certificate_id` (API `client_ca_tls_container_ref`). */
  readonly clientCaRef: string | null
  /** Column `client_crl_container_id` (API `client_crl_container_ref`). */
  readonly clientCrlRef: string | null
  readonly ciphers: string | null
  /** Column `tls_versions` (JSON list or null) parsed. */
  readonly versions: readonly string[] | null
  /** Column `alpn_protocols` (JSON list or null) parsed. */
  readonly alpnProtocols: readonly string[] | null
  /** Column `hsts_max_age` (seconds), null: no Strict-Transport-Security header. */
  readonly hstsMaxAge: number | null
  /** Columns `hsts_include_subdomains` / `hsts_preload`, 0/1 → boolean. */
  readonly hstsIncludeSubdomains: boolean
  readonly hstsPreload: boolean
}

/** Columns `sp_*` of the pool; the pool's `sessionPersistence` is null when `sp_type` is. */
export interface SessionPersistenceView {
  readonly type: string
  readonly cookieName: string | null
  readonly persistenceTimeout: number | null
  readonly persistenceGranularity: string | null
}

export interface HealthMonitorView extends Provisioned {
  readonly name: string | null
  readonly type: string
  /** Seconds between checks (0 is rendered as 1). */
  readonly delay: number
  /** Seconds a check may take (0: up to the next check). */
  readonly timeout: number
  /** API `max_retries`, column `rise_threshold`. */
  readonly maxRetries: number
  /** API `max_retries_down`, column `fall_threshold`. */
  readonly maxRetriesDown: number
  readonly httpMethod: string | null
  readonly urlPath: string | null
  readonly expectedCodes: string | null
  /** 1.0 or 1.1, or null for HAProxy's default (HTTP/1.0). */
  readonly httpVersion: number | null
  readonly domainName: string | null
}

export interface MemberView extends Provisioned {
  readonly name: string | null
  /** Column `ip_address`. */
  readonly address: string
  readonly protocolPort: number
  /** MEMBER_FIELDS.weight (0–256); 0 drains the member (no new connections, still checked). */
  readonly weight: number
  /** Column `backup`, 0/1 → boolean. */
  readonly backup: boolean
  readonly monitorAddress: string | null
  readonly monitorPort: number | null
}

export interface PoolView extends Provisioned {
  readonly name: string | null
  readonly description: string | null
  readonly protocol: string
  readonly lbAlgorithm: string
  readonly sessionPersistence: SessionPersistenceView | null
  /** Column `tls_enabled` (re-encryption towards members), 0/1 → boolean. */
  readonly tlsEnabled: boolean
  readonly tlsCiphers: string | null
  /** Column `tls_versions` (JSON list or null) parsed. */
  readonly tlsVersions: readonly string[] | null
  /** Column `alpn_protocols` (JSON list or null) parsed. */
  readonly alpnProtocols: readonly string[] | null
  /**
   * Certificate references (columns `tls_certificate_id`: client certificate
   * shown to members; `ca_tls_certificate_id`: CA that verifies them;
   * `crl_container_id`); the renderer gets their files as TlsFiles.
   */
  readonly tlsCertificateId: string | null
  readonly caTlsCertificateId: string | null
  readonly crlContainerId: string | null
  /** The `member` rows of this pool, any order (rendered sorted by id). */
  readonly members: readonly MemberView[]
  /** The pool's `health_monitor` row, or null. */
  readonly healthMonitor: HealthMonitorView | null
}

export interface LoadBalancerView extends Provisioned {
  readonly projectId: string | null
  readonly name: string | null
  readonly description: string | null
  /** SINGLE or ACTIVE_STANDBY. */
  readonly topology: string | null
  readonly vip: VipView
  readonly additionalVips: readonly AdditionalVipView[]
  /** Every listener row of the load balancer, any order (rendered sorted by id). */
  readonly listeners: readonly ListenerView[]
  /** Every pool row of the load balancer; listeners refer to them by id. */
  readonly pools: readonly PoolView[]
  /** The amphora rows of the load balancer (used for ACTIVE_STANDBY peers). */
  readonly amphorae: readonly AmphoraView[]
}
