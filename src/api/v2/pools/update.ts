import { notFound } from '../../../common/errors.js'
import { nowIso } from '../../../common/time.js'
import { findLoadBalancer } from '../../../db/repositories/load-balancer-repository.js'
import { findPool, poolListenerIds, updatePoolRow } from '../../../db/repositories/pool-repository.js'
import { setProvisioningStatus, transitionOrThrow } from '../../../db/repositories/status-guard.js'
import { setTags } from '../../../db/repositories/tag-repository.js'
import type { PoolRow } from '../../../db/schema.js'
import type { Caller } from '../../auth/caller.js'
import type { ApiDeps } from '../../deps.js'
import { writeAndDispatch } from '../../write.js'
import { certificateRefsFor } from '../listeners/certificate-refs.js'
import { checkAlpnField } from '../listeners/field-checks.js'
import { authorize } from '../../auth/authorize.js'
import { checkProviderAlgorithm, type SessionPersistenceInput } from './checks.js'
import { renderPoolRows, type PoolResponse } from './render.js'
import type { PoolPut, PoolUpdateBody } from './schema.js'
import { checkPoolUpdate, type PoolUpdateInput } from './update-checks.js'

type Patch = Partial<Omit<PoolRow, 'id'>>

/**
 * `PUT /v2/lbaas/pools/{id}`: validates as Octavia does, locks the load
 * balancer (409 unless ACTIVE), sets the listeners using the pool and the
 * pool PENDING_UPDATE with the changes, records a `pool_update` job.
 * Certificate references are read as the pool's project with the request's
 * token, and opened to the service just before the write.
 * `session_persistence: null` removes it; an object without `type` keeps the
 * current type; null TLS versions/ciphers restore the configured defaults.
 */
export async function updatePool(deps: ApiDeps, caller: Caller, id: string, { pool: body }: PoolUpdateBody): Promise<{ pool: PoolResponse }> {
  await writeAndDispatch(deps, async (tx, jobs) => {
    const row = await findPool(tx, id)
    const lb = row && await findLoadBalancer(tx, row.load_balancer_id)
    if (!row || !lb) throw notFound('Pool', id)
    authorize(caller, 'pool:put', lb.project_id)
    checkAlpnField('alpn_protocols', body.alpn_protocols)
    const input = defaulted(deps, row, body)
    const refs = certificateRefsFor(deps, row.project_id ?? lb.project_id ?? caller.projectId, caller.authToken)
    await checkPoolUpdate(deps, row, input, refs)
    refs.refuseMissingSubjects()
    const provider = lb.provider ?? deps.config.api_settings.default_provider_driver
    checkProviderAlgorithm(provider, body.lb_algorithm, row.protocol)
    deps.providers.find(provider)?.checkPool({
      protocol: row.protocol, tlsContainerRef: body.tls_container_ref, caTlsContainerRef: body.ca_tls_container_ref,
      crlContainerRef: body.crl_container_ref,
    })
    const listenerIds = (await poolListenerIds(tx, [id])).get(id) ?? []
    await transitionOrThrow(tx, 'load_balancer', lb.id, { from: ['ACTIVE'], to: 'PENDING_UPDATE', resource: 'Load Balancer' })
    await setProvisioningStatus(tx, 'listener', listenerIds, 'PENDING_UPDATE')
    await refs.grantServiceAccess()
    await updatePoolRow(tx, id, { ...patchOf(input), provisioning_status: 'PENDING_UPDATE', updated_at: nowIso() })
    if (body.tags) await setTags(tx, id, body.tags)
    await jobs.add('pool_update', provider, lb.id, { poolId: id })
  })
  const row = await findPool(deps.database.db, id)
  const [view] = await renderPoolRows(deps.database.db, [row!])
  return { pool: view }
}

/** Octavia's PUT defaults: null versions/ciphers → configured defaults; SP without type → current type. */
function defaulted(deps: ApiDeps, row: PoolRow, body: PoolPut): PoolUpdateInput {
  const s = deps.config.api_settings
  let sp: SessionPersistenceInput | null | undefined = body.session_persistence
  if (sp && !sp.type && row.sp_type) sp = { ...sp, type: row.sp_type }
  return {
    body,
    sessionPersistence: sp,
    tlsCiphers: body.tls_ciphers === null ? s.default_pool_ciphers : body.tls_ciphers,
    tlsVersions: body.tls_versions === null ? [...s.default_pool_tls_versions] : body.tls_versions,
  }
}

function patchOf(u: PoolUpdateInput): Patch {
  const b = u.body
  const p: Patch = {}
  const has = (k: keyof PoolPut) => b[k] !== undefined
  if (has('name')) p.name = b.name ?? null
  if (has('description')) p.description = b.description ?? null
  // NOTE: WSME turns an explicit null admin_state_up into False.
  if (has('admin_state_up')) p.enabled = b.admin_state_up ? 1 : 0
  if (b.lb_algorithm) p.lb_algorithm = b.lb_algorithm
  if (u.sessionPersistence !== undefined) {
    const sp = u.sessionPersistence
    p.sp_type = sp?.type ?? null
    p.sp_cookie_name = sp?.cookie_name ?? null
    p.sp_persistence_timeout = sp?.persistence_timeout ?? null
    p.sp_persistence_granularity = sp?.persistence_granularity ?? null
  }
  if (has('tls_container_ref')) p.tls_certificate_id = b.tls_container_ref ?? null
  if (has('ca_tls_container_ref')) p.ca_tls_certificate_id = b.ca_tls_container_ref ?? null
  if (has('crl_container_ref')) p.crl_container_id = b.crl_container_ref ?? null
  if (has('tls_enabled')) p.tls_enabled = b.tls_enabled ? 1 : 0
  if (u.tlsCiphers !== undefined) p.tls_ciphers = u.tlsCiphers
  if (u.tlsVersions !== undefined) p.tls_versions = u.tlsVersions === null ? null : JSON.stringify(u.tlsVersions)
  if (has('alpn_protocols')) p.alpn_protocols = b.alpn_protocols == null ? null : JSON.stringify(b.alpn_protocols)
  return p
}
