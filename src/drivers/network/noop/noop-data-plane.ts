import type {
  HostPreparation, NetworkDataPlane, PluggedNetwork, PlugRequest, UnplugRequest,
} from '../network-data-plane.js'

/**
 * The noop data plane (`network_noop_driver`, or the `local` driver with the
 * noop compute driver): touches nothing, accepts any ids, and remembers what
 * is plugged so tests of other parts can look (`plugged`).
 */
export class NoopDataPlane implements NetworkDataPlane {
  readonly name = 'noop'
  readonly #plugged = new Map<string, PluggedNetwork>()

  async prepareHost(): Promise<HostPreparation> {
    return { bridges: [], warnings: [] }
  }

  async plug(req: PlugRequest): Promise<PluggedNetwork> {
    const plugged: PluggedNetwork = Object.freeze({
      networkId: req.networkId, interfaceName: null, hostInterface: null, bridge: null,
      addresses: Object.freeze(req.addresses.map(a => a.ipAddress)),
    })
    this.#plugged.set(`${req.amphoraId}/${req.networkId}`, plugged)
    return plugged
  }

  async unplug(req: UnplugRequest): Promise<void> {
    this.#plugged.delete(`${req.amphoraId}/${req.networkId}`)
  }

  /** What is plugged into the amphora now (tests). */
  plugged(amphoraId: string): PluggedNetwork[] {
    return [...this.#plugged.entries()].filter(([k]) => k.startsWith(`${amphoraId}/`)).map(([, v]) => v)
  }
}
