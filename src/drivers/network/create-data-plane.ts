import type { Config } from '../../common/config/schema.js'
import type { Logger } from '../../common/logging.js'
import { declaredNetworks, defaultNetworkSections, type Topology } from './declared-networks.js'
import type { ComputeDriver } from '../compute/compute-driver.js'
import { dataPlaneModeOf, resolveComputeDriver, type ComputeDriverName, type DataPlaneMode } from '../../common/config/compute-mode.js'
import { computeDrivers, computeOwner } from '../compute/registry.js'
import { IpCommand } from '../../common/linux/ip-command.js'
import type { NetworkDataPlane } from './network-data-plane.js'
import { networkDrivers } from './registry.js'

/** Where amphorae run and how their addresses reach them, as the configuration chose. */
export interface DataPlane {
  /** `[controller_worker] compute_driver` with `auto` resolved. */
  readonly computeDriver: ComputeDriverName
  /** Which default networks and host setup apply. */
  readonly mode: DataPlaneMode
  /** The declared networks (the same ones the local NetworkService serves). */
  readonly topology: Topology
  readonly compute: ComputeDriver
  readonly network: NetworkDataPlane
}

/**
 * Builds the compute driver and the data-plane network driver from
 * `[controller_worker] compute_driver` and `network_driver`. `uid` (default:
 * this process's) resolves `compute_driver = auto`. Throws an Error for
 * invalid `[network:…]` sections.
 */
export function createDataPlane(
  config: Pick<Config, 'DEFAULT' | 'controller_worker' | 'extraSections' | 'haproxy_amphora'>, deps: { log: Logger; uid?: number },
): DataPlane {
  const computeDriver = resolveComputeDriver(config.controller_worker.compute_driver, deps.uid)
  const mode = dataPlaneModeOf(computeDriver)
  const topology = declaredNetworks(config.extraSections, defaultNetworkSections(mode))
  const log = deps.log.child({ component: 'data-plane', compute: computeDriver })
  const ip = new IpCommand(log)
  const compute = computeDrivers[computeDriver]({ stateDir: config.DEFAULT.state_dir, log, ip, owner: computeOwner(config) })
  const network = networkDrivers[config.controller_worker.network_driver].dataPlane({ compute: computeDriver, topology, ip, log })
  return Object.freeze({ computeDriver, mode, topology, compute, network })
}
