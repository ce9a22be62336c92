import type { AmphoraInventory } from '../amphora-api/agent-api.js'
import type { HostInstance } from '../drivers/compute/compute-driver.js'

/**
 * Why an amphora found on this host is taken for this deployment's:
 * - `registered`: this host's agent has it registered in its base directory;
 * - `processes`: HAProxy or keepalived processes run with its paths under
 *   that base directory, without a registration (the state directory was
 *   deleted under them);
 * - `owner-mark`: its instance carries this deployment's owner mark (netns:
 *   the alias of the namespace's `lo`; loopback: a slot marker under the
 *   state directory), checked by the sweep with ComputeDriver.ownedHere.
 * The base directory and the owner mark (derived from that same directory)
 * are the deployment's identity on the host. A namespace's name (`amp-<id>`)
 * is never evidence: other stacks on the host use such names.
 */
export type OrphanEvidence = 'registered' | 'processes' | 'owner-mark'

/** One amphora of this host as the sweep sees it before asking the database. */
export interface HostAmphora {
  readonly amphoraId: string
  /** The agent's evidence (the owner mark is checked later, and only where needed). */
  readonly evidence: readonly OrphanEvidence[]
  /** The compute instance found for it (netns: its namespace), if any. */
  readonly computeId: string | null
  /** Its processes without a registration (`processes` evidence). */
  readonly pids: readonly number[]
}

/**
 * Every amphora id the agent or the compute driver reports on this host, with
 * the agent's evidence and the instance found. An instance with no agent
 * evidence still needs its owner mark checked; one named for an amphora the
 * agent vouches for is that amphora's (its name holds the amphora's uuid:
 * the namespace its registration or processes ran in), also when built
 * before namespaces were marked. Pure.
 */
export function hostAmphorae(inventory: AmphoraInventory, instances: readonly HostInstance[]): HostAmphora[] {
  const byId = new Map<string, { evidence: OrphanEvidence[]; computeId: string | null; pids: readonly number[] }>()
  const entry = (id: string) => {
    let e = byId.get(id)
    if (e === undefined) byId.set(id, e = { evidence: [], computeId: null, pids: [] })
    return e
  }
  for (const id of inventory.registered) entry(id).evidence.push('registered')
  for (const u of inventory.unregistered) {
    const e = entry(u.id)
    e.evidence.push('processes')
    e.pids = u.pids
  }
  for (const i of instances) entry(i.amphoraId).computeId = i.computeId
  return [...byId].sort(([a], [b]) => (a < b ? -1 : 1)).map(([amphoraId, e]) => ({ amphoraId, ...e }))
}
