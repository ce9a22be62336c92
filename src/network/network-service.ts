import type { Executor } from '../db/database.js'

/** A network as the Neutron-compatible API shows it. */
export interface Network {
  readonly id: string
  readonly name: string
  readonly subnets: readonly string[]
}

/** A subnet declared in the configuration. */
export interface Subnet {
  readonly id: string
  readonly name: string
  readonly networkId: string
  readonly cidr: string
  readonly ipVersion: 4 | 6
  readonly gatewayIp: string | null
}

/** A VIP placed on a subnet: what the load balancer's `vip` row records. */
export interface VipAllocation {
  readonly ipAddress: string
  readonly subnetId: string
  readonly networkId: string
  readonly portId: string
  /** True when we created the port (deleted with the load balancer). */
  readonly octaviaOwned: boolean
}

/** What a load balancer create asks for (at least one of the three ids). */
export interface VipRequest {
  readonly loadBalancerId: string
  readonly projectId: string | null
  readonly subnetId?: string | null
  readonly networkId?: string | null
  readonly portId?: string | null
  readonly ipAddress?: string | null
}

/**
 * Networks, subnets and IP addresses as the API sees them (the local network
 * driver: networks declared in the configuration, IPAM in the database).
 */
export interface NetworkService {
  getNetwork(id: string): Network | null
  getSubnet(id: string): Subnet | null
  listNetworks(): readonly Network[]
  listSubnets(): readonly Subnet[]
  /**
   * Allocates the VIP inside the caller's transaction. Throws LbaasError:
   * 400 `Subnet|Network|Port <id> not found.`, 409 `The VIP IP address is already in use: <ip>`,
   * 400 when the address is outside the subnet or no address is free.
   */
  allocateVip(tx: Executor, req: VipRequest): Promise<VipAllocation>
  /** Releases a VIP port we own (a user's own port is only unbound). Idempotent. */
  releaseVip(tx: Executor, portId: string): Promise<void>
}
