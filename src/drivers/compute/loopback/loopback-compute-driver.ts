import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AmphoraComputeSpec, ComputeDriver, ComputeInstance, HostInstance } from '../compute-driver.js'

const PREFIX = 'loopback:'
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/

/**
 * loopback mode (no root): an amphora is a slot in the host namespace (its
 * HAProxy runs there; its VIPs are 127.0.0.0/8 addresses). computeId is
 * `loopback:<amphora id>`; a marker file `<dir>/<amphora id>` records the slot
 * so that `exists` tells the truth across restarts. Nothing else is created.
 */
export class LoopbackComputeDriver implements ComputeDriver {
  readonly name = 'loopback'
  readonly #dir: string

  /** `dir`: where slot markers live (e.g. `<state_dir>/compute/loopback`); created on demand. */
  constructor(dir: string) {
    this.#dir = dir
  }

  /** Records the slot. Idempotent. Throws for an id that cannot name a file, or when the directory is not writable. */
  async build(spec: AmphoraComputeSpec, _signal?: AbortSignal): Promise<ComputeInstance> {
    const file = this.#marker(spec.amphoraId)
    await mkdir(this.#dir, { recursive: true })
    await writeFile(file, `${JSON.stringify({ loadBalancerId: spec.loadBalancerId })}\n`)
    return { computeId: `${PREFIX}${spec.amphoraId}`, netns: null }
  }

  /** Forgets the slot. Idempotent. Throws for a computeId that is not `loopback:<id>`. */
  async delete(computeId: string, _signal?: AbortSignal): Promise<void> {
    await rm(this.#marker(amphoraOf(computeId)), { force: true })
  }

  instance(computeId: string): ComputeInstance {
    this.#marker(amphoraOf(computeId))
    return { computeId, netns: null }
  }

  async exists(computeId: string): Promise<boolean> {
    if (!computeId.startsWith(PREFIX) || !SAFE_ID.test(computeId.slice(PREFIX.length))) return false
    return stat(this.#marker(computeId.slice(PREFIX.length))).then(() => true, () => false)
  }

  /** Every slot marker (they live under this deployment's state directory: a wiped one has none). */
  async hostInstances(): Promise<readonly HostInstance[]> {
    const names = await readdir(this.#dir).catch(() => [] as string[])
    return names.filter((n) => SAFE_ID.test(n)).map((amphoraId) => ({ computeId: `${PREFIX}${amphoraId}`, amphoraId }))
  }

  /** A slot marker is this deployment's by where it lives: owned when it exists. */
  ownedHere(computeId: string): Promise<boolean> {
    return this.exists(computeId)
  }

  #marker(amphoraId: string): string {
    if (!SAFE_ID.test(amphoraId)) throw new Error(`amphora id '${amphoraId}' cannot name a loopback slot`)
    return join(this.#dir, amphoraId)
  }
}

function amphoraOf(computeId: string): string {
  if (!computeId.startsWith(PREFIX)) throw new Error(`'${computeId}' is not a loopback compute id (loopback:<id>)`)
  return computeId.slice(PREFIX.length)
}
