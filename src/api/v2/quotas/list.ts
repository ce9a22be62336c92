import type { FastifyRequest } from 'fastify'
import { QUOTA_COLUMNS, findQuota, listQuotas } from '../../../db/repositories/quota-repository.js'
import { listScope } from '../../auth/authorize.js'
import type { ApiDeps } from '../../deps.js'
import type { Link } from '../../list/list-links.js'
import { listPage } from '../../list/list-page.js'
import { parseListQuery, type Query } from '../../list/list-params.js'
import { linkBase } from '../link-base.js'
import { NO_TAG_FILTERS } from '../list-collection.js'
import { renderQuota, type QuotaJson } from './render.js'

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
  const { items, links } = await listPage(parsed, query, linkBase(deps, req), {
    findMarker: projectId => findQuota(db, projectId),
    fetch: marker => listQuotas(db, { ...parsed.spec, tags: NO_TAG_FILTERS, marker }, scope),
    render: rows => rows.map(r => renderQuota(r.project_id, r)),
    keyOf: r => r.project_id,
  })
  return { quotas: items as QuotaJson[], quotas_links: links }
}
