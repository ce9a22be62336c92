import type { AgentEndpoint, AmphoraDriver } from './amphora/amphora-driver.js'
import type { RenderOptions } from './amphora/haproxy/render-options.js'
import type { CertificateManager } from '../model/certificate-manager.js'
import type { ComputeDriver } from './compute/compute-driver.js'
import type { NetworkDataPlane } from './network/network-data-plane.js'

/**
 * Everything the amphora provider's tasks need besides the task context
 * (database, network service, log, signal): built once per worker process
 * and shared by the `amphora` and `octavia` providers. Flows close over
 * it; a flow's shape still depends only on its payload.
 */
export interface AmphoraFlowDeps {
  /** Where amphorae run (netns, loopback, noop). */
  readonly compute: ComputeDriver
  /** How VIPs reach an amphora (bridge + veth, loopback, noop). */
  readonly dataPlane: NetworkDataPlane
  /** The amphora driver (`[controller_worker] amphora_driver`): the REST agent client or the noop driver. */
  readonly agent: AmphoraDriver
  /**
   * The agent serving the amphorae built here: its address becomes the
   * amphora's `lb_network_ip` (one agent per host serves every local amphora;
   * the noop driver, which talks to no agent, records 192.0.2.1 as Octavia's
   * noop compute driver does).
   */
  readonly agentEndpoint: AgentEndpoint
  /** Render options of the HAProxy config of load balancer `lbId` on amphora `amphoraId`. */
  renderOptions(amphoraId: string, lbId: string): RenderOptions
  /**
   * The certificate manager (`[certificates] cert_manager`): the worker
   * reads the listeners' and pools' TLS references from it as the service.
   */
  readonly certificates: CertificateManager
  /** Absolute path on the agent's host of TLS file `name` (certificate-files.ts) of load balancer `lbId` on amphora `amphoraId`. */
  certificateFilePath(amphoraId: string, lbId: string, name: string): string
  /**
   * Expiry of the agent's server certificate (the amphora's `cert_expiration`),
   * or null when unknown (then housekeeping never rotates it). Chosen with the
   * amphora driver: the noop driver's contacts nothing and answers
   * `[certificates] cert_validity_time` from now, as Octavia records the
   * certificate it generates for each amphora also in its noop gate.
   */
  certificateExpiry(endpoint: AgentEndpoint, signal: AbortSignal): Promise<Date | null>
  /**
   * Whether the amphorae send heartbeats (the REST driver's agents do). With
   * them, a push sets the operating statuses the data plane now shows and the
   * health manager keeps statuses and statistics up to date. Without them
   * (the noop driver), nothing measures anything, as in Octavia's noop gate:
   * a push leaves operating statuses as the API and the worker's own tasks
   * set them (a load balancer stays OFFLINE), and records zero counters per
   * listener and amphora, so that the amphora statistics API answers (where
   * Octavia's noop driver writes dummy counters).
   */
  readonly heartbeats: boolean
  /** Seconds between VRRP advertisements of ACTIVE_STANDBY amphorae (`[keepalived_vrrp] vrrp_advert_int`). */
  readonly vrrpAdvertInt: number
}
