import type { Config } from '../../common/config/schema.js'
import type { Logger } from '../../common/logging.js'
import type { Topology } from './declared-networks.js'
import type { ComputeDriverName } from '../../common/config/compute-mode.js'
import { BridgeDataPlane } from './bridge/bridge-data-plane.js'
import type { IpCommand } from '../../common/linux/ip-command.js'
import { LoopbackDataPlane } from './loopback/loopback-data-plane.js'
import type { NetworkDataPlane } from './network-data-plane.js'
import { NoopDataPlane } from './noop/noop-data-plane.js'

/** What a data-plane network driver is built from. */
export interface DataPlaneContext {
  /** The resolved compute driver: the `local` driver plugs the way it needs. */
  readonly compute: ComputeDriverName
  readonly topology: Topology
  readonly ip: IpCommand
  readonly log: Logger
}

/**
 * The data-plane network drivers by their `[controller_worker] network_driver`
 * name (STYLE.md R3). `local` follows the compute driver: bridges and veth
 * pairs for netns, address checks only for loopback, nothing for the noop
 * compute driver.
 */
export const networkDataPlanes = {
  local: (ctx: DataPlaneContext): NetworkDataPlane => {
    if (ctx.compute === 'netns') return new BridgeDataPlane(ctx.topology, ctx.ip, ctx.log)
    if (ctx.compute === 'loopback') return new LoopbackDataPlane(ctx.topology)
    return new NoopDataPlane()
  },
  network_noop_driver: (): NetworkDataPlane => new NoopDataPlane(),
} satisfies Record<Config['controller_worker']['network_driver'], (ctx: DataPlaneContext) => NetworkDataPlane>
