import type { Executor } from '../../db/database.js'
import type { Config } from '../../common/config/schema.js'
import { LocalNetworkService } from './local/local-network-service.js'
import type { NetworkService } from '../../model/network-service.js'
import { NoopNetworkService } from './noop/noop-network-service.js'

/** The network drivers by their `[controller_worker] network_driver` name (STYLE.md R3). */
export const networkDrivers = {
  local: (c: Config) => new LocalNetworkService(c),
  network_noop_driver: (c: Config) => new NoopNetworkService(c),
} satisfies Record<Config['controller_worker']['network_driver'], (c: Config) => NetworkService<Executor>>

/**
 * Builds the network service the configuration asks for. Throws an Error
 * (`invalid configuration: [network:…] …`) when declared networks are invalid.
 */
export function createNetworkService(config: Config): NetworkService<Executor> {
  return networkDrivers[config.controller_worker.network_driver](config)
}
