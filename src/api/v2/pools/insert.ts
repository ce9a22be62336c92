import { randomUUID } from 'node:crypto'
import type { Transaction } from 'kysely'
import { insertPoolRow } from '../../../db/repositories/pool-repository.js'
import { setTags } from '../../../db/repositories/tag-repository.js'
import type { DB, LoadBalancerRow, PoolRow } from '../../../db/schema.js'
import type { ApiDeps } from '../../deps.js'
import { pendingCreateColumns } from '../pending-create.js'
import { checkQuota } from '../quotas/check-quota.js'
import { certificateRefsFor } from '../listeners/certificate-refs.js'
import { checkAlpnField } from '../listeners/field-checks.js'
import { insertHealthMonitor } from '../health-monitors/insert.js'
import { insertMember } from '../members/insert.js'
import { checkPoolTlsOnCreate, checkProviderAlgorithm, checkSessionPersistence } from './checks.js'
import type { PoolCreate } from './schema.js'

const json = (v: readonly string[] | null | undefined): string | null => (v == null ? null : JSON.stringify(v))

/** The pool's TLS attributes as created: the request's, else `[api_settings] default_pool_*` when TLS is enabled. */
function poolTlsOf(body: PoolCreate, settings: ApiDeps['config']['api_settings']) {
  const tlsEnabled = body.tls_enabled === true
  return {
    tls_enabled: tlsEnabled,
    tls_container_ref: body.tls_container_ref ?? null,
    ca_tls_container_ref: body.ca_tls_container_ref ?? null,
    crl_container_ref: body.crl_container_ref ?? null,
    tls_ciphers: body.tls_ciphers ?? (tlsEnabled ? settings.default_pool_ciphers : null),
    tls_versions: body.tls_versions ?? (tlsEnabled ? [...settings.default_pool_tls_versions] : null),
    alpn_protocols: body.alpn_protocols ?? (tlsEnabled ? [...settings.default_pool_alpn_protocols] : null),
  }
}

/**
 * Validates a pool create against Octavia's rules and inserts it on `lb` with
 * PENDING_CREATE / OFFLINE, then its optional health monitor and members
 * (single-call creates only). No locking and no job: the caller holds the
 * load balancer lock (or is creating the load balancer itself). Returns the
 * pool id. Certificate references are read as `projectId` with the
 * request's `authToken` (null without Keystone) and opened to the service
 * once every check passed. Throws LbaasError (400 validation, 501 provider
 * option).
 */
export async function insertPool(
  tx: Transaction<DB>, deps: ApiDeps, lb: LoadBalancerRow, body: PoolCreate, projectId: string, authToken: string | null,
): Promise<string> {
  await checkQuota(tx, deps, projectId, 'pool')
  checkAlpnField('alpn_protocols', body.alpn_protocols)
  checkSessionPersistence(body.protocol, body.session_persistence, false)
  checkProviderAlgorithm(lb.provider ?? deps.config.api_settings.default_provider_driver, body.lb_algorithm, body.protocol)
  const settings = deps.config.api_settings
  const tls = poolTlsOf(body, settings)
  const tlsEnabled = tls.tls_enabled
  const refs = certificateRefsFor(deps, projectId, authToken)
  await checkPoolTlsOnCreate(deps, tls, refs)
  refs.refuseMissingSubjects()
  deps.providers.find(lb.provider ?? settings.default_provider_driver)?.checkPool({
    protocol: body.protocol, tlsContainerRef: tls.tls_container_ref, caTlsContainerRef: tls.ca_tls_container_ref,
    crlContainerRef: tls.crl_container_ref,
  })
  await refs.grantServiceAccess()
  const sp = body.session_persistence ?? null
  const row: PoolRow = {
    load_balancer_id: lb.id,
    name: body.name ?? null,
    description: body.description ?? null,
    protocol: body.protocol,
    lb_algorithm: body.lb_algorithm,
    sp_type: sp?.type ?? null,
    sp_cookie_name: sp?.cookie_name ?? null,
    sp_persistence_timeout: sp?.persistence_timeout ?? null,
    sp_persistence_granularity: sp?.persistence_granularity ?? null,
    tls_enabled: tlsEnabled ? 1 : 0,
    tls_certificate_id: tls.tls_container_ref,
    ca_tls_certificate_id: tls.ca_tls_container_ref,
    crl_container_id: tls.crl_container_ref,
    tls_ciphers: tls.tls_ciphers,
    tls_versions: json(tls.tls_versions),
    alpn_protocols: json(tls.alpn_protocols),
    // NOTE: WSME turns an explicit null admin_state_up into False.
    ...pendingCreateColumns(randomUUID(), projectId, body.admin_state_up === undefined || body.admin_state_up === true),
  }
  await insertPoolRow(tx, row)
  if (body.tags?.length) await setTags(tx, row.id, body.tags)
  // Octavia creates the monitor first: the members' operating status depends on it.
  if (body.healthmonitor) await insertHealthMonitor(tx, deps, row, body.healthmonitor, projectId)
  await checkQuota(tx, deps, projectId, 'member', body.members?.length ?? 0)
  for (const member of body.members ?? []) await insertMember(tx, deps, row, member, projectId)
  return row.id
}
