import type { Config } from '../../../common/config/schema.js'
import type { TlsMaterial } from '../../../pki/tls-material.js'
import { agentCertificateExpiry } from '../agent-certificate.js'
import type { AmphoraDriver } from '../amphora-driver.js'
import type { AmphoraFlowDeps } from '../../amphora-flow-deps.js'
import { AgentClient, agentClientOptions } from './agent-client.js'
import { controllerClientTls } from './client-tls.js'

/** An amphora driver whose client (TLS material read or issued on first use) is created lazily; a failed creation is retried next call. */
export function lazyAgentClient(create: () => Promise<AgentClient>): AmphoraDriver {
  let client: Promise<AgentClient> | null = null
  const get = (): Promise<AgentClient> => {
    client ??= create().catch(err => { client = null; throw err })
    return client
  }
  return {
    registerAmphora: async (...a) => (await get()).registerAmphora(...a),
    getAmphora: async (...a) => (await get()).getAmphora(...a),
    deleteAmphora: async (...a) => (await get()).deleteAmphora(...a),
    uploadCertificates: async (...a) => (await get()).uploadCertificates(...a),
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
 * The REST amphora driver (`amphora_haproxy_rest_driver`): the agent client
 * (`[haproxy_amphora]`, TLS from client_cert/server_ca or the local CA, read
 * on first use) and the agents' certificate expiry, read from a TLS handshake
 * with the agent. Nothing touches the disk or the network until a call.
 */
export function restAmphoraDriver(config: Pick<Config, 'DEFAULT' | 'haproxy_amphora'>): Pick<AmphoraFlowDeps, 'agent' | 'certificateExpiry'> {
  let tls: Promise<TlsMaterial> | null = null
  const material = (): Promise<TlsMaterial> => {
    tls ??= controllerClientTls(config).catch(err => { tls = null; throw err })
    return tls
  }
  return {
    agent: lazyAgentClient(async () => new AgentClient(agentClientOptions(config.haproxy_amphora, await material()))),
    certificateExpiry: async (ep, signal) => agentCertificateExpiry(ep, config.haproxy_amphora.bind_port, await material(), signal),
  }
}
