import type { Config } from '../../common/config/schema.js'
import type { Logger } from '../../common/logging.js'
import type { Executor } from '../../db/database.js'
import type { NetworkService } from '../../model/network-service.js'
import type { Topology } from './declared-networks.js'
import type { ComputeDriverName } from '../../common/config/compute-mode.js'
import { BridgeDataPlane } from './bridge/bridge-data-plane.js'
import type { IpCommand } from '../../common/linux/ip-command.js'
import { LocalNetworkService } from './local/local-network-service.js'
import { LoopbackDataPlane } from './loopback/loopback-data-plane.js'
import type { NetworkDataPlane } from './network-data-plane.js'
import { NoopDataPlane } from './noop/noop-data-plane.js'
import { NoopNetworkService } from './noop/noop-network-service.js'

/** What a data-plane network driver is built from. */
export interface DataPlaneContext {
  /** The resolved compute driver: the `local` driver plugs the way it needs. */
  readonly compute: ComputeDriverName
  readonly topology: Topology
  readonly ip: IpCommand
  readonly log: Logger
}

/** Both halves of one network driver. */
export interface NetworkDriver {
  /** Networks, subnets and addresses as the API and the worker see them (IPAM). */
  service(config: Config): NetworkService<Executor>
  /** How addresses reach the amphorae of this host. */
  dataPlane(ctx: DataPlaneContext): NetworkDataPlane
}

/**
 * The network drivers by their `[controller_worker] network_driver` name
 * (STYLE.md R3). `local`: networks declared in the configuration, IPAM in the
 * database; its data plane follows the compute driver (bridges and veth pairs
 * for netns, address checks only for loopback, nothing for the noop compute
 * driver). `network_noop_driver` accepts any id, as Octavia's does, and plugs nothing.
 */
export const networkDrivers = {
  local: {
    service: (c: Config) => new LocalNetworkService(c),
    dataPlane: (ctx: DataPlaneContext): NetworkDataPlane => {
      if (ctx.compute === 'netns') return new BridgeDataPlane(ctx.topology, ctx.ip, ctx.log)
      if (ctx.compute === 'loopback') return new LoopbackDataPlane(ctx.topology)
      return new NoopDataPlane()
    },
  },
  network_noop_driver: {
    service: (c: Config) => new NoopNetworkService(c),
    dataPlane: (): NetworkDataPlane => new NoopDataPlane(),
  },
} satisfies Record<Config['controller_worker']['network_driver'], NetworkDriver>

/**
 * Builds the network service the configuration asks for. Throws an Error
 * (`invalid configuration: [network:…] …`) when declared networks are invalid.
 */
export function createNetworkService(config: Config): NetworkService<Executor> {
  return networkDrivers[config.controller_worker.network_driver].service(config)
}
