import { agentBaseDir, haproxyRuntimePaths } from '../amphora-api/agent-paths.js'
import { DEFAULT_RENDER_OPTIONS, type RenderOptions } from './amphora/haproxy/render-options.js'
import type { Config } from '../common/config/schema.js'
import type { Logger } from '../common/logging.js'
import type { TlsMaterial } from '../pki/tls-material.js'
import { AgentClient, agentClientOptions, type AgentEndpoint } from './amphora/rest/agent-client.js'
import { controllerClientTls } from './amphora/rest/client-tls.js'
import { createDataPlane } from './network/create-data-plane.js'
import { agentCertificateExpiry } from './amphora/agent-certificate.js'
import type { AmphoraAgent, AmphoraFlowDeps } from './amphora-flow-deps.js'

/** The configuration groups the amphora provider reads. */
export type AmphoraProviderConfig = Pick<Config,
  'DEFAULT' | 'controller_worker' | 'extraSections' | 'amphora_agent' | 'haproxy_amphora' | 'keepalived_vrrp'>

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

/** An agent whose client (TLS material read or issued on first use) is created lazily. */
function lazyAgent(create: () => Promise<AgentClient>): AmphoraAgent {
  let client: Promise<AgentClient> | null = null
  const get = (): Promise<AgentClient> => {
    client ??= create().catch(err => { client = null; throw err })
    return client
  }
  return {
    registerAmphora: async (...a) => (await get()).registerAmphora(...a),
    getAmphora: async (...a) => (await get()).getAmphora(...a),
    deleteAmphora: async (...a) => (await get()).deleteAmphora(...a),
    uploadConfig: async (...a) => (await get()).uploadConfig(...a),
    getConfig: async (...a) => (await get()).getConfig(...a),
    action: async (...a) => (await get()).action(...a),
    deleteLoadBalancer: async (...a) => (await get()).deleteLoadBalancer(...a),
    updateServers: async (...a) => (await get()).updateServers(...a),
    stats: async (...a) => (await get()).stats(...a),
    putVrrp: async (...a) => (await get()).putVrrp(...a),
    vrrpAction: async (...a) => (await get()).vrrpAction(...a),
    vrrpStatus: async (...a) => (await get()).vrrpStatus(...a),
  }
}

/**
 * The amphora provider's drivers from the configuration: compute and
 * data-plane network drivers (`[controller_worker] compute_driver`,
 * `network_driver`), the agent client (`[haproxy_amphora]`, TLS from the
 * local CA unless configured), render options and a counter accumulator.
 * Nothing touches the host or the network until a flow runs.
 */
export function createAmphoraFlowDeps(config: AmphoraProviderConfig, log: Logger): AmphoraFlowDeps {
  const plane = createDataPlane(config, { log })
  let tls: Promise<TlsMaterial> | null = null
  const material = (): Promise<TlsMaterial> => {
    tls ??= controllerClientTls(config).catch(err => { tls = null; throw err })
    return tls
  }
  return Object.freeze({
    compute: plane.compute,
    dataPlane: plane.network,
    agent: lazyAgent(async () => new AgentClient(agentClientOptions(config.haproxy_amphora, await material()))),
    agentEndpoint: localAgentEndpoint(config),
    renderOptions: (amphoraId: string, lbId: string) => amphoraRenderOptions(config, amphoraId, lbId),
    certificateExpiry: async (ep: AgentEndpoint, signal: AbortSignal) =>
      agentCertificateExpiry(ep, config.haproxy_amphora.bind_port, await material(), signal),
    vrrpAdvertInt: config.keepalived_vrrp.vrrp_advert_int,
  })
}
