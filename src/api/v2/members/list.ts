import type { FastifyRequest } from 'fastify'
import { notFound } from '../../../common/errors.js'
import type { ListColumn } from '../../../db/list-query.js'
import { findMember, listMembers } from '../../../db/repositories/member-repository.js'
import { tagsOf } from '../../../db/repositories/tag-repository.js'
import type { ApiDeps } from '../../deps.js'
import { listPage } from '../../list/list-page.js'
import { parseListQuery, selectFields, type Query } from '../../list/list-params.js'
import { pathUrlOf } from '../../versions.js'
import { renderMember } from './render.js'

/** API attribute → member column, for filters and sort keys. */
export const MEMBER_COLUMNS: Readonly<Record<string, ListColumn>> = {
  id: { column: 'id', type: 'string' },
  name: { column: 'name', type: 'string' },
  project_id: { column: 'project_id', type: 'string' },
  pool_id: { column: 'pool_id', type: 'string' },
  address: { column: 'ip_address', type: 'string' },
  protocol_port: { column: 'protocol_port', type: 'int' },
  subnet_id: { column: 'subnet_id', type: 'string' },
  weight: { column: 'weight', type: 'int' },
  backup: { column: 'backup', type: 'bool' },
  monitor_address: { column: 'monitor_address', type: 'string' },
  monitor_port: { column: 'monitor_port', type: 'int' },
  provisioning_status: { column: 'provisioning_status', type: 'string' },
  operating_status: { column: 'operating_status', type: 'string' },
  admin_state_up: { column: 'enabled', type: 'bool' },
  vnic_type: { column: 'vnic_type', type: 'string' },
  created_at: { column: 'created_at', type: 'string' },
  updated_at: { column: 'updated_at', type: 'string' },
}

/** `GET /v2/lbaas/pools/{pool_id}/members`: Octavia's list envelope with links. */
export async function listMembersOfPool(deps: ApiDeps, req: FastifyRequest, poolId: string): Promise<unknown> {
  const query = req.query as Query
  const lr = parseListQuery(query, MEMBER_COLUMNS, deps.config.api_settings.pagination_max_limit)
  const db = deps.database.db
  const { items, links } = await listPage(lr, query, listBaseUrl(deps, req), {
    findMarker: id => findMember(db, id),
    fetch: marker => listMembers(db, poolId, { ...lr.spec, marker }),
    render: async rows => {
      const tags = await tagsOf(db, rows.map(r => r.id))
      return rows.map(r => renderMember(r, tags.get(r.id) ?? []))
    },
    keyOf: r => r.id,
  })
  return { members: items, members_links: links }
}

/** `GET /v2/lbaas/pools/{pool_id}/members/{id}`: 404 `Member <id> not found.` also for another pool's member. */
export async function showMember(deps: ApiDeps, req: FastifyRequest, poolId: string, memberId: string): Promise<unknown> {
  const db = deps.database.db
  const row = await findMember(db, memberId)
  if (!row || row.pool_id !== poolId) throw notFound('Member', memberId)
  const tags = await tagsOf(db, [row.id])
  const fields = parseListQuery(pickFields(req.query as Query), MEMBER_COLUMNS, 1).fields
  return { member: selectFields(renderMember(row, tags.get(row.id) ?? []), fields) }
}

const pickFields = (q: Query): Query => (q.fields === undefined ? {} : { fields: q.fields })

/** Octavia's link base: `[api_settings] api_base_uri` plus the path, else the request URL without query. */
function listBaseUrl(deps: ApiDeps, req: FastifyRequest): string {
  const base = deps.config.api_settings.api_base_uri.replace(/\/+$/, '')
  return base ? base + (req.originalUrl ?? req.url).split('?')[0] : pathUrlOf(req)
}
