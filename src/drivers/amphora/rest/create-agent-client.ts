import type { Config } from '../../../common/config/schema.js'
import { AgentClient, agentClientOptions } from './agent-client.js'
import { controllerClientTls } from './client-tls.js'

/**
 * The agent client of the controller from the configuration
 * (`[haproxy_amphora]`; TLS from client_cert/server_ca or the local CA).
 */
export async function createAgentClient(config: Pick<Config, 'DEFAULT' | 'haproxy_amphora'>): Promise<AgentClient> {
  return new AgentClient(agentClientOptions(config.haproxy_amphora, await controllerClientTls(config)))
}
