/** A network as the Neutron-compatible API shows it. */
export interface Network {
  readonly id: string
  readonly name: string
  /** Subnet ids, in declaration order. */
  readonly subnets: readonly string[]
  /** Owner shown as tenant_id/project_id ('' for operator-declared networks). */
  readonly projectId?: string
}

/** An inclusive range of addresses (canonical text). */
export interface IpRange {
  readonly start: string
  readonly end: string
}

/** A subnet declared in the configuration. */
export interface Subnet {
  readonly id: string
  readonly name: string
  readonly networkId: string
  /** Canonical CIDR, e.g. `127.226.0.0/16`. */
  readonly cidr: string
  readonly ipVersion: 4 | 6
  readonly gatewayIp: string | null
  /** Where automatic allocation picks addresses (Neutron's allocation_pools). */
  readonly allocationPools?: readonly IpRange[]
  readonly projectId?: string
}

/** An address we handed out: a VIP port, an additional VIP, or an amphora (VRRP) port. */
export interface Port {
  readonly id: string
  readonly name: string
  readonly networkId: string
  readonly subnetId: string
  /** Canonical text. */
  readonly ipAddress: string
  /** `lb-<lb id>` for VIP ports; null when free. */
  readonly deviceId: string | null
  /** `Octavia` for ports we created (deleted when released). */
  readonly deviceOwner: string | null
  readonly projectId: string | null
  readonly createdAt: string
}

/** Equality filters on ports; several values of one key are OR-ed, keys AND-ed. */
export interface PortFilter {
  readonly ids?: readonly string[]
  readonly names?: readonly string[]
  readonly networkIds?: readonly string[]
  readonly subnetIds?: readonly string[]
  readonly ipAddresses?: readonly string[]
  readonly deviceIds?: readonly string[]
  readonly deviceOwners?: readonly string[]
  readonly projectIds?: readonly string[]
}

/** A VIP placed on a subnet: what the load balancer's `vip` row records. */
export interface VipAllocation {
  readonly ipAddress: string
  readonly subnetId: string
  readonly networkId: string
  readonly portId: string
  /** True when we created the port (deleted with the load balancer). */
  readonly octaviaOwned: boolean
  /** One per requested additional VIP, in request order (what `additional_vip` rows record). */
  readonly additionalVips?: readonly AdditionalVipAllocation[]
}

export interface AdditionalVipAllocation {
  readonly ipAddress: string
  readonly subnetId: string
  readonly networkId: string
  readonly portId: string
}

/** An additional VIP as the API gives it (`additional_vips[]`). */
export interface AdditionalVipRequest {
  readonly subnetId: string
  readonly ipAddress?: string | null
}

/** What a load balancer create asks for (at least one of the three ids). */
export interface VipRequest {
  readonly loadBalancerId: string
  readonly projectId: string | null
  readonly subnetId?: string | null
  readonly networkId?: string | null
  readonly portId?: string | null
  readonly ipAddress?: string | null
  readonly additionalVips?: readonly AdditionalVipRequest[]
  /** Free addresses a network-only request needs: 2 for SINGLE, 3 for ACTIVE_STANDBY (default: the configured topology). */
  readonly topology?: 'SINGLE' | 'ACTIVE_STANDBY' | string | null
  /** The availability zone's `valid_vip_networks`, which replaces `[networking] valid_vip_networks` when non-empty. */
  readonly validVipNetworks?: readonly string[] | null
}

/** What `validateVip` settled: the ids a VIP request resolves to, before any address is taken. */
export interface ResolvedVip {
  readonly networkId: string
  readonly subnetId: string
  /** The requested address (canonical), or the user's port address; null: allocate one. */
  readonly ipAddress: string | null
  /** The user's port to bind, or null: we create one. */
  readonly portId: string | null
  readonly additionalVips: readonly { readonly subnetId: string; readonly networkId: string; readonly ipAddress: string | null }[]
}

/** A port for something other than a VIP (e.g. an amphora's VRRP address). */
export interface PortRequest {
  /** The subnet, or (when absent) the first subnet of `networkId` with a free address, IPv4 first. */
  readonly subnetId?: string | null
  readonly networkId?: string | null
  readonly ipAddress?: string | null
  readonly name?: string | null
  readonly deviceId?: string | null
  readonly deviceOwner?: string | null
  readonly projectId?: string | null
}

/**
 * Networks, subnets and IP addresses as the API sees them (the local network
 * driver: networks declared in the configuration, IPAM in the database; or
 * the noop driver, which accepts any id as Octavia's does).
 *
 * Errors are LbaasError with Octavia's texts. Every method taking an executor
 * works inside the caller's transaction and writes nothing else.
 *
 * `Tx` is the caller's database executor (src/db's `Executor`): a type
 * parameter, so that this domain interface does not depend on the database
 * layer; the API and the worker use `NetworkService<Executor>`.
 */
export interface NetworkService<Tx> {
  /** `local` or `noop`. */
  readonly driver: string
  getNetwork(id: string): Network | null
  getSubnet(id: string): Subnet | null
  listNetworks(): readonly Network[]
  listSubnets(): readonly Subnet[]
  /**
   * Octavia's VIP request validation, reading only: `[networking] allow_vip_*_id`,
   * "VIP must contain one of", port/network/subnet existence and consistency,
   * additional VIPs on the same network. Does NOT check valid/denylisted
   * networks (Octavia does that later, with the AZ): allocateVip does.
   */
  validateVip(exec: Tx, req: VipRequest): Promise<ResolvedVip>
  /**
   * Validates (as validateVip, plus `valid_vip_networks`/`denylist_vip_networks`)
   * and allocates the VIP inside the caller's transaction: a new port named
   * `octavia-lb-<lb id>` with device_id `lb-<lb id>` and device_owner `Octavia`,
   * or the user's free port bound to `lb-<lb id>`. Throws LbaasError:
   * 400 `Subnet|Network|Port <id> not found.`, 400 `Validation failure: …`,
   * 409 `The VIP IP address is already in use: …`,
   * 400 when the address is outside the subnet or no address is free.
   * Concurrent allocations never hand out one address twice.
   */
  allocateVip(tx: Tx, req: VipRequest): Promise<VipAllocation>
  /**
   * Releases a VIP: deletes the port if we created it (device_owner `Octavia`),
   * else only unbinds it (device_id cleared); also deletes the additional-VIP
   * ports we created for the same load balancer. Idempotent: an unknown port is fine.
   */
  releaseVip(tx: Tx, portId: string): Promise<void>
  /** Allocates a port for something else than a VIP (same errors as allocateVip). */
  allocatePort(tx: Tx, req: PortRequest): Promise<Port>
  /** Deletes a port. Idempotent. */
  releasePort(tx: Tx, portId: string): Promise<void>
  getPort(exec: Tx, id: string): Promise<Port | null>
  listPorts(exec: Tx, filter?: PortFilter): Promise<readonly Port[]>
}
