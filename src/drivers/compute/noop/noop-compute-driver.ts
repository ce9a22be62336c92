import { OCTAVIA_TS_NAMESPACE, uuidV5 } from '../../../common/net/stable-id.js'
import type { AmphoraComputeSpec, ComputeDriver, ComputeInstance, HostInstance } from '../compute-driver.js'

/**
 * The compute id the noop compute driver gives amphora `amphoraId`: a UUID,
 * as Octavia's noop compute driver hands out (clients and test suites parse
 * `compute_id` as one), derived from the amphora id so that a build run
 * again for the same amphora gives the same id, also after a restart.
 */
export const noopComputeId = (amphoraId: string): string => uuidV5(OCTAVIA_TS_NAMESPACE, `noop-compute:${amphoraId}`)

/**
 * The noop compute driver (`compute_noop_driver`): nothing runs anywhere; it
 * remembers what was built in memory (computeId noopComputeId, host
 * namespace) so tests of flows can check builds and deletes.
 */
export class NoopComputeDriver implements ComputeDriver {
  readonly name = 'compute_noop_driver'
  readonly #built = new Map<string, AmphoraComputeSpec>()

  async build(spec: AmphoraComputeSpec, _signal?: AbortSignal): Promise<ComputeInstance> {
    const computeId = noopComputeId(spec.amphoraId)
    this.#built.set(computeId, spec)
    return { computeId, netns: null }
  }

  async delete(computeId: string, _signal?: AbortSignal): Promise<void> {
    this.#built.delete(computeId)
  }

  instance(computeId: string): ComputeInstance {
    return { computeId, netns: null }
  }

  async exists(computeId: string): Promise<boolean> {
    return this.#built.has(computeId)
  }

  /** What it built and did not delete. */
  async hostInstances(): Promise<readonly HostInstance[]> {
    return [...this.#built].map(([computeId, spec]) => ({ computeId, amphoraId: spec.amphoraId }))
  }

  ownedHere(computeId: string): Promise<boolean> {
    return this.exists(computeId)
  }

  /** The compute ids that exist now (tests). */
  get built(): readonly string[] {
    return [...this.#built.keys()]
  }
}
