import assert from 'node:assert/strict'
import type { StatusTable } from '../../src/db/repositories/status-guard.js'
import type { Harness } from './api-harness.js'

/** Harness options of the L7 tests: the noop network driver accepts any VIP subnet. */
export const L7_HARNESS_OPTIONS = { controller_worker: { network_driver: 'network_noop_driver' } }

/** A load balancer with one listener, created through the API and settled (ACTIVE). */
export interface L7Fixture {
  readonly lbId: string
  readonly listenerId: string
  readonly projectId: string
}

let nextPort = 1000

/** Creates an ACTIVE load balancer (project `projectId`) with an ACTIVE listener of `protocol`. */
export async function lbWithListener(h: Harness, protocol = 'HTTP', projectId = 'p-l7'): Promise<L7Fixture> {
  const lb = await h.request('POST', '/v2/lbaas/loadbalancers', {
    loadbalancer: { vip_subnet_id: '11111111-2222-3333-4444-555555555555', project_id: projectId },
  })
  assert.equal(lb.status, 201, JSON.stringify(lb.body))
  const lbId = lb.body.loadbalancer.id as string
  await settle(h, lbId)
  const listenerId = await addListener(h, lbId, protocol)
  return { lbId, listenerId, projectId }
}

/** Adds an ACTIVE listener of `protocol` on the next free port. */
export async function addListener(h: Harness, lbId: string, protocol: string): Promise<string> {
  const r = await h.request('POST', '/v2/lbaas/listeners', {
    listener: { loadbalancer_id: lbId, protocol, protocol_port: nextPort++ },
  })
  assert.equal(r.status, 201, JSON.stringify(r.body))
  await settle(h, lbId)
  return r.body.listener.id as string
}

/** Adds an ACTIVE pool of `protocol` on the load balancer (no listener). */
export async function addPool(h: Harness, lbId: string, protocol = 'HTTP'): Promise<string> {
  const r = await h.request('POST', '/v2/lbaas/pools', {
    pool: { loadbalancer_id: lbId, protocol, lb_algorithm: 'ROUND_ROBIN' },
  })
  assert.equal(r.status, 201, JSON.stringify(r.body))
  await settle(h, lbId)
  return r.body.pool.id as string
}

/** Creates an L7 policy (201 expected) and waits until the worker has finished it. */
export async function addPolicy(h: Harness, fx: L7Fixture, body: Record<string, unknown> = {}): Promise<any> {
  const r = await h.request('POST', '/v2/lbaas/l7policies', {
    l7policy: { listener_id: fx.listenerId, action: 'REJECT', ...body },
  })
  assert.equal(r.status, 201, JSON.stringify(r.body))
  await settle(h, fx.lbId)
  return r.body.l7policy
}

/** Creates an L7 rule (201 expected) and waits until the worker has finished it. */
export async function addRule(h: Harness, fx: L7Fixture, policyId: string, body: Record<string, unknown> = {}): Promise<any> {
  const r = await h.request('POST', `/v2/lbaas/l7policies/${policyId}/rules`, {
    rule: { type: 'PATH', compare_type: 'STARTS_WITH', value: '/api', ...body },
  })
  assert.equal(r.status, 201, JSON.stringify(r.body))
  await settle(h, fx.lbId)
  return r.body.rule
}

/** Waits until every job of the load balancer is finished and it is ACTIVE again. */
export async function settle(h: Harness, lbId: string, ms = 15000): Promise<void> {
  const db = h.deps.database.db
  const deadline = Date.now() + ms
  for (;;) {
    const open = await db.selectFrom('job').select('id').where('load_balancer_id', '=', lbId)
      .where('state', 'not in', ['DONE', 'FAILED']).execute()
    if (open.length === 0 && (await statusOf(h, 'load_balancer', lbId)) === 'ACTIVE') return
    if (Date.now() > deadline) throw new Error(`load balancer ${lbId} did not settle (${open.length} open jobs)`)
    await new Promise(r => setTimeout(r, 10))
  }
}

/** Provisioning status of one row (undefined once deleted). */
export async function statusOf(h: Harness, table: StatusTable, id: string): Promise<string | undefined> {
  const row = await h.deps.database.db.selectFrom(table as 'pool').select('provisioning_status')
    .where('id', '=', id).executeTakeFirst()
  return row?.provisioning_status
}

/** Forces a provisioning status, as Octavia's functional tests do (a write in flight, an ERROR). */
export async function forceStatus(h: Harness, table: StatusTable, id: string, status: string): Promise<void> {
  await h.deps.database.db.updateTable(table as 'pool').set({ provisioning_status: status }).where('id', '=', id).execute()
}

/** Asserts an Octavia error answer: status and exact faultstring (a RegExp matches it instead). */
export function assertFault(r: { status: number; body: any }, status: number, faultstring: string | RegExp): void {
  assert.equal(r.status, status, JSON.stringify(r.body))
  if (typeof faultstring === 'string') assert.equal(r.body?.faultstring, faultstring)
  else assert.match(r.body?.faultstring ?? '', faultstring)
}
