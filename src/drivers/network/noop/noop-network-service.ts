import { randomUUID } from 'node:crypto'
import type { Config } from '../../../common/config/schema.js'
import { validationFailure } from '../../../common/errors.js'
import type { Executor } from '../../../db/database.js'
import { normalizeIp } from '../../../common/net/ip-address.js'
import type {
  Network, NetworkService, Port, PortFilter, PortRequest, ResolvedVip, Subnet, VipAllocation, VipRequest,
} from '../../../model/network-service.js'
import { uuidV5, OCTAVIA_TS_NAMESPACE } from '../../../common/net/stable-id.js'

/** The address Octavia's noop network driver hands out when none is asked for. */
export const NOOP_VIP_ADDRESS = '198.51.100.1'

/**
 * The `network_noop_driver`: every network, subnet and port id exists (as with
 * Octavia's noop driver), nothing is stored, no address is ever in use. For
 * test suites that invent ids. Lists are empty; look-ups by id always succeed.
 */
export class NoopNetworkService implements NetworkService<Executor> {
  readonly driver = 'noop'
  readonly #networking: Config['networking']

  constructor(config: Pick<Config, 'networking'>) {
    this.#networking = config.networking
  }

  getNetwork(id: string): Network { return { id, name: '', subnets: [], projectId: '' } }

  getSubnet(id: string): Subnet {
    return {
      id, name: '', networkId: noopNetworkOf(id), cidr: '198.51.100.0/24', ipVersion: 4, gatewayIp: null,
      allocationPools: [], projectId: '',
    }
  }

  listNetworks(): readonly Network[] { return [] }
  listSubnets(): readonly Subnet[] { return [] }

  async validateVip(_exec: Executor, req: VipRequest): Promise<ResolvedVip> {
    const n = this.#networking
    const allowed = [n.allow_vip_port_id && 'vip_port_id', n.allow_vip_network_id && 'vip_network_id', n.allow_vip_subnet_id && 'vip_subnet_id']
      .filter((x): x is string => typeof x === 'string')
    for (const [name, value] of [['vip_port_id', req.portId], ['vip_network_id', req.networkId], ['vip_subnet_id', req.subnetId]] as const) {
      if (value && !allowed.includes(name)) throw validationFailure(`use of ${name} is disallowed by this deployment's configuration.`)
    }
    if (!req.portId && !req.networkId && !req.subnetId) throw validationFailure(`VIP must contain one of: ${allowed.join(', ')}.`)
    const subnetId = req.subnetId ?? randomUUID()
    const networkId = req.networkId ?? (req.subnetId ? noopNetworkOf(req.subnetId) : randomUUID())
    return {
      networkId, subnetId, ipAddress: req.ipAddress ? normalizeIp(req.ipAddress) ?? req.ipAddress : null, portId: req.portId ?? null,
      additionalVips: (req.additionalVips ?? []).map(a => ({ subnetId: a.subnetId, networkId, ipAddress: a.ipAddress ?? null })),
    }
  }

  async allocateVip(exec: Executor, req: VipRequest): Promise<VipAllocation> {
    const r = await this.validateVip(exec, req)
    const portId = r.portId ?? randomUUID()
    return {
      ipAddress: r.ipAddress ?? NOOP_VIP_ADDRESS, subnetId: r.subnetId, networkId: r.networkId, portId,
      octaviaOwned: !r.portId,
      additionalVips: r.additionalVips.map(a => ({ ipAddress: a.ipAddress ?? NOOP_VIP_ADDRESS, subnetId: a.subnetId, networkId: a.networkId, portId })),
    }
  }

  async releaseVip(): Promise<void> {}

  async allocatePort(_tx: Executor, req: PortRequest): Promise<Port> {
    const subnetId = req.subnetId ?? randomUUID()
    return {
      id: randomUUID(), name: req.name ?? '', networkId: req.networkId ?? noopNetworkOf(subnetId), subnetId,
      ipAddress: req.ipAddress ?? NOOP_VIP_ADDRESS, deviceId: req.deviceId ?? null, deviceOwner: req.deviceOwner ?? null,
      projectId: req.projectId ?? null, createdAt: new Date().toISOString().slice(0, 23),
    }
  }

  async releasePort(): Promise<void> {}
  async getPort(_exec: Executor, id: string): Promise<Port | null> {
    const subnetId = uuidV5(OCTAVIA_TS_NAMESPACE, `noop-subnet:${id}`)
    return {
      id, name: '', networkId: noopNetworkOf(subnetId), subnetId, ipAddress: NOOP_VIP_ADDRESS,
      deviceId: null, deviceOwner: null, projectId: null, createdAt: '2000-01-01T00:00:00.000',
    }
  }

  async listPorts(_exec: Executor, _filter?: PortFilter): Promise<readonly Port[]> { return [] }
}

/** A stable network id for a subnet id nobody declared. */
const noopNetworkOf = (subnetId: string): string => uuidV5(OCTAVIA_TS_NAMESPACE, `noop-network:${subnetId}`)
