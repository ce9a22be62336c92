import { LbaasError, notFound } from '../../../common/errors.js'
import { nowIso } from '../../../common/time.js'
import { findListener, updateListenerRow } from '../../../db/repositories/listener-repository.js'
import { findLoadBalancer } from '../../../db/repositories/load-balancer-repository.js'
import { findPoolOnLoadBalancer } from '../../../db/repositories/pool-repository.js'
import { transitionOrThrow } from '../../../db/repositories/status-guard.js'
import { setTags } from '../../../db/repositories/tag-repository.js'
import type { Executor } from '../../../db/database.js'
import type { ListenerRow } from '../../../db/schema.js'
import type { Caller } from '../../auth/caller.js'
import { LISTENER_FIELDS } from '../../../model/listener-fields.js'
import type { ApiDeps } from '../../deps.js'
import { writeAndDispatch } from '../../write.js'
import { authorize } from '../../auth/authorize.js'
import { certificateRefsFor } from './certificate-refs.js'
import { checkAlpnField, normalizeCidrsField } from './field-checks.js'
import { checkPoolProtocol } from './protocols.js'
import { renderListenerRows, type ListenerResponse } from './render.js'
import type { ListenerPut, ListenerUpdateBody } from './schema.js'
import { checkListenerUpdate } from './update-checks.js'

type Patch = Partial<Omit<ListenerRow, 'id'>>

/**
 * `PUT /v2/lbaas/listeners/{id}`: validates as Octavia does, then locks the
 * load balancer (409 unless ACTIVE), sets the listener PENDING_UPDATE with the
 * changes and records a `listener_update` job. Certificate references are
 * read as the listener's project with the request's token, and opened to the
 * service just before the write. A null value clears the
 * attribute or restores its default (connection_limit -1, timeouts, TLS
 * ciphers/versions/ALPN, client_authentication NONE).
 */
export async function updateListener(deps: ApiDeps, caller: Caller, id: string, { listener: body }: ListenerUpdateBody): Promise<{ listener: ListenerResponse }> {
  await writeAndDispatch(deps, async (tx, jobs) => {
    const row = await findListener(tx, id)
    const lb = row && await findLoadBalancer(tx, row.load_balancer_id)
    if (!row || !lb) throw notFound('Listener', id)
    authorize(caller, 'listener:put', lb.project_id)
    checkAlpnField('alpn_protocols', body.alpn_protocols)
    const cidrs = normalizeCidrsField(body.allowed_cidrs)
    const refs = certificateRefsFor(deps, row.project_id ?? lb.project_id ?? caller.projectId, caller.authToken)
    await checkListenerUpdate(tx, deps, row, body, cidrs, refs)
    const patch = patchOf(deps, body, cidrs)
    if (body.default_pool_id) await checkDefaultPool(tx, row, body.default_pool_id)
    await transitionOrThrow(tx, 'load_balancer', lb.id, { from: ['ACTIVE'], to: 'PENDING_UPDATE', resource: 'Load Balancer' })
    // Octavia finds a certificate without subject when it hands the listener to its provider, after the lock.
    refs.refuseMissingSubjects()
    await refs.grantServiceAccess()
    await updateListenerRow(tx, id, { ...patch, provisioning_status: 'PENDING_UPDATE', updated_at: nowIso() })
    if (body.tags) await setTags(tx, id, body.tags)
    await jobs.add('listener_update', lb.provider ?? deps.config.api_settings.default_provider_driver, lb.id, { listenerId: id })
  })
  const row = await findListener(deps.database.db, id)
  const [view] = await renderListenerRows(deps.database.db, [row!])
  return { listener: view }
}

/** A new default pool: not on PROMETHEUS listeners, on the same load balancer (404), protocol-compatible. */
async function checkDefaultPool(db: Executor, row: ListenerRow, poolId: string): Promise<void> {
  if (row.protocol === 'PROMETHEUS') {
    throw new LbaasError('listener_no_children', 400, 'Protocol PROMETHEUS listeners cannot have child objects.')
  }
  const pool = await findPoolOnLoadBalancer(db, poolId, row.load_balancer_id)
  if (!pool) throw notFound('Pool', poolId)
  checkPoolProtocol(row.protocol, pool.protocol)
}

const json = (v: unknown): string => JSON.stringify(v)

/** The columns a PUT body changes, with Octavia's null-means-default rules. */
function patchOf(deps: ApiDeps, b: ListenerPut, cidrs: readonly string[] | null | undefined): Patch {
  const s = deps.config.api_settings
  const p: Patch = {}
  const has = (k: keyof ListenerPut) => b[k] !== undefined
  if (has('name')) p.name = b.name ?? null
  if (has('description')) p.description = b.description ?? null
  // NOTE: WSME turns an explicit null admin_state_up into False.
  if (has('admin_state_up')) p.enabled = b.admin_state_up ? 1 : 0
  if (has('connection_limit')) p.connection_limit = b.connection_limit ?? LISTENER_FIELDS.connection_limit.default
  if (has('default_tls_container_ref')) p.tls_certificate_id = b.default_tls_container_ref ?? null
  if (has('sni_container_refs')) p.sni_containers = json(b.sni_container_refs ?? [])
  if (has('default_pool_id')) p.default_pool_id = b.default_pool_id ?? null
  if (has('insert_headers')) p.insert_headers = json(b.insert_headers ?? {})
  for (const t of ['timeout_client_data', 'timeout_member_connect', 'timeout_member_data', 'timeout_tcp_inspect'] as const) {
    if (has(t)) p[t] = b[t] ?? LISTENER_FIELDS[t].default
  }
  if (has('client_ca_tls_container_ref')) p.client_ca_tls_certificate_id = b.client_ca_tls_container_ref ?? null
  if (has('client_authentication')) p.client_authentication = b.client_authentication ?? 'NONE'
  if (has('client_crl_container_ref')) p.client_crl_container_id = b.client_crl_container_ref ?? null
  if (cidrs !== undefined) p.allowed_cidrs = json(cidrs ?? [])
  if (has('tls_ciphers')) p.tls_ciphers = b.tls_ciphers ?? s.default_listener_ciphers
  if (has('tls_versions')) p.tls_versions = json(b.tls_versions ?? s.default_listener_tls_versions)
  if (has('alpn_protocols')) p.alpn_protocols = json(b.alpn_protocols ?? s.default_listener_alpn_protocols)
  if (has('hsts_max_age')) p.hsts_max_age = b.hsts_max_age ?? null
  if (has('hsts_include_subdomains')) p.hsts_include_subdomains = b.hsts_include_subdomains ? 1 : 0
  if (has('hsts_preload')) p.hsts_preload = b.hsts_preload ? 1 : 0
  return p
}
