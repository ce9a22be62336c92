import { LbaasError, validationFailure } from '../../../common/errors.js'
import type { Executor } from '../../../db/database.js'
import type { ResolvedVip, VipRequest } from '../../../model/network-service.js'
import { authorize } from '../../auth/authorize.js'
import type { Caller } from '../../auth/caller.js'
import type { ApiDeps } from '../../deps.js'
import { chooseProvider, readFlavorAndZone, type FlavorZoneChoice } from '../flavors/load-balancer-flavor.js'
import { resolveProvider } from '../providers/provider-catalog.js'
import type { LoadBalancerCreate } from './schema.js'

/** What the checks before the create transaction settled. */
export interface CreatePlan {
  readonly projectId: string
  readonly provider: string
  readonly vipRequest: VipRequest
  readonly resolvedVip: ResolvedVip
  /** The flavor and availability zone (confirmFlavorAndZone re-checks them in the transaction). */
  readonly flavorZone: FlavorZoneChoice
}

/** 400 `<Resource> <id> not found.` (Octavia's InvalidSubresource). */
export const invalidSubresource = (resource: string, id: string): LbaasError =>
  new LbaasError('invalid_subresource', 400, `${resource} ${id} not found.`)

/**
 * QoS policies and security groups: no network driver of ours offers them, so
 * any id given is unknown (400), as with a Neutron that has none of that id.
 * An empty `vip_sg_ids` list is accepted.
 */
export function checkQosAndSecurityGroups(qosPolicyId: string | null | undefined, sgIds: readonly string[] | null | undefined): void {
  if (qosPolicyId) throw invalidSubresource('qos_policy', qosPolicyId)
  for (const sg of sgIds ?? []) throw invalidSubresource('Security Group', sg)
}

const MISSING_PROJECT = 'Missing project ID in request where one is required. '
  + 'An administrator should check the keystone settings in the Octavia configuration.'

/**
 * The project a new load balancer belongs to: the body's project_id (alias
 * tenant_id), else the caller's (400 when neither names one), which must pass
 * `loadbalancer:post` (and `post:vip_sg_ids` when given): only admins may
 * create for another project.
 */
export function projectOf(body: LoadBalancerCreate, caller: Caller): string {
  const projectId = body.project_id || body.tenant_id || caller.projectId
  if (!projectId) throw validationFailure(MISSING_PROJECT)
  authorize(caller, 'loadbalancer:post', projectId)
  if (body.vip_sg_ids !== undefined) authorize(caller, 'loadbalancer:post:vip_sg_ids', projectId)
  return projectId
}

/**
 * Octavia's checks before the create transaction, in its order: the VIP
 * request (allowed objects, at least one id, port/network/subnet existence,
 * additional VIPs), QoS policy, security groups, flavor, availability zone,
 * then the provider (the flavor's; enabled, known). The VIP request already
 * carries the flavor's topology and the zone's valid VIP networks.
 */
export async function planCreate(
  deps: ApiDeps, db: Executor, lbId: string, body: LoadBalancerCreate, caller: Caller,
): Promise<CreatePlan> {
  const projectId = projectOf(body, caller)
  const flavorZone = await readFlavorAndZone(db, deps.config, body.flavor_id, body.availability_zone)
  const vipRequest: VipRequest = {
    loadBalancerId: lbId,
    projectId,
    subnetId: body.vip_subnet_id ?? null,
    networkId: body.vip_network_id ?? null,
    portId: body.vip_port_id ?? null,
    ipAddress: body.vip_address ?? null,
    additionalVips: (body.additional_vips ?? []).map(v => ({ subnetId: v.subnet_id, ipAddress: v.ip_address ?? null })),
    topology: flavorZone.topology,
    validVipNetworks: flavorZone.validVipNetworks,
  }
  const resolvedVip = await deps.network.validateVip(db, vipRequest)
  checkQosAndSecurityGroups(body.vip_qos_policy_id, body.vip_sg_ids)
  const provider = chooseProvider(flavorZone, body.provider, deps.config.api_settings.default_provider_driver)
  resolveProvider(deps, provider).checkTopology(flavorZone.topology)
  return { projectId, provider, vipRequest, resolvedVip, flavorZone }
}
