import type { Executor } from '../../../db/database.js'
import { poolRelations, type PoolRelations } from '../../../db/repositories/pool-repository.js'
import type { PoolRow } from '../../../db/schema.js'
import { renderDescribedHead, renderTimestamps, sortedTags } from '../render-common.js'

/** A pool as Octavia's PoolResponse shows it. */
export type PoolResponse = Record<string, unknown> & { readonly id: string }

const list = (json: string | null): string[] | null => (json === null ? null : JSON.parse(json) as string[])

/** The session persistence object of a pool row, or null. */
export function renderSessionPersistence(row: PoolRow): Record<string, unknown> | null {
  if (row.sp_type === null) return null
  return {
    type: row.sp_type,
    cookie_name: row.sp_cookie_name,
    persistence_timeout: row.sp_persistence_timeout,
    persistence_granularity: row.sp_persistence_granularity,
  }
}

/** Renders one pool row (Octavia's PoolResponse; `tenant_id` is never shown). */
export function renderPool(row: PoolRow, rel: PoolRelations): PoolResponse {
  return {
    ...renderDescribedHead(row),
    protocol: row.protocol,
    lb_algorithm: row.lb_algorithm,
    session_persistence: renderSessionPersistence(row),
    project_id: row.project_id,
    loadbalancers: [{ id: row.load_balancer_id }],
    listeners: rel.listenerIds.map(id => ({ id })),
    ...renderTimestamps(row),
    healthmonitor_id: rel.healthMonitorId,
    members: rel.memberIds.map(id => ({ id })),
    tags: sortedTags(rel.tags),
    tls_container_ref: row.tls_certificate_id,
    ca_tls_container_ref: row.ca_tls_certificate_id,
    crl_container_ref: row.crl_container_id,
    tls_enabled: row.tls_enabled === 1,
    tls_ciphers: row.tls_ciphers,
    tls_versions: list(row.tls_versions),
    alpn_protocols: list(row.alpn_protocols),
  }
}

/** Loads the relations of `rows` and renders them, in order. */
export async function renderPoolRows(db: Executor, rows: readonly PoolRow[]): Promise<PoolResponse[]> {
  const rels = await poolRelations(db, rows.map(r => r.id))
  const none: PoolRelations = { listenerIds: [], memberIds: [], healthMonitorId: null, tags: [] }
  return rows.map(r => renderPool(r, rels.get(r.id) ?? none))
}
