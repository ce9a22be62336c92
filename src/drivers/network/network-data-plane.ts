import type { ComputeInstance } from '../compute/compute-driver.js'

/**
 * The data-plane side of the network driver (DESIGN.md §5): makes addresses
 * that IPAM handed out (src/network, the `port` table) reachable on an
 * amphora. IPAM decides WHICH address; this decides HOW it gets onto the
 * amphora: a veth pair into a per-network bridge (netns mode), nothing at all
 * (loopback mode: 127.0.0.0/8 is local already), or nothing recorded (noop).
 */

/** One address to carry: a VIP, an additional VIP, or the amphora's own (VRRP) address. */
export interface PlugAddress {
  /** Canonical text, e.g. `10.213.0.5`. */
  readonly ipAddress: string
  /** The declared subnet holding it; gives the prefix length and the gateway. */
  readonly subnetId: string
}

/** Plug an amphora into one network with exactly these addresses. */
export interface PlugRequest {
  readonly amphoraId: string
  /** What the compute driver's build returned. */
  readonly instance: ComputeInstance
  readonly networkId: string
  /**
   * Every address the amphora carries on this network afterwards, in order
   * (first: the one the default route leaves from). For ACTIVE_STANDBY: the
   * amphora's VRRP address.
   */
  readonly addresses: readonly PlugAddress[]
  /**
   * Addresses someone else manages on this interface (keepalived: the VIPs
   * of an ACTIVE_STANDBY load balancer, added on the MASTER, removed on the
   * BACKUP): plug neither adds nor removes them, so its converge never takes
   * a VIP away from keepalived. They are checked like `addresses` (a subnet
   * of this network, no address twice across both lists). unplug removes the
   * interface with whatever it carries.
   */
  readonly floating?: readonly PlugAddress[]
}

/** Unplug an amphora from one network. */
export interface UnplugRequest {
  readonly amphoraId: string
  readonly instance: ComputeInstance
  readonly networkId: string
}

/** What a plug left in place. */
export interface PluggedNetwork {
  readonly networkId: string
  /** Interface carrying the addresses inside the amphora (`eth-…`); `lo` in loopback mode; null for noop. */
  readonly interfaceName: string | null
  /** Host end of the veth pair, or null. */
  readonly hostInterface: string | null
  /** The host bridge the amphora hangs off, or null. */
  readonly bridge: string | null
  /** Addresses with prefix length (`10.213.0.5/24`), in request order. */
  readonly addresses: readonly string[]
}

/** What host preparation did: bridges ensured, and anything the operator should know. */
export interface HostPreparation {
  readonly bridges: readonly string[]
  readonly warnings: readonly string[]
}

/**
 * The data-plane network driver of one mode. Every method is idempotent and
 * may be retried; errors are DataPlaneError (a request that cannot work, e.g.
 * an address outside its subnet) or HostCommandError (a host command failed).
 */
export interface NetworkDataPlane {
  /** `bridge`, `loopback` or `noop`. */
  readonly name: string
  /** Makes the host ready for amphorae (netns: one bridge per declared network with its gateways). Never removes anything. */
  prepareHost(signal?: AbortSignal): Promise<HostPreparation>
  /**
   * Plugs the amphora into the network, converging to exactly `addresses`
   * (missing ones are added, others removed) and leaving the `floating` ones
   * as they are. Creates the network's bridge when it is missing.
   */
  plug(req: PlugRequest, signal?: AbortSignal): Promise<PluggedNetwork>
  /** Removes the amphora from the network. A missing plug counts as unplugged. */
  unplug(req: UnplugRequest, signal?: AbortSignal): Promise<void>
}

/** A plug request that can never work (unknown network, address outside its subnet, wrong mode). */
export class DataPlaneError extends Error {
  constructor(message: string, opts?: ErrorOptions) {
    super(message, opts)
    this.name = 'DataPlaneError'
  }
}
