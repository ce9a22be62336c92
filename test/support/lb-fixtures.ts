import { randomUUID } from 'node:crypto'
import { nowIso } from '../../src/common/time.js'
import type { Harness } from './api-harness.js'

/** An ACTIVE load balancer inserted straight into the database. */
export interface LbFixture {
  readonly lbId: string
  readonly projectId: string
}

/**
 * Inserts an ACTIVE load balancer with its VIP (and optional additional VIPs),
 * as Octavia's functional tests do, so that listener and pool tests do not
 * depend on the load balancer API.
 */
export async function activeLoadBalancer(h: Harness, opts: {
  vip?: string; additionalVips?: readonly string[]; sgIds?: readonly string[]; provider?: string; projectId?: string
} = {}): Promise<LbFixture> {
  const db = h.deps.database.db
  const lbId = randomUUID()
  const projectId = opts.projectId ?? randomUUID()
  await db.insertInto('load_balancer').values({
    id: lbId, project_id: projectId, name: 'lb', description: null, provisioning_status: 'ACTIVE',
    operating_status: 'ONLINE', enabled: 1, topology: 'SINGLE', provider: opts.provider ?? 'noop_driver',
    flavor_id: null, availability_zone: null, created_at: nowIso(), updated_at: null,
  }).execute()
  await db.insertInto('vip').values({
    load_balancer_id: lbId, ip_address: opts.vip ?? '198.51.100.5', port_id: randomUUID(), subnet_id: randomUUID(),
    network_id: randomUUID(), qos_policy_id: null, octavia_owned: 1, vnic_type: 'normal',
    sg_ids: JSON.stringify(opts.sgIds ?? []),
  }).execute()
  for (const ip of opts.additionalVips ?? []) {
    await db.insertInto('additional_vip').values({
      load_balancer_id: lbId, subnet_id: randomUUID(), network_id: null, port_id: randomUUID(), ip_address: ip,
    }).execute()
  }
  return { lbId, projectId }
}
