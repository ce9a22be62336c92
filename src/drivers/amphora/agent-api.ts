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
 * | PUT | `/amphorae/{amp}` | `AmphoraRegistration` → 200 `AmphoraState` (idempotent: creates the amphora's directory) |
 * | GET | `/amphorae/{amp}` | → `AmphoraState` (404 `AgentError` when unknown) |
 * | DELETE | `/amphorae/{amp}` | → 204; stops every process of the amphora, removes its files (idempotent) |
 * | PUT | `/amphorae/{amp}/1.0/loadbalancer/{lb}/haproxy` | text/plain haproxy.cfg → 202; 400 `AgentError` with `haproxy -c` output in `details` (the running config is untouched) |
 * | PUT | `/amphorae/{amp}/1.0/loadbalancer/{lb}/haproxy?applied=runtime` | text/plain haproxy.cfg → 202; stored as the config in use WITHOUT `haproxy -c`: only after its difference went through `…/servers` (the next reload uses it) |
 * | GET | `/amphorae/{amp}/1.0/loadbalancer/{lb}/haproxy` | → text/plain, the config in use (404 when none) |
 * | PUT | `/amphorae/{amp}/1.0/loadbalancer/{lb}/{start\|stop\|reload}` | → 202 `AgentMessage`; reload of a stopped LB starts it; a failed reload restores the last known good config and answers 500 `AgentError` |
 * | DELETE | `/amphorae/{amp}/1.0/listeners/{lb}` | → 204; stops that HAProxy and removes its files (idempotent) |
 * | PUT | `/amphorae/{amp}/1.0/loadbalancer/{lb}/servers` | `ServerStateChange[]` → 200; applied through the HAProxy runtime API, no reload |
 * | GET | `/amphorae/{amp}/1.0/stats` | → `AmphoraStats` (heartbeat-shaped, absolute counters) |
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
  readonly weight?: number
  readonly state?: 'ready' | 'drain' | 'maint'
  readonly address?: string
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

/** Success message of an action. */
export interface AgentMessage { readonly message: string; readonly details?: string }

/** Every error answer of the agent. */
export interface AgentError { readonly message: string; readonly details?: string }

/** Default TCP port of the agent (Octavia's `[haproxy_amphora] bind_port`). */
export const AGENT_DEFAULT_PORT = 9443
