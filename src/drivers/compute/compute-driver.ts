/**
 * Compute drivers give an amphora somewhere to run (DESIGN.md §5): `netns` (a
 * Linux network namespace; root), `loopback` (an address of its own in
 * 127.0.0.0/8 in the host namespace; no root), `noop` (tests of other parts).
 * Nova would fit the same interface later.
 */
export interface AmphoraComputeSpec {
  readonly amphoraId: string
  readonly loadBalancerId: string
}

export interface ComputeInstance {
  /** Driver-specific id: the namespace name `amp-<amphora id>` (netns), `loopback:<amphora id>`, a UUID (noop). */
  readonly computeId: string
  /** Namespace HAProxy must run in, or null for the host namespace. */
  readonly netns: string | null
}

/** An instance found on this host by `hostInstances`. */
export interface HostInstance {
  readonly computeId: string
  /** The amphora its name says it belongs to. */
  readonly amphoraId: string
}

export interface ComputeDriver {
  readonly name: string
  /** Creates the amphora's host. Idempotent for one amphora id. Throws on failure (the flow reverts with delete). */
  build(spec: AmphoraComputeSpec, signal: AbortSignal): Promise<ComputeInstance>
  /** Idempotent: a missing instance counts as deleted. Never leaves an address or namespace behind. */
  delete(computeId: string, signal: AbortSignal): Promise<void>
  /** Whether the instance exists. */
  exists(computeId: string): Promise<boolean>
  /**
   * The ComputeInstance of a recorded compute id, as build returned it,
   * without looking at the host (what plug/unplug need after a restart).
   * Throws for an id this driver never hands out.
   */
  instance(computeId: string): ComputeInstance
  /**
   * The instances on this host whose name is one this driver hands out
   * (netns: `amp-<id>` namespaces; loopback: its slot markers; noop: what it
   * built), by name only: cheap, and NOT proof that this deployment built
   * them (other stacks name namespaces `amp-<id>` too); ownedHere is.
   * Read-only.
   */
  hostInstances(): Promise<readonly HostInstance[]>
  /**
   * Whether the instance carries this deployment's owner mark (netns: the
   * alias of its `lo`, set by build; loopback: its marker under this
   * deployment's state directory). False for a missing or foreign one; never
   * throws. Read-only.
   */
  ownedHere(computeId: string): Promise<boolean>
}
