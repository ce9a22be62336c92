import type { Executor } from '../../../db/database.js'
import { listenerRelations, type ListenerRelations } from '../../../db/repositories/listener-repository.js'
import type { ListenerRow } from '../../../db/schema.js'
import { renderDescribedHead, renderTimestamps, sortedTags } from '../render-common.js'

/** A listener as Octavia's ListenerResponse shows it. */
export type ListenerResponse = Record<string, unknown> & { readonly id: string }

const list = (json: string | null): string[] | null => (json === null ? null : JSON.parse(json) as string[])

/** Renders one listener row (Octavia's ListenerResponse; `tenant_id` is never shown). */
export function renderListener(row: ListenerRow, rel: ListenerRelations): ListenerResponse {
  const cidrs = list(row.allowed_cidrs) ?? []
  return {
    ...renderDescribedHead(row),
    protocol: row.protocol,
    protocol_port: row.protocol_port,
    connection_limit: row.connection_limit,
    default_tls_container_ref: row.tls_certificate_id,
    sni_container_refs: list(row.sni_containers) ?? [],
    project_id: row.project_id,
    default_pool_id: row.default_pool_id,
    l7policies: rel.l7policyIds.map(id => ({ id })),
    insert_headers: JSON.parse(row.insert_headers || '{}') as Record<string, string>,
    ...renderTimestamps(row),
    loadbalancers: [{ id: row.load_balancer_id }],
    timeout_client_data: row.timeout_client_data,
    timeout_member_connect: row.timeout_member_connect,
    timeout_member_data: row.timeout_member_data,
    timeout_tcp_inspect: row.timeout_tcp_inspect,
    tags: sortedTags(rel.tags),
    client_ca_tls_container_ref: row.client_ca_tls_certificate_id,
    client_authentication: row.client_authentication,
    client_crl_container_ref: row.client_crl_container_id,
    allowed_cidrs: cidrs.length ? cidrs : null,
    tls_ciphers: row.tls_ciphers,
    tls_versions: list(row.tls_versions),
    alpn_protocols: list(row.alpn_protocols),
    hsts_max_age: row.hsts_max_age,
    hsts_include_subdomains: row.hsts_include_subdomains === 1,
    hsts_preload: row.hsts_preload === 1,
  }
}

/** Loads the relations of `rows` and renders them, in order. */
export async function renderListenerRows(db: Executor, rows: readonly ListenerRow[]): Promise<ListenerResponse[]> {
  const rels = await listenerRelations(db, rows.map(r => r.id))
  return rows.map(r => renderListener(r, rels.get(r.id) ?? { l7policyIds: [], tags: [] }))
}
