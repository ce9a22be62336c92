import { join, resolve } from 'node:path'
import type { Config } from '../../common/config/schema.js'
import type { Logger } from '../../common/logging.js'
import { IpCommand } from '../../common/linux/ip-command.js'
import { ownerKey } from '../../common/linux/names.js'
import { agentBaseDir } from '../../amphora-api/agent-paths.js'
import type { ComputeDriver } from './compute-driver.js'
import { resolveComputeDriver, type ComputeDriverName } from '../../common/config/compute-mode.js'
import { LoopbackComputeDriver } from './loopback/loopback-compute-driver.js'
import { NetnsComputeDriver } from './netns/netns-compute-driver.js'
import { NoopComputeDriver } from './noop/noop-compute-driver.js'

/** What a compute driver is built from. */
export interface ComputeDriverContext {
  /** `[DEFAULT] state_dir` (the loopback driver keeps its slot markers under `compute/loopback`). */
  readonly stateDir: string
  readonly log: Logger
  readonly ip: IpCommand
  /** This deployment's owner mark (computeOwner), written on what the driver builds where it can carry one. */
  readonly owner: string
}

/** The compute drivers by their `[controller_worker] compute_driver` name (STYLE.md R3). */
export const computeDrivers = {
  netns: (ctx: ComputeDriverContext) => new NetnsComputeDriver({ ip: ctx.ip, log: ctx.log, owner: ctx.owner }),
  loopback: (ctx: ComputeDriverContext) => new LoopbackComputeDriver(join(resolve(ctx.stateDir), 'compute', 'loopback')),
  compute_noop_driver: () => new NoopComputeDriver(),
} satisfies Record<ComputeDriverName, (ctx: ComputeDriverContext) => ComputeDriver>

/**
 * The owner mark of this deployment's amphorae: ownerKey of the agent's base
 * directory (`[haproxy_amphora] base_path`, else `<state_dir>/amphorae`),
 * the directory whose paths the agent's HAProxies carry on their command
 * lines; so both marks name the same deployment.
 */
export function computeOwner(config: Pick<Config, 'DEFAULT' | 'haproxy_amphora'>): string {
  return ownerKey(agentBaseDir(config.haproxy_amphora.base_path, config.DEFAULT.state_dir))
}

/**
 * Builds the compute driver the configuration names (`auto`: netns as root,
 * else loopback; `uid` defaults to this process's effective uid).
 */
export function createComputeDriver(
  config: Pick<Config, 'DEFAULT' | 'controller_worker' | 'haproxy_amphora'>, deps: { log: Logger; uid?: number; ip?: IpCommand },
): ComputeDriver {
  const name = resolveComputeDriver(config.controller_worker.compute_driver, deps.uid)
  const log = deps.log.child({ component: 'compute', driver: name })
  return computeDrivers[name]({ stateDir: config.DEFAULT.state_dir, log, ip: deps.ip ?? new IpCommand(log), owner: computeOwner(config) })
}
