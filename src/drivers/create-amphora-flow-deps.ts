import { agentBaseDir, haproxyRuntimePaths } from '../amphora-api/agent-paths.js'
import { certificateFilePath } from '../amphora-api/certificate-files.js'
import type { CertificateManager } from '../model/certificate-manager.js'
import { DEFAULT_RENDER_OPTIONS, type RenderOptions } from './amphora/haproxy/render-options.js'
import type { Config } from '../common/config/schema.js'
import type { Logger } from '../common/logging.js'
import type { AgentEndpoint } from './amphora/amphora-driver.js'
import { createAmphoraDriver } from './amphora/registry.js'
import { createDataPlane } from './network/create-data-plane.js'
import type { AmphoraFlowDeps } from './amphora-flow-deps.js'

/** The configuration groups the amphora provider reads. */
export type AmphoraProviderConfig = Pick<Config,
  'DEFAULT' | 'controller_worker' | 'extraSections' | 'amphora_agent' | 'haproxy_amphora' | 'keepalived_vrrp' | 'certificates'>

/**
 * The address the controller reaches this host's agent at (recorded as
 * `lb_network_ip`): `[amphora_agent] bind_host`, or loopback when it binds
 * every address. Port: `[haproxy_amphora] bind_port` (the client's default).
 */
export function localAgentEndpoint(config: Pick<Config, 'amphora_agent'>): AgentEndpoint {
  const host = config.amphora_agent.bind_host
  if (host === '' || host === '0.0.0.0') return { host: '127.0.0.1' }
  if (host === '::') return { host: '::1' }
  return { host }
}

/** Render options of one amphora's HAProxy: Octavia's defaults with the agent's socket and state paths. */
export function amphoraRenderOptions(config: Pick<Config, 'DEFAULT' | 'haproxy_amphora'>, amphoraId: string, lbId: string): RenderOptions {
  const base = agentBaseDir(config.haproxy_amphora.base_path, config.DEFAULT.state_dir)
  return { ...DEFAULT_RENDER_OPTIONS, ...haproxyRuntimePaths(base, amphoraId, lbId), localAmphoraId: amphoraId }
}

/**
 * The amphora provider's drivers from the configuration: compute and
 * data-plane network drivers (`[controller_worker] compute_driver`,
 * `network_driver`), the amphora driver (`amphora_driver`: the REST agent
 * client, TLS from the local CA unless configured, or the noop driver) with
 * its certificate expiry reader, whether heartbeats come and the address
 * recorded as `lb_network_ip` (the local agent's unless the driver has its
 * own), render options, and the certificate manager the TLS files are read from.
 * Nothing touches the host or the network until a flow runs.
 */
export function createAmphoraFlowDeps(config: AmphoraProviderConfig, log: Logger, certificates: CertificateManager): AmphoraFlowDeps {
  const plane = createDataPlane(config, { log })
  const driver = createAmphoraDriver(config)
  const base = agentBaseDir(config.haproxy_amphora.base_path, config.DEFAULT.state_dir)
  return Object.freeze({
    compute: plane.compute,
    dataPlane: plane.network,
    agent: driver.agent,
    agentEndpoint: driver.agentEndpoint ?? localAgentEndpoint(config),
    renderOptions: (amphoraId: string, lbId: string) => amphoraRenderOptions(config, amphoraId, lbId),
    certificates,
    certificateFilePath: (amphoraId: string, lbId: string, name: string) => certificateFilePath(base, amphoraId, lbId, name),
    certificateExpiry: driver.certificateExpiry,
    heartbeats: driver.heartbeats,
    vrrpAdvertInt: config.keepalived_vrrp.vrrp_advert_int,
  })
}
