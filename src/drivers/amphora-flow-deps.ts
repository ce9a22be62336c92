import type { RenderOptions } from './amphora/haproxy/render-options.js'
import type { AgentClient, AgentEndpoint } from './amphora/rest/agent-client.js'
import type { ComputeDriver } from './compute/compute-driver.js'
import type { NetworkDataPlane } from './network/network-data-plane.js'

/**
 * What the amphora provider's flows use of the amphora agent: the calls of
 * the agent contract (src/drivers/amphora/agent-api.ts), each idempotent.
 * The REST AgentClient satisfies it; tests use an in-memory fake.
 */
export type AmphoraAgent = Pick<AgentClient,
  'registerAmphora' | 'getAmphora' | 'deleteAmphora' | 'uploadConfig' | 'getConfig' | 'action' | 'deleteLoadBalancer'
  | 'updateServers' | 'stats' | 'putVrrp' | 'vrrpAction' | 'vrrpStatus'>

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
  readonly agent: AmphoraAgent
  /**
   * The agent serving the amphorae built here: its address becomes the
   * amphora's `lb_network_ip` (one agent per host serves every local amphora).
   */
  readonly agentEndpoint: AgentEndpoint
  /** Render options of the HAProxy config of load balancer `lbId` on amphora `amphoraId`. */
  renderOptions(amphoraId: string, lbId: string): RenderOptions
  /** Expiry of the agent's server certificate (the amphora's `cert_expiration`), or null when unknown. */
  certificateExpiry(endpoint: AgentEndpoint, signal: AbortSignal): Promise<Date | null>
  /** Seconds between VRRP advertisements of ACTIVE_STANDBY amphorae (`[keepalived_vrrp] vrrp_advert_int`). */
  readonly vrrpAdvertInt: number
}
