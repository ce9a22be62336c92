import type { Config } from '../common/config/schema.js'
import type { NetworkService } from './network-service.js'

/** Builds the network service the configuration asks for (not yet implemented). */
export function createNetworkService(_config: Config): NetworkService {
  throw new Error('network service not implemented yet')
}
