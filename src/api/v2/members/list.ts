import type { FastifyRequest } from 'fastify'
import { notFound } from '../../../common/errors.js'
import type { ListColumn } from '../../../db/list-query.js'
import { findMember, listMembers } from '../../../db/repositories/member-repository.js'
import type { ApiDeps } from '../../deps.js'
import { fieldsOf, selectFields, type Query } from '../../list/list-params.js'
import { listCollection } from '../list-collection.js'
import { col, PROVISIONED_COLUMNS } from '../list-columns.js'
import { renderMembers } from './render.js'

/** API attribute → member column, for filters and sort keys. */
export const MEMBER_COLUMNS: Readonly<Record<string, ListColumn>> = {
  ...PROVISIONED_COLUMNS,
  name: col('name'),
  pool_id: col('pool_id'),
  address: col('ip_address'),
  protocol_port: col('protocol_port', 'int'),
  subnet_id: col('subnet_id'),
  weight: col('weight', 'int'),
  backup: col('backup', 'bool'),
  monitor_address: col('monitor_address'),
  monitor_port: col('monitor_port', 'int'),
  vnic_type: col('vnic_type'),
}

/** `GET /v2/lbaas/pools/{pool_id}/members`: Octavia's list envelope with links. */
export async function listMembersOfPool(deps: ApiDeps, req: FastifyRequest, poolId: string): Promise<unknown> {
  const { items, links } = await listCollection(deps, req, {
    columns: MEMBER_COLUMNS,
    policy: null,
    find: findMember,
    list: (db, spec) => listMembers(db, poolId, spec),
    render: renderMembers,
  })
  return { members: items, members_links: links }
}

/** `GET /v2/lbaas/pools/{pool_id}/members/{id}`: 404 `Member <id> not found.` also for another pool's member. */
export async function showMember(deps: ApiDeps, req: FastifyRequest, poolId: string, memberId: string): Promise<unknown> {
  const db = deps.database.db
  const row = await findMember(db, memberId)
  if (!row || row.pool_id !== poolId) throw notFound('Member', memberId)
  const [view] = await renderMembers(db, [row])
  return { member: selectFields(view, fieldsOf(req.query as Query)) }
}
