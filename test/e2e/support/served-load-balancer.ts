import type { AmphoraStack } from './amphora-stack.js'
import { waitAnswer } from './dataplane-backends.js'

/** What createServedLoadBalancer made. */
export interface ServedLoadBalancer {
  readonly id: string
  readonly vip: string
  /** Create request → first 200 through the VIP, in ms. */
  readonly msToFirstAnswer: number
}

/**
 * A load balancer on the stack's subnet with one HTTP listener on `port`
 * whose pool has the one `backend` as member (optionally with a flavor, e.g.
 * ACTIVE_STANDBY); resolves once it is ACTIVE and answers through its VIP.
 * Throws on any other answer than 201.
 */
export async function createServedLoadBalancer(stack: AmphoraStack, o: {
  readonly name: string; readonly port: number; readonly backend: { readonly host: string; readonly port: number }; readonly flavorId?: string
}): Promise<ServedLoadBalancer> {
  const started = performance.now()
  const r = await stack.request('POST', '/v2/lbaas/loadbalancers', {
    loadbalancer: {
      name: o.name, vip_subnet_id: stack.subnetId, ...(o.flavorId ? { flavor_id: o.flavorId } : {}),
      listeners: [{
        protocol: 'HTTP', protocol_port: o.port,
        default_pool: {
          name: `${o.name}-pool`, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN',
          members: [{ address: o.backend.host, protocol_port: o.backend.port, subnet_id: stack.subnetId }],
        },
      }],
    },
  })
  if (r.status !== 201) throw new Error(`load balancer create answered ${r.status}: ${JSON.stringify(r.body)}`)
  const { id, vip_address: vip } = r.body.loadbalancer as { id: string; vip_address: string }
  await waitAnswer(vip, o.port, '/', 200, 30_000)
  const msToFirstAnswer = performance.now() - started
  await stack.waitStatus(`/v2/lbaas/loadbalancers/${id}`, 'ACTIVE', 30_000)
  return { id, vip, msToFirstAnswer }
}

/** The load balancer's amphorae that are not DELETED, MASTER before BACKUP. */
export const liveAmphorae = (stack: AmphoraStack, lbId: string) => stack.database.db.selectFrom('amphora').selectAll()
  .where('load_balancer_id', '=', lbId).where('status', '!=', 'DELETED').orderBy('role', 'desc').execute()

/** A flavor (and its profile) with `loadbalancer_topology` ACTIVE_STANDBY for the amphora provider; its id. */
export async function activeStandbyFlavor(stack: AmphoraStack, name: string): Promise<string> {
  const profile = await stack.request('POST', '/v2/lbaas/flavorprofiles', {
    flavorprofile: { name, provider_name: 'amphora', flavor_data: '{"loadbalancer_topology": "ACTIVE_STANDBY"}' },
  })
  if (profile.status !== 201) throw new Error(`flavor profile create answered ${profile.status}: ${JSON.stringify(profile.body)}`)
  const flavor = await stack.request('POST', '/v2/lbaas/flavors', { flavor: { name, flavor_profile_id: profile.body.flavorprofile.id } })
  if (flavor.status !== 201) throw new Error(`flavor create answered ${flavor.status}: ${JSON.stringify(flavor.body)}`)
  return flavor.body.flavor.id
}
