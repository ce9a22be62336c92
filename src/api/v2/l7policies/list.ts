import type { FastifyRequest } from 'fastify'
import { notFound } from '../../../common/errors.js'
import type { ListColumn } from '../../../db/list-query.js'
import { findL7Policy, listL7Policies } from '../../../db/repositories/l7policy-repository.js'
import type { L7PolicyRow } from '../../../db/schema.js'
import { authorize } from '../../auth/authorize.js'
import type { ApiDeps } from '../../deps.js'
import { fieldsOf, selectFields, type Query } from '../../list/list-params.js'
import { listCollection, type Collection } from '../list-collection.js'
import { col, PROVISIONED_COLUMNS } from '../list-columns.js'
import { renderL7Policies, type L7PolicyResponse } from './render.js'

/** API attribute → l7policy column, for filters and sort keys. */
export const L7POLICY_COLUMNS: Readonly<Record<string, ListColumn>> = {
  ...PROVISIONED_COLUMNS,
  name: col('name'),
  description: col('description'),
  listener_id: col('listener_id'),
  action: col('action'),
  redirect_pool_id: col('redirect_pool_id'),
  redirect_url: col('redirect_url'),
  redirect_prefix: col('redirect_prefix'),
  redirect_http_code: col('redirect_http_code', 'int'),
  position: col('position', 'int'),
}

const L7POLICIES: Collection<L7PolicyRow, L7PolicyResponse> = {
  columns: L7POLICY_COLUMNS, policy: 'l7policy', find: findL7Policy, list: listL7Policies, render: renderL7Policies,
}

/** `GET /v2/lbaas/l7policies`: Octavia's list envelope with links. */
export async function listL7PoliciesHandler(deps: ApiDeps, req: FastifyRequest): Promise<unknown> {
  const { items, links } = await listCollection(deps, req, L7POLICIES)
  return { l7policies: items, l7policies_links: links }
}

/** `GET /v2/lbaas/l7policies/{id}`: 404 `L7 Policy <id> not found.`; honours `fields=`. */
export async function showL7PolicyHandler(deps: ApiDeps, req: FastifyRequest, id: string): Promise<unknown> {
  const db = deps.database.db
  const row = await findL7Policy(db, id)
  if (!row) throw notFound('L7 Policy', id)
  authorize(req.caller, 'l7policy:get_one', row.project_id)
  const [view] = await renderL7Policies(db, [row])
  return { l7policy: selectFields(view, fieldsOf(req.query as Query)) }
}
