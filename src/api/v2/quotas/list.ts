import type { FastifyRequest } from 'fastify'
import { badRequest } from '../../../common/errors.js'
import { QUOTA_COLUMNS, findQuota, listQuotas } from '../../../db/repositories/quota-repository.js'
import { listScope } from '../../auth/authorize.js'
import type { ApiDeps } from '../../deps.js'
import { listLinks, type Link } from '../../list/list-links.js'
import { parseListQuery, type Query } from '../../list/list-params.js'
import { linkBase } from '../load-balancers/list.js'
import { renderQuota, type QuotaJson } from './render.js'

const NO_TAGS = { all: [], any: [], notAll: [], notAny: [] }

/**
 * `GET /v2/lbaas/quotas`: the projects that have a quota row, with their
 * limits as stored (null: the default applies), oldest first; attribute
 * filters (`project_id` included), sorting, pagination by project id.
 * Callers without `quota:get_all-global` see their own project only.
 */
export async function listQuotasHandler(deps: ApiDeps, req: FastifyRequest): Promise<{ quotas: QuotaJson[]; quotas_links: Link[] }> {
  const query = req.query as Query
  const scope = listScope(req.caller, 'quota', query)
  const parsed = parseListQuery(query, QUOTA_COLUMNS, deps.config.api_settings.pagination_max_limit)
  const db = deps.database.db
  let marker: Record<string, unknown> | null = null
  if (parsed.markerId !== null) {
    const row = await findQuota(db, parsed.markerId)
    if (!row) throw badRequest(`Supplied pagination marker '${parsed.markerId}' is not valid.`, 'invalid_marker')
    marker = row as unknown as Record<string, unknown>
  }
  const rows = await listQuotas(db, { ...parsed.spec, tags: NO_TAGS, marker }, scope)
  const page = parsed.limit === null ? rows : rows.slice(0, parsed.limit)
  if (parsed.spec.pageReverse) page.reverse()
  const hasMore = parsed.limit !== null && page.length >= parsed.limit
  return {
    quotas: page.map(r => renderQuota(r.project_id, r)),
    quotas_links: listLinks(linkBase(deps, req), query, parsed, page.map(r => r.project_id), hasMore),
  }
}
