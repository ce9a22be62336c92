/**
 * The contract between the controller (worker, health manager) and the amphora
 * agent: paths, bodies and answers of the agent's REST API. Both sides import
 * these types; change them only together.
 *
 * One agent process serves every amphora of its host (DESIGN.md §5), so the
 * per-amphora part of Octavia's agent API (`/1.0/...`) lives under
 * `/amphorae/{amphora_id}`. Transport: HTTPS with mutual TLS from octavia-ts's
 * own CA; the controller checks that the agent's certificate names the agent
 * host, the agent accepts only client certificates issued by the same CA.
 *
 * | Method | Path | Body → Answer |
 * |---|---|---|
 * | GET | `/` | → `AgentRoot` |
 * | GET | `/1.0/info` | → `AgentInfo` |
 * | PUT | `/1.0/certificate` | PEM certificate + private key (text/plain, application/x-pem-file or application/octet-stream) → 200 `CertificateInstalled`; the agent's own server certificate (one per agent host, so for every amphora it serves), used for new connections at once and kept across restarts; 400 `AgentError` and nothing changed when it does not parse, the key does not match, it is not valid now or not issued by a CA the agent trusts (idempotent) |
 * | GET | `/amphorae` | → `AmphoraInventory`: every amphora the agent finds on its host, registered or not (read-only; the controller's orphan sweep compares it with the database) |
 * | PUT | `/amphorae/{amp}` | `AmphoraRegistration` → 200 `AmphoraState` (idempotent: creates the amphora's directory) |
 * | GET | `/amphorae/{amp}` | → `AmphoraState` (404 `AgentError` when unknown) |
 * | DELETE | `/amphorae/{amp}` | → 204; stops every process of the amphora (keepalived first, then the VIP addresses it may have left are removed), removes its files; for an amphora that is not registered, ends the processes `GET /amphorae` lists for it (idempotent) |
 * | PUT | `/amphorae/{amp}/1.0/loadbalancer/{lb}/certificates` | `CertificateFilesUpload` (certificate-files.ts) → 200 `AgentMessage`; each PEM stored as `certs/<sha-256>.pem` (0600, directory 0700) unless there; 400 `AgentError` when a name is not its content's SHA-256 or a content is not PEM (nothing stored; never echoes content); files neither the config in use nor the last known good one names are removed after a successful start or reload (once older than a grace period), all of them with the load balancer (idempotent) |
 * | PUT | `/amphorae/{amp}/1.0/loadbalancer/{lb}/haproxy` | text/plain haproxy.cfg → 202; 400 `AgentError` with `haproxy -c` output in `details` (the running config is untouched) |
 * | PUT | `/amphorae/{amp}/1.0/loadbalancer/{lb}/haproxy?applied=runtime` | text/plain haproxy.cfg → 202; stored as the config in use WITHOUT `haproxy -c`: only after its difference went through `…/servers` (the next reload uses it) |
 * | GET | `/amphorae/{amp}/1.0/loadbalancer/{lb}/haproxy` | → text/plain, the config in use (404 when none) |
 * | PUT | `/amphorae/{amp}/1.0/loadbalancer/{lb}/{start\|stop\|reload}` | → 202 `AgentMessage`; reload of a stopped LB starts it; a failed reload restores the last known good config and answers 500 `AgentError` |
 * | DELETE | `/amphorae/{amp}/1.0/listeners/{lb}` | → 204; stops that HAProxy and removes its files (idempotent) |
 * | PUT | `/amphorae/{amp}/1.0/loadbalancer/{lb}/servers` | `ServerStateChange[]` (schema: server-change-schema.ts) → 200; applied through the HAProxy runtime API, no reload |
 * | GET | `/amphorae/{amp}/1.0/stats` | → `AmphoraStats` (heartbeat-shaped, absolute counters) |
 * | PUT | `/amphorae/{amp}/1.0/vrrp` | `VrrpSpec` → 200 `AgentMessage`; the agent renders keepalived.conf for the interface carrying `ownIp` in the amphora's namespace, checks it (`keepalived --config-test` in the namespace), stores spec and config, and reloads a running keepalived (SIGHUP); 400 `AgentError` for an invalid spec, an amphora without a namespace, no interface with `ownIp`, or a refused config (idempotent) |
 * | PUT | `/amphorae/{amp}/1.0/vrrp/{start\|stop\|reload}` | → 202 `AgentMessage`; start of a running keepalived reloads it (SIGHUP), reload of a stopped one starts it, stop of a stopped one is fine (stop also removes any VIP left on the interface); 404 `AgentError` for start/reload without a stored spec; 400 without a namespace |
 * | GET | `/amphorae/{amp}/1.0/vrrp` | → `VrrpStatus` (400 without a namespace) |
 */

/** `GET /` */
export interface AgentRoot { readonly api_version: '1.0' }

/** `GET /1.0/info` */
export interface AgentInfo {
  readonly hostname: string
  readonly haproxy_version: string
  readonly api_version: '1.0'
  readonly keepalived_version?: string
}

/**
 * `PUT /1.0/certificate`: the server certificate the agent now presents
 * (housekeeping records `not_after` as every amphora's `cert_expiration`).
 */
export interface CertificateInstalled {
  readonly message: 'OK'
  /** Upper-case hexadecimal. */
  readonly serial_number: string
  /** ISO 8601. */
  readonly not_before: string
  /** ISO 8601. */
  readonly not_after: string
}

/** Where an amphora's processes run on the agent's host. */
export interface AmphoraRegistration {
  /** Network namespace to run HAProxy in (`ip netns exec`), or null for the host namespace (loopback mode). */
  readonly netns: string | null
}

export interface AmphoraState extends AmphoraRegistration {
  readonly id: string
  /** Load balancers with a config on this amphora, and whether their HAProxy runs. */
  readonly loadbalancers: readonly { readonly id: string; readonly running: boolean; readonly pid: number | null }[]
}

/**
 * `GET /amphorae`: what the agent hosts. An amphora is the agent's when its
 * base directory says so: registered there, or running processes started
 * with its paths below that directory (HAProxy's and keepalived's `-f`).
 * Nothing else (a namespace's name, a process's program name) counts.
 */
export interface AmphoraInventory {
  /** Amphorae registered in the base directory, sorted. */
  readonly registered: readonly string[]
  /**
   * Amphorae with no registration whose processes still run (an earlier
   * agent's, whose state directory was deleted), sorted; `pids` of their
   * HAProxy and keepalived processes.
   */
  readonly unregistered: readonly { readonly id: string; readonly pids: readonly number[] }[]
}

/**
 * A runtime change of one server (member) in one backend, without a reload.
 *
 * - `op` 'set' (the default): weight, state and/or address of an existing server;
 * - `op` 'add': a new (dynamic) server at `address`:`port` with the server
 *   line's `keywords` (HAProxy 2.6 `add server`; `weight` goes in the
 *   keywords), its checks enabled when they include `check`, then made ready
 *   unless `state` is 'maint';
 * - `op` 'delete': the server is put in maintenance, its sessions shut down,
 *   then removed.
 */
export interface ServerStateChange {
  readonly op?: 'set' | 'add' | 'delete'
  /** Backend name as rendered (`<pool_id>:<listener_id>`). */
  readonly backend: string
  /** Server name as rendered (the member id). */
  readonly server: string
  /** Within SERVER_WEIGHT (server-change-schema.ts): a member's weight. */
  readonly weight?: number
  readonly state?: 'ready' | 'drain' | 'maint'
  readonly address?: string
  /** Within SERVER_PORT (server-change-schema.ts): a member's protocol_port. */
  readonly port?: number
  /** For 'add': the server line's words after `<address>:<port>` (without `disabled`). */
  readonly keywords?: readonly string[]
}

/** Statistics of one amphora, shaped like Octavia's v3 heartbeat but with absolute counters. */
export interface AmphoraStats {
  readonly listeners: Readonly<Record<string, {
    readonly status: 'OPEN' | 'FULL' | 'DOWN'
    readonly stats: { readonly tx: number; readonly rx: number; readonly conns: number; readonly totconns: number; readonly ereq: number }
  }>>
  /** Key `<pool_id>:<listener_id>`; member status as HAProxy reports it (UP, DOWN, DRAIN, MAINT, no check). */
  readonly pools: Readonly<Record<string, {
    readonly status: 'UP' | 'DOWN'
    readonly members: Readonly<Record<string, string>>
  }>>
}

/**
 * `PUT /amphorae/{amp}/1.0/vrrp`: the keepalived (VRRP) settings of one
 * amphora of an ACTIVE_STANDBY load balancer (reference/controlplane.md §7).
 * Both amphorae start as BACKUP with `nopreempt`; the higher priority wins the
 * first election. Every field is validated strictly (nothing in it can add a
 * line or a directive to keepalived.conf).
 */
export interface VrrpSpec {
  /** VRRP instance name: the load balancer id without dashes; `[A-Za-z0-9_]{1,32}`. */
  readonly groupName: string
  /** `virtual_router_id`, 1..255. */
  readonly vrrpId: number
  /** 1..254 (MASTER 100, BACKUP 90). */
  readonly priority: number
  /** `auth_type PASS` password, `[A-Za-z0-9]{1,8}` (Octavia: 7 random characters); unused with VRRPv3. */
  readonly authPassword: string
  /**
   * Seconds between advertisements: an integer 1..255 (VRRPv2 with PASS
   * authentication, as Octavia), or a multiple of 0.01 in 0.01..40.95 that is
   * not an integer (VRRPv3, which has no authentication: faster takeover).
   * An IPv6 `ownIp` always uses VRRPv3 (integer intervals up to 40).
   */
  readonly advertInt: number
  /** This amphora's VRRP address on the VIP network (`unicast_src_ip`); it selects the interface. */
  readonly ownIp: string
  /** The other amphorae's VRRP addresses (`unicast_peer`), same family as ownIp; 1..8. */
  readonly peerIps: readonly string[]
  /** VIPs with prefix length (`10.213.0.5/24`), 1..32; those of the other family than ownIp are `virtual_ipaddress_excluded`. */
  readonly vips: readonly string[]
}

/** `GET /amphorae/{amp}/1.0/vrrp` */
export interface VrrpStatus {
  /** keepalived runs (its parent process is alive). */
  readonly running: boolean
  readonly pid: number | null
  /** Every VIP of the stored spec is on the amphora's interface now (false without a spec). */
  readonly holdsVip: boolean
}

/** Success message of an action. */
export interface AgentMessage { readonly message: string; readonly details?: string }

/** Every error answer of the agent. */
export interface AgentError { readonly message: string; readonly details?: string }

/** Default TCP port of the agent (Octavia's `[haproxy_amphora] bind_port`). */
export const AGENT_DEFAULT_PORT = 9443
