import { randomUUID } from 'node:crypto'
import type { Transaction } from 'kysely'
import { LbaasError, notFound, validationFailure } from '../../../common/errors.js'
import { insertListenerRow } from '../../../db/repositories/listener-repository.js'
import { findPoolOnLoadBalancer } from '../../../db/repositories/pool-repository.js'
import { setTags } from '../../../db/repositories/tag-repository.js'
import type { DB, ListenerRow, LoadBalancerRow } from '../../../db/schema.js'
import { LISTENER_FIELDS } from '../../../model/listener-fields.js'
import type { ApiDeps } from '../../deps.js'
import { pendingCreateColumns } from '../pending-create.js'
import { checkQuota } from '../quotas/check-quota.js'
import { insertPool } from '../pools/insert.js'
import type { PoolCreate } from '../pools/schema.js'
import { certificateRefsFor } from './certificate-refs.js'
import { checkListenerCreate, type ListenerDraft } from './create-checks.js'
import { checkAlpnField, normalizeCidrsField } from './field-checks.js'
import { insertListenerPolicies } from './policies.js'
import { checkPoolProtocol } from './protocols.js'
import type { ListenerCreate } from './schema.js'

const noChildren = (protocol: string) =>
  new LbaasError('listener_no_children', 400, `Protocol ${protocol} listeners cannot have child objects.`)

/**
 * Validates a listener create against Octavia's rules and inserts it on `lb`
 * with PENDING_CREATE / OFFLINE, with its optional embedded `default_pool`
 * (created through insertPool) and `l7policies`. No locking and no job: the
 * caller holds the load balancer lock (or is creating the load balancer).
 * Certificate references are read as `projectId` with the request's
 * `authToken` (null without Keystone) and, once every check passed, opened
 * to the service before the row is written.
 * Returns the listener id. Throws LbaasError: 400 validation, 404 default pool
 * not on this load balancer, 409 port already used.
 */
export async function insertListener(
  tx: Transaction<DB>, deps: ApiDeps, lb: LoadBalancerRow, body: ListenerCreate, projectId: string, authToken: string | null,
): Promise<string> {
  await checkQuota(tx, deps, projectId, 'listener')
  checkAlpnField('alpn_protocols', body.alpn_protocols)
  const cidrs = normalizeCidrsField(body.allowed_cidrs) ?? []
  const defaultPoolId = await resolveDefaultPool(tx, deps, lb, body, projectId, authToken)
  const poolIdsByName = new Map<string, string>()
  if (body.default_pool?.name && defaultPoolId) poolIdsByName.set(body.default_pool.name, defaultPoolId)
  const settings = deps.config.api_settings
  const draft = listenerDraft(lb, body, cidrs, settings)
  const refs = certificateRefsFor(deps, projectId, authToken)
  await checkListenerCreate(tx, deps, draft, refs)
  refs.refuseMissingSubjects()
  deps.providers.find(lb.provider ?? settings.default_provider_driver)?.checkListener(body.protocol)
  await refs.grantServiceAccess()
  const row = listenerRow(body, draft, defaultPoolId, projectId)
  await insertListenerRow(tx, row)
  if (body.tags?.length) await setTags(tx, row.id, body.tags)
  const policies = body.l7policies ?? []
  if (policies.length && body.protocol === 'PROMETHEUS') throw noChildren('PROMETHEUS')
  await insertListenerPolicies(tx, deps, lb, row, policies, { projectId, authToken }, poolIdsByName)
  return row.id
}

/**
 * The listener's default pool: `default_pool_id` must name a protocol-
 * compatible pool of the same load balancer (404 otherwise); an embedded
 * `default_pool` definition is created here.
 */
async function resolveDefaultPool(
  tx: Transaction<DB>, deps: ApiDeps, lb: LoadBalancerRow, body: ListenerCreate, projectId: string, authToken: string | null,
): Promise<string | null> {
  const embedded = body.default_pool ?? null
  if (!body.default_pool_id && !embedded) return null
  if (body.protocol === 'PROMETHEUS') throw noChildren('PROMETHEUS')
  if (body.default_pool_id) {
    const pool = await findPoolOnLoadBalancer(tx, body.default_pool_id, lb.id)
    if (!pool) throw notFound('Pool', body.default_pool_id)
    checkPoolProtocol(body.protocol, pool.protocol)
    return pool.id
  }
  for (const attr of ['protocol', 'lb_algorithm'] as const) {
    if (embedded![attr] == null) {
      throw validationFailure(`Pool definition for '${embedded!.name ?? 'None'}' missing required attribute: ${attr}`)
    }
  }
  checkPoolProtocol(body.protocol, embedded!.protocol!)
  return insertPool(tx, deps, lb, embedded as PoolCreate, projectId, authToken)
}

const json = (v: unknown): string | null => (v == null ? null : JSON.stringify(v))

function listenerRow(body: ListenerCreate, d: ListenerDraft, defaultPoolId: string | null, projectId: string): ListenerRow {
  return {
    load_balancer_id: d.loadBalancerId,
    name: body.name ?? null,
    description: body.description ?? null,
    protocol: d.protocol,
    protocol_port: d.protocolPort,
    connection_limit: body.connection_limit ?? LISTENER_FIELDS.connection_limit.default,
    default_pool_id: defaultPoolId,
    insert_headers: JSON.stringify(d.insertHeaders),
    timeout_client_data: body.timeout_client_data ?? LISTENER_FIELDS.timeout_client_data.default,
    timeout_member_connect: body.timeout_member_connect ?? LISTENER_FIELDS.timeout_member_connect.default,
    timeout_member_data: body.timeout_member_data ?? LISTENER_FIELDS.timeout_member_data.default,
    timeout_tcp_inspect: body.timeout_tcp_inspect ?? LISTENER_FIELDS.timeout_tcp_inspect.default,
    tls_certificate_id: d.defaultTlsRef,
    sni_containers: JSON.stringify(d.sniRefs),
    client_authentication: d.clientAuthentication,
    client_ca_tls_certificate_id: d.clientCaRef,
    client_crl_container_id: d.clientCrlRef,
    allowed_cidrs: JSON.stringify(d.allowedCidrs),
    tls_ciphers: d.tlsCiphers,
    tls_versions: json(d.tlsVersions),
    alpn_protocols: json(d.alpnProtocols),
    hsts_max_age: d.hstsMaxAge ?? null,
    hsts_include_subdomains: d.hstsIncludeSubdomains ? 1 : 0,
    hsts_preload: d.hstsPreload ? 1 : 0,
    // NOTE: WSME turns an explicit null admin_state_up into False.
    ...pendingCreateColumns(randomUUID(), projectId, body.admin_state_up === undefined || body.admin_state_up === true),
  }
}

/** What the create checks read: the body with Octavia's TLS defaults of `[api_settings]` for TERMINATED_HTTPS. */
function listenerDraft(
  lb: LoadBalancerRow, body: ListenerCreate, cidrs: string[], settings: ApiDeps['config']['api_settings'],
): ListenerDraft {
  const tls = body.protocol === 'TERMINATED_HTTPS'
  return {
    loadBalancerId: lb.id,
    protocol: body.protocol,
    protocolPort: body.protocol_port,
    defaultTlsRef: body.default_tls_container_ref ?? null,
    sniRefs: body.sni_container_refs ?? [],
    clientCaRef: body.client_ca_tls_container_ref ?? null,
    clientCrlRef: body.client_crl_container_ref ?? null,
    clientAuthentication: body.client_authentication ?? 'NONE',
    insertHeaders: body.insert_headers ?? {},
    allowedCidrs: cidrs,
    tlsCiphers: body.tls_ciphers ?? (tls ? settings.default_listener_ciphers : null),
    tlsVersions: body.tls_versions ?? (tls ? [...settings.default_listener_tls_versions] : null),
    alpnProtocols: body.alpn_protocols ?? (tls ? [...settings.default_listener_alpn_protocols] : null),
    hstsMaxAge: body.hsts_max_age,
    hstsIncludeSubdomains: body.hsts_include_subdomains === true,
    hstsPreload: body.hsts_preload === true,
  }
}
