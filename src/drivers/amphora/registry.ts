import type { Config } from '../../common/config/schema.js'
import type { AmphoraFlowDeps } from '../amphora-flow-deps.js'
import { NoopAmphoraDriver } from './noop/noop-amphora-driver.js'
import { restAmphoraDriver } from './rest/rest-amphora-driver.js'

/** `[controller_worker] amphora_driver`. */
export type AmphoraDriverName = Config['controller_worker']['amphora_driver']

/** An amphora driver with the way the agents' certificate expiry is read along with it. */
export type AmphoraDriverParts = Pick<AmphoraFlowDeps, 'agent' | 'certificateExpiry'>

/** What an amphora driver is built from. */
export interface AmphoraDriverContext {
  readonly config: Pick<Config, 'DEFAULT' | 'haproxy_amphora'>
}

/**
 * The amphora drivers by their `[controller_worker] amphora_driver` name
 * (STYLE.md R3). Building one touches nothing (the REST driver reads its TLS
 * material on first use).
 */
export const amphoraDrivers = {
  amphora_haproxy_rest_driver: (ctx: AmphoraDriverContext) => restAmphoraDriver(ctx.config),
  // NOTE: no agent, no certificate: the expiry is null (unknown), so housekeeping never picks these amphorae for
  // rotation (it selects cert_expiration < now + buffer, which NULL never is).
  amphora_noop_driver: () => ({ agent: new NoopAmphoraDriver(), certificateExpiry: async () => null }),
} satisfies Record<AmphoraDriverName, (ctx: AmphoraDriverContext) => AmphoraDriverParts>

/** The amphora driver the configuration names. */
export function createAmphoraDriver(config: Pick<Config, 'DEFAULT' | 'controller_worker' | 'haproxy_amphora'>): AmphoraDriverParts {
  return amphoraDrivers[config.controller_worker.amphora_driver]({ config })
}
