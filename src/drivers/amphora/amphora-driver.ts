import type {
  AgentMessage, AmphoraRegistration, AmphoraState, AmphoraStats, ServerStateChange, VrrpSpec, VrrpStatus,
} from '../../amphora-api/agent-api.js'
import type { CertificateFile } from '../../amphora-api/certificate-files.js'

/**
 * Where an amphora agent listens; `port` defaults to the driver's default
 * (`[haproxy_amphora] bind_port`). The noop driver ignores it.
 */
export interface AgentEndpoint {
  readonly host: string
  readonly port?: number
}

/** Per call: cancellation and a different retry budget (e.g. fewer attempts during failover). */
export interface CallOptions {
  readonly signal?: AbortSignal
  readonly maxRetries?: number
  readonly retryIntervalMs?: number
}

/** Options of uploadConfig. */
export interface UploadOptions extends CallOptions {
  /** The config's difference from the one in use already went through the runtime API: store it without `haproxy -c`. */
  readonly appliedAtRuntime?: boolean
}

/**
 * The amphora driver (Octavia's `[controller_worker] amphora_driver`): what
 * the amphora provider's flows ask of the amphorae, through the agent that
 * serves them (src/amphora-api/agent-api.ts). Implementations: the REST
 * AgentClient (`amphora_haproxy_rest_driver`) and NoopAmphoraDriver
 * (`amphora_noop_driver`: nothing runs, state in memory).
 *
 * Errors, for every method: AgentRequestError (rest/agent-client-errors.ts)
 * when the agent answers with an error status — `agentStatus` 404 for an
 * unknown amphora or load balancer, which the flows treat as "already gone"
 * where it fits; AgentUnreachableError when the agent cannot be reached after
 * the retry budget (`CallOptions`). Every method is idempotent unless its doc
 * says otherwise (only updateServers), so a flow may retry the others.
 */
export interface AmphoraDriver {
  /**
   * Registers the amphora with its agent (`netns`: the namespace its
   * processes run in, null for the host's). Returns its state there (load
   * balancers kept across a re-registration). Idempotent.
   */
  registerAmphora(ep: AgentEndpoint, amphoraId: string, reg: AmphoraRegistration, o?: CallOptions): Promise<AmphoraState>

  /** The amphora's state at its agent. Throws AgentRequestError 404 when the agent does not know it. */
  getAmphora(ep: AgentEndpoint, amphoraId: string, o?: CallOptions): Promise<AmphoraState>

  /**
   * Stops every process of the amphora (keepalived, then each HAProxy) and
   * removes its files. Idempotent: the REST agent answers an unknown amphora
   * with success too, the noop driver always does.
   */
  deleteAmphora(ep: AgentEndpoint, amphoraId: string, o?: CallOptions): Promise<void>

  /**
   * Stores `config` as the HAProxy configuration of load balancer `lbId` on
   * the amphora, after `haproxy -c` (AgentRequestError 400 with the alerts in
   * `details` when refused; the config in use stays). With `appliedAtRuntime`
   * it is stored unchecked (its difference went through updateServers).
   * Does not start or reload anything. 404 for an unknown amphora. Idempotent.
   */
  uploadConfig(ep: AgentEndpoint, amphoraId: string, lbId: string, config: string, o?: UploadOptions): Promise<void>

  /**
   * Stores the TLS files of load balancer `lbId` on the amphora (PEM, each
   * named by the SHA-256 of its content: src/amphora-api/certificate-files.ts),
   * mode 0600, before a configuration that names them is uploaded. Files
   * no configuration names any more are removed by the agent after a
   * successful reload, all of them with the load balancer.
   * AgentRequestError 400 for a name that does not match its content or a
   * content that is not PEM (the message names the file's index, never its
   * content); 404 for an unknown amphora. Idempotent.
   */
  uploadCertificates(ep: AgentEndpoint, amphoraId: string, lbId: string, files: readonly CertificateFile[], o?: CallOptions): Promise<void>

  /** The HAProxy configuration in use for `lbId`; AgentRequestError 404 when there is none (or no such amphora). */
  getConfig(ep: AgentEndpoint, amphoraId: string, lbId: string, o?: CallOptions): Promise<string>

  /**
   * Starts, stops or reloads the HAProxy of `lbId` (a reload of a stopped one
   * starts it). A failed reload is AgentRequestError 500 (the last known good
   * config is restored); 404 without an uploaded config. Idempotent.
   */
  action(ep: AgentEndpoint, amphoraId: string, lbId: string, action: 'start' | 'stop' | 'reload', o?: CallOptions): Promise<AgentMessage>

  /** Stops the HAProxy of `lbId` and removes its files. Idempotent: an unknown load balancer or amphora is fine. */
  deleteLoadBalancer(ep: AgentEndpoint, amphoraId: string, lbId: string, o?: CallOptions): Promise<void>

  /**
   * Applies member changes through HAProxy's runtime API, without a reload
   * (the caller then stores the matching config with `appliedAtRuntime`).
   * AgentRequestError 409 when that HAProxy does not run, 400 for an invalid
   * change, 404 or 400 when HAProxy refuses one (the earlier ones stay
   * applied). NOT idempotent (`add`, `delete`): after a failure the caller
   * uploads and reloads instead of retrying.
   */
  updateServers(ep: AgentEndpoint, amphoraId: string, lbId: string, changes: readonly ServerStateChange[], o?: CallOptions): Promise<AgentMessage>

  /** Absolute counters of every running HAProxy of the amphora (heartbeat-shaped); 404 for an unknown amphora. */
  stats(ep: AgentEndpoint, amphoraId: string, o?: CallOptions): Promise<AmphoraStats>

  /**
   * Stores the amphora's keepalived settings (ACTIVE_STANDBY) and reloads a
   * running keepalived when they changed. AgentRequestError 400 for an
   * invalid spec or a refused config (the REST agent: also an amphora without
   * a namespace); 404 for an unknown amphora. Idempotent.
   */
  putVrrp(ep: AgentEndpoint, amphoraId: string, spec: VrrpSpec, o?: CallOptions): Promise<AgentMessage>

  /**
   * Starts, stops or reloads the amphora's keepalived (start of a running one
   * reloads it, stop of a stopped one is fine). AgentRequestError 404 for
   * start/reload without stored settings. Idempotent.
   */
  vrrpAction(ep: AgentEndpoint, amphoraId: string, action: 'start' | 'stop' | 'reload', o?: CallOptions): Promise<AgentMessage>

  /** Whether the amphora's keepalived runs and whether the amphora holds every VIP now. Read-only. */
  vrrpStatus(ep: AgentEndpoint, amphoraId: string, o?: CallOptions): Promise<VrrpStatus>
}
