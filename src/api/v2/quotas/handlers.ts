import type { FastifyRequest } from 'fastify'
import { notFound } from '../../../common/errors.js'
import { findQuota, resetQuotaLimits, setQuotaLimits, type QuotaLimits } from '../../../db/repositories/quota-repository.js'
import { authorize } from '../../auth/authorize.js'
import type { ApiDeps } from '../../deps.js'
import { defaultLimits, effectiveLimits } from './limits.js'
import { renderQuota, type QuotaJson } from './render.js'
import type { QuotaPut } from './schema.js'

/**
 * `GET /v2/lbaas/quotas/{project_id}`: the project's limits, the configured
 * defaults where it sets none (any project id works, with or without a row).
 * Octavia routes `GET /quotas/defaults` here too: project "defaults" has no
 * row, so that answers the defaults.
 */
export async function showQuota(deps: ApiDeps, req: FastifyRequest, projectId: string): Promise<{ quota: QuotaJson }> {
  authorize(req.caller, 'quota:get_one', projectId)
  const row = await findQuota(deps.database.db, projectId)
  return { quota: renderQuota(projectId, effectiveLimits(deps.config.quotas, row)) }
}

/** `GET /v2/lbaas/quotas/{project_id}/default`: the configured defaults. */
export function showDefaultQuota(deps: ApiDeps, req: FastifyRequest, projectId: string): { quota: QuotaJson } {
  authorize(req.caller, 'quota:get_defaults', projectId)
  return { quota: renderQuota(projectId, defaultLimits(deps.config.quotas)) }
}

/**
 * The limits a PUT sets. An explicit null returns a limit to the default;
 * where both spellings are given, `loadbalancer` and `healthmonitor` win
 * (WSME applies them last).
 */
function limitsOf(q: QuotaPut): Partial<QuotaLimits> {
  const out: { -readonly [K in keyof QuotaLimits]?: number | null } = {}
  const lb = q.loadbalancer !== undefined ? q.loadbalancer : q.load_balancer
  const hm = q.healthmonitor !== undefined ? q.healthmonitor : q.health_monitor
  if (lb !== undefined) out.load_balancer = lb
  if (hm !== undefined) out.health_monitor = hm
  for (const k of ['listener', 'member', 'pool', 'l7policy', 'l7rule'] as const) {
    if (q[k] !== undefined) out[k] = q[k]
  }
  return out
}

/** `PUT /v2/lbaas/quotas/{project_id}` (202): sets the given limits, answers the resulting quota. */
export async function updateQuota(deps: ApiDeps, req: FastifyRequest, projectId: string, body: QuotaPut): Promise<{ quota: QuotaJson }> {
  authorize(req.caller, 'quota:put', projectId)
  await setQuotaLimits(deps.database.db, projectId, limitsOf(body))
  const row = await findQuota(deps.database.db, projectId)
  return { quota: renderQuota(projectId, effectiveLimits(deps.config.quotas, row)) }
}

/** `DELETE /v2/lbaas/quotas/{project_id}` (202): back to the defaults; 404 `Quotas <id> not found.` without a row. */
export async function resetQuota(deps: ApiDeps, req: FastifyRequest, projectId: string): Promise<void> {
  authorize(req.caller, 'quota:delete', projectId)
  if (!(await resetQuotaLimits(deps.database.db, projectId))) throw notFound('Quotas', projectId)
}
