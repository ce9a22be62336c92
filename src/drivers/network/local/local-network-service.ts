import { randomUUID } from 'node:crypto'
import type { Config } from '../../../common/config/schema.js'
import { badRequest, conflict, validationFailure, type LbaasError } from '../../../common/errors.js'
import { nowIso } from '../../../common/time.js'
import type { Executor } from '../../../db/database.js'
import {
  bindPort, deletePort, deletePortsOfDevice, findPort, findPortByAddress, insertPortIfFree, isUniqueViolation,
  listPortRows, unbindPort, usedAddresses,
} from '../../../db/repositories/port-repository.js'
import type { PortRow } from '../../../db/schema.js'
import { dataPlaneModeFor } from '../../../common/config/compute-mode.js'
import { declaredNetworks, defaultNetworkSections, type DeclaredNetwork, type DeclaredSubnet, type Topology } from '../declared-networks.js'
import type {
  NetworkService, Port, PortFilter, PortRequest, ResolvedVip, VipAllocation, VipRequest,
} from '../../../model/network-service.js'
import { firstFree, freeCount, reservedOf } from './subnet-addresses.js'
import { assignableAddress, invalidSubresource, portInUse, validateVipRequest, type VipLookups } from './vip-validation.js'

/** device_owner of the ports we create (Octavia's OCTAVIA_OWNER). */
export const OCTAVIA_OWNER = 'Octavia'

/** What a placed port carries besides its address. */
interface PortMeta {
  readonly name: string
  readonly deviceId: string | null
  readonly deviceOwner: string | null
  readonly projectId: string | null
}

/**
 * The `local` network driver: networks and subnets declared in the
 * configuration (`[network:NAME]` sections, stable ids; with none, the default
 * network of the data-plane mode), addresses handed out
 * through the `port` table, whose unique (subnet_id, ip_address) makes
 * concurrent allocations safe on SQLite and PostgreSQL.
 */
export class LocalNetworkService implements NetworkService<Executor> {
  readonly driver = 'local'
  readonly #topology: Topology
  readonly #networks: ReadonlyMap<string, DeclaredNetwork>
  readonly #subnets: ReadonlyMap<string, DeclaredSubnet>
  readonly #config: Pick<Config, 'networking' | 'controller_worker'>
  readonly #lookups: VipLookups

  constructor(config: Pick<Config, 'networking' | 'controller_worker' | 'extraSections'>) {
    this.#topology = declaredNetworks(config.extraSections, defaultNetworkSections(dataPlaneModeFor(config.controller_worker)))
    this.#networks = new Map(this.#topology.networks.map(n => [n.id, n]))
    this.#subnets = new Map(this.#topology.subnets.map(s => [s.id, s]))
    this.#config = { networking: config.networking, controller_worker: config.controller_worker }
    this.#lookups = {
      networking: config.networking,
      defaultTopology: config.controller_worker.loadbalancer_topology,
      getNetwork: id => this.getNetwork(id),
      getDeclaredSubnet: id => this.#subnets.get(id) ?? null,
      getPort: (exec, id) => this.getPort(exec, id),
      freeAddresses: async (exec, subnet) =>
        freeCount(subnet, new Set(await usedAddresses(exec, subnet.id)), this.#reserved(subnet)),
    }
  }

  getNetwork(id: string): DeclaredNetwork | null { return this.#networks.get(id) ?? null }
  getSubnet(id: string): DeclaredSubnet | null { return this.#subnets.get(id) ?? null }
  listNetworks(): readonly DeclaredNetwork[] { return this.#topology.networks }
  listSubnets(): readonly DeclaredSubnet[] { return this.#topology.subnets }

  validateVip(exec: Executor, req: VipRequest): Promise<ResolvedVip> {
    return validateVipRequest(this.#lookups, exec, req)
  }

  async allocateVip(tx: Executor, req: VipRequest): Promise<VipAllocation> {
    const r = await this.validateVip(tx, req)
    this.#checkNetworkAllowed(r.networkId, req.validVipNetworks)
    const device = `lb-${req.loadBalancerId}`
    let primary: Port
    if (r.portId) {
      if (!await bindPort(tx, r.portId, device)) {
        const now = await this.getPort(tx, r.portId)
        throw now ? portInUse(r.portId, now.deviceId ?? '') : invalidSubresource('Port', r.portId)
      }
      primary = (await this.getPort(tx, r.portId))!
    } else {
      const meta = { name: `octavia-lb-${req.loadBalancerId}`, deviceId: device, deviceOwner: OCTAVIA_OWNER, projectId: req.projectId }
      primary = await this.#place(tx, this.#subnets.get(r.subnetId)!, r.ipAddress, meta, true)
    }
    const additionalVips = []
    for (const [i, a] of r.additionalVips.entries()) {
      const meta = { name: `octavia-lb-${req.loadBalancerId}-${i + 1}`, deviceId: device, deviceOwner: OCTAVIA_OWNER, projectId: req.projectId }
      const p = await this.#place(tx, this.#subnets.get(a.subnetId)!, a.ipAddress, meta, true)
      additionalVips.push({ ipAddress: p.ipAddress, subnetId: p.subnetId, networkId: p.networkId, portId: p.id })
    }
    return {
      ipAddress: primary.ipAddress, subnetId: primary.subnetId, networkId: primary.networkId, portId: primary.id,
      octaviaOwned: !r.portId, additionalVips,
    }
  }

  async releaseVip(tx: Executor, portId: string): Promise<void> {
    const port = await findPort(tx, portId)
    if (!port) return
    if (port.device_owner === OCTAVIA_OWNER) await deletePort(tx, portId)
    else await unbindPort(tx, portId)
    if (port.device_id?.startsWith('lb-')) await deletePortsOfDevice(tx, port.device_id, OCTAVIA_OWNER)
  }

  async allocatePort(tx: Executor, req: PortRequest): Promise<Port> {
    const subnet = await this.#subnetForPort(tx, req)
    const ip = req.ipAddress ? assignableAddress(subnet, req.ipAddress) : null
    const meta = { name: req.name ?? '', deviceId: req.deviceId ?? null, deviceOwner: req.deviceOwner ?? null, projectId: req.projectId ?? null }
    return this.#place(tx, subnet, ip, meta, false)
  }

  async releasePort(tx: Executor, portId: string): Promise<void> {
    await deletePort(tx, portId)
  }

  async getPort(exec: Executor, id: string): Promise<Port | null> {
    const row = await findPort(exec, id)
    return row ? toPort(row) : null
  }

  async listPorts(exec: Executor, filter: PortFilter = {}): Promise<readonly Port[]> {
    const rows = await listPortRows(exec, {
      id: filter.ids, name: filter.names, network_id: filter.networkIds, subnet_id: filter.subnetIds,
      ip_address: filter.ipAddresses, device_id: filter.deviceIds, device_owner: filter.deviceOwners,
      project_id: filter.projectIds,
    })
    return rows.map(toPort)
  }

  #reserved(subnet: DeclaredSubnet): Set<bigint> {
    return reservedOf(subnet, this.#config.networking.reserved_ips)
  }

  /** Octavia's network_allowed_by_config + network_denylist_by_config (ids or, here, names too). */
  #checkNetworkAllowed(networkId: string, azValid: readonly string[] | null | undefined): void {
    const net = this.#networks.get(networkId)
    const names = [networkId.toLowerCase(), ...(net ? [net.name.toLowerCase()] : [])]
    const valid = azValid?.length ? azValid : this.#config.networking.valid_vip_networks
    const denied = this.#config.networking.denylist_vip_networks
    const hit = (list: readonly string[]) => list.some(v => names.includes(v.trim().toLowerCase()))
    if ((valid.length > 0 && !hit(valid)) || hit(denied)) {
      throw validationFailure('Supplied VIP network_id is not allowed by the configuration of this deployment.')
    }
  }

  async #subnetForPort(exec: Executor, req: PortRequest): Promise<DeclaredSubnet> {
    if (req.subnetId) {
      const subnet = this.#subnets.get(req.subnetId)
      if (!subnet || (req.networkId && subnet.networkId !== req.networkId)) throw invalidSubresource('Subnet', req.subnetId)
      return subnet
    }
    if (!req.networkId) throw validationFailure('A port needs a subnet_id or a network_id.')
    const network = this.#networks.get(req.networkId)
    if (!network) throw invalidSubresource('Network', req.networkId)
    const subnets = network.subnets.map(id => this.#subnets.get(id)!)
    const roomy: DeclaredSubnet[] = []
    for (const s of subnets) if (await this.#lookups.freeAddresses(exec, s) > 0n) roomy.push(s)
    if (roomy.length === 0) throw exhausted(network.id)
    return roomy.find(s => s.ipVersion === 4) ?? roomy[0]
  }

  /**
   * Inserts a port on the subnet: at `ip` (409 if taken), or at the first
   * free address, moving on when a concurrent transaction took it first.
   */
  async #place(tx: Executor, subnet: DeclaredSubnet, ip: string | null, meta: PortMeta, vip: boolean): Promise<Port> {
    const row = (address: string): PortRow => ({
      id: randomUUID(), name: meta.name, network_id: subnet.networkId, subnet_id: subnet.id, ip_address: address,
      device_id: meta.deviceId, device_owner: meta.deviceOwner, project_id: meta.projectId, created_at: nowIso(),
    })
    if (ip !== null) {
      const r = row(ip)
      const taken = () => addressTaken(ip, subnet.id, vip)
      if (await findPortByAddress(tx, subnet.id, ip)) throw taken()
      try {
        if (!await insertPortIfFree(tx, r)) throw taken()
      } catch (err) {
        throw isUniqueViolation(err) ? taken() : err
      }
      return toPort(r)
    }
    const reserved = this.#reserved(subnet)
    const lost = new Set<string>() // taken by concurrent transactions (even if our snapshot cannot see them)
    for (;;) {
      const used = new Set([...await usedAddresses(tx, subnet.id), ...lost])
      const candidate = firstFree(subnet, used, reserved)
      if (candidate === null) throw exhausted(subnet.networkId, subnet.id)
      const r = row(candidate)
      if (await insertPortIfFree(tx, r)) return toPort(r)
      lost.add(candidate)
    }
  }
}

/** 409 for a taken address: Octavia's VIP message around Neutron's own words. */
function addressTaken(ip: string, subnetId: string, vip: boolean): LbaasError {
  const neutron = `IP address ${ip} already allocated in subnet ${subnetId}`
  return vip ? conflict(`The VIP IP address is already in use: ${neutron}`, 'vip_in_use') : conflict(neutron, 'ip_in_use')
}

/** 400 when no address is left (Neutron's words). */
function exhausted(networkId: string, subnetId?: string): LbaasError {
  return badRequest(`Validation failure: No more IP addresses available on ${subnetId ? `subnet ${subnetId}` : `network ${networkId}`}.`,
    'ip_exhausted')
}

export function toPort(row: PortRow): Port {
  return {
    id: row.id, name: row.name ?? '', networkId: row.network_id, subnetId: row.subnet_id, ipAddress: row.ip_address,
    deviceId: row.device_id, deviceOwner: row.device_owner, projectId: row.project_id, createdAt: row.created_at,
  }
}
