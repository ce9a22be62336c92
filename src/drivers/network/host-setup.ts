import type { Logger } from '../../common/logging.js'
import type { Runnable } from '../../common/runnable.js'
import type { HostPreparation, NetworkDataPlane } from './network-data-plane.js'

/**
 * Prepares the host for the data-plane mode when the worker starts (netns:
 * a bridge per declared network with its gateway addresses; loopback: checks
 * only) and logs what the operator should know. `start` rejects when the host
 * cannot be prepared (e.g. not root in netns mode). Stopping removes nothing:
 * running amphorae keep serving while the control plane restarts.
 */
export class DataPlaneHostSetup implements Runnable {
  readonly name = 'data-plane-host'
  readonly stopped: Promise<void>
  readonly #network: NetworkDataPlane
  readonly #log: Logger
  #resolveStopped!: () => void
  #result: HostPreparation | null = null

  constructor(network: NetworkDataPlane, log: Logger) {
    this.#network = network
    this.#log = log.child({ component: this.name })
    this.stopped = new Promise(r => { this.#resolveStopped = r })
  }

  /** What the last start prepared (null before). */
  get result(): HostPreparation | null { return this.#result }

  async start(signal: AbortSignal): Promise<void> {
    try {
      this.#result = await this.#network.prepareHost(signal)
    } catch (err) {
      this.#resolveStopped()
      throw new Error(`cannot prepare the host for the ${this.#network.name} data plane: ${(err as Error).message}`, { cause: err })
    }
    for (const w of this.#result.warnings) this.#log.warn(w)
    this.#log.info({ dataPlane: this.#network.name, bridges: this.#result.bridges }, 'host ready for amphorae')
    if (signal.aborted) this.#resolveStopped()
    else signal.addEventListener('abort', () => this.#resolveStopped(), { once: true })
  }
}
