import { randomUUID } from 'node:crypto'
import { nowIso } from '../../src/common/time.js'
import type { StatusTable } from '../../src/db/repositories/status-guard.js'
import type { Harness } from './api-harness.js'

/** An ACTIVE load balancer with one ACTIVE pool, optionally the default pool of an ACTIVE listener. */
export interface PoolFixture {
  readonly lbId: string
  readonly poolId: string
  readonly listenerId: string | null
  readonly projectId: string
}

/**
 * Inserts an ACTIVE load balancer (provider noop_driver) with an ACTIVE pool
 * straight into the database, as Octavia's functional tests do, so that member
 * and health monitor tests do not depend on the other resources' APIs.
 */
export async function activePool(
  h: Harness, opts: { protocol?: string; listener?: boolean; projectId?: string } = {},
): Promise<PoolFixture> {
  const db = h.deps.database.db
  const projectId = opts.projectId ?? randomUUID()
  const lbId = randomUUID()
  await db.insertInto('load_balancer').values({
    id: lbId, project_id: projectId, name: 'lb', description: null, provisioning_status: 'ACTIVE',
    operating_status: 'ONLINE', enabled: 1, topology: 'SINGLE', provider: 'noop_driver', flavor_id: null,
    availability_zone: null, created_at: nowIso(), updated_at: null,
  }).execute()
  const poolId = await addPool(h, lbId, projectId, opts.protocol ?? 'HTTP')
  let listenerId: string | null = null
  if (opts.listener) {
    listenerId = randomUUID()
    await db.insertInto('listener').values({
      id: listenerId, project_id: projectId, load_balancer_id: lbId, name: null, description: null,
      protocol: opts.protocol === 'UDP' || opts.protocol === 'SCTP' ? opts.protocol : 'HTTP', protocol_port: 80,
      connection_limit: null, default_pool_id: poolId, provisioning_status: 'ACTIVE', operating_status: 'ONLINE',
      enabled: 1, insert_headers: '{}', timeout_client_data: null, timeout_member_connect: null,
      timeout_member_data: null, timeout_tcp_inspect: null, tls_certificate_id: null, sni_containers: '[]',
      client_authentication: 'NONE', client_ca_tls_certificate_id: null, client_crl_container_id: null,
      allowed_cidrs: '[]', tls_ciphers: null, tls_versions: null, alpn_protocols: null, hsts_max_age: null,
      hsts_include_subdomains: 0, hsts_preload: 0, created_at: nowIso(), updated_at: null,
    }).execute()
  }
  return { lbId, poolId, listenerId, projectId }
}

/** Inserts another ACTIVE pool on a load balancer. */
export async function addPool(h: Harness, lbId: string, projectId: string, protocol = 'HTTP'): Promise<string> {
  const id = randomUUID()
  await h.deps.database.db.insertInto('pool').values({
    id, project_id: projectId, load_balancer_id: lbId, name: null, description: null, protocol,
    lb_algorithm: 'ROUND_ROBIN', provisioning_status: 'ACTIVE', operating_status: 'ONLINE', enabled: 1,
    sp_type: null, sp_cookie_name: null, sp_persistence_timeout: null, sp_persistence_granularity: null,
    tls_enabled: 0, tls_certificate_id: null, ca_tls_certificate_id: null, crl_container_id: null,
    tls_ciphers: null, tls_versions: null, alpn_protocols: null, created_at: nowIso(), updated_at: null,
  }).execute()
  return id
}

/** Provisioning status of one row (undefined once deleted). */
export async function statusOf(h: Harness, table: StatusTable, id: string): Promise<string | undefined> {
  const row = await h.deps.database.db.selectFrom(table as 'pool').select('provisioning_status')
    .where('id', '=', id).executeTakeFirst()
  return row?.provisioning_status
}

/** Forces a provisioning status (a parent stuck in ERROR or another write in flight). */
export async function forceStatus(h: Harness, table: StatusTable, id: string, status: string): Promise<void> {
  await h.deps.database.db.updateTable(table as 'pool').set({ provisioning_status: status }).where('id', '=', id).execute()
}

/** Waits until the worker has finished every job of the load balancer and it is ACTIVE again. */
export async function settle(h: Harness, lbId: string, ms = 10000): Promise<void> {
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

/** The operations and payloads of the jobs recorded for a load balancer, oldest first. */
export async function jobsOf(h: Harness, lbId: string): Promise<{ operation: string; payload: any }[]> {
  const rows = await h.deps.database.db.selectFrom('job').select(['operation', 'payload', 'created_at'])
    .where('load_balancer_id', '=', lbId).orderBy('created_at').execute()
  return rows.map(r => ({ operation: r.operation, payload: JSON.parse(r.payload) }))
}
