import { randomUUID } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { conflict, notFound } from '../../../common/errors.js'
import { nowIso } from '../../../common/time.js'
import { NIL_UUID } from '../../../db/repositories/flavor-profile-repository.js'
import {
  FLAVOR_COLUMNS, deleteUnusedFlavor, findFlavor, insertFlavor, isForeignKeyViolation, listFlavors, updateFlavor,
} from '../../../db/repositories/flavor-repository.js'
import type { FlavorRow } from '../../../db/schema.js'
import { authorize } from '../../auth/authorize.js'
import type { Caller } from '../../auth/caller.js'
import type { ApiDeps } from '../../deps.js'
import type { Link } from '../../list/list-links.js'
import { fieldsOf, selectFields, type Query } from '../../list/list-params.js'
import { listCollection, NO_TAG_FILTERS, type Collection } from '../list-collection.js'
import { renderFlavor, type FlavorJson } from './render.js'
import type { FlavorPostBody, FlavorPutBody } from './schema.js'

const duplicate = (name: string | null) => conflict(`A flavor of ${name ?? 'None'} already exists.`, 'duplicate_flavor')

async function requireFlavor(deps: ApiDeps, id: string): Promise<FlavorRow> {
  const row = await findFlavor(deps.database.db, id)
  if (!row) throw notFound('Flavor', id)
  return row
}

const FLAVORS: Collection<FlavorRow, FlavorJson> = {
  columns: FLAVOR_COLUMNS,
  policy: null,
  find: findFlavor,
  list: (db, spec) => listFlavors(db, { ...spec, tags: NO_TAG_FILTERS }),
  render: (_db, rows) => rows.map(renderFlavor),
}

/** `GET /v2/lbaas/flavors`: filters, sorting, pagination, `fields=`; the NIL UUID is never listed. */
export async function listFlavorsHandler(deps: ApiDeps, req: FastifyRequest): Promise<Record<string, Partial<FlavorJson>[] | Link[]>> {
  authorize(req.caller, 'flavor:get_all', req.caller.projectId)
  const { items, links } = await listCollection(deps, req, FLAVORS)
  return { flavors: items, flavors_links: links }
}

/** `GET /v2/lbaas/flavors/{id}` (honours `fields=`; the NIL UUID is a 404). */
export async function showFlavor(deps: ApiDeps, req: FastifyRequest, id: string): Promise<{ flavor: Partial<FlavorJson> }> {
  authorize(req.caller, 'flavor:get_one', req.caller.projectId)
  if (id === NIL_UUID) throw notFound('Flavor', NIL_UUID)
  return { flavor: selectFields(renderFlavor(await requireFlavor(deps, id)), fieldsOf(req.query as Query)) }
}

/**
 * `POST /v2/lbaas/flavors`: 409 `A flavor of <name> already exists.` for a
 * taken name; 404 `Flavor Profile <id> not found.` for an unknown profile
 * (Octavia fails with a 500 there).
 */
export async function createFlavor(deps: ApiDeps, caller: Caller, { flavor: body }: FlavorPostBody): Promise<{ flavor: FlavorJson }> {
  authorize(caller, 'flavor:post', caller.projectId)
  const row: FlavorRow = {
    id: randomUUID(),
    name: body.name,
    description: body.description ?? null,
    enabled: body.enabled === false ? 0 : 1,
    flavor_profile_id: body.flavor_profile_id,
    created_at: nowIso(),
  }
  try {
    if (!(await insertFlavor(deps.database.db, row))) throw duplicate(body.name)
  } catch (err) {
    if (isForeignKeyViolation(err)) throw notFound('Flavor Profile', body.flavor_profile_id)
    throw err
  }
  return { flavor: renderFlavor(row) }
}

/** `PUT /v2/lbaas/flavors/{id}`: name, description, enabled (a taken name is a 409). */
export async function updateFlavorHandler(
  deps: ApiDeps, caller: Caller, id: string, { flavor: body }: FlavorPutBody,
): Promise<{ flavor: FlavorJson }> {
  authorize(caller, 'flavor:put', caller.projectId)
  if (id === NIL_UUID) throw notFound('Flavor', NIL_UUID)
  const patch: Partial<Pick<FlavorRow, 'name' | 'description' | 'enabled'>> = {}
  if (body.name !== undefined) patch.name = body.name
  if (body.description !== undefined) patch.description = body.description
  if (body.enabled !== undefined) patch.enabled = body.enabled ? 1 : 0
  if (!(await updateFlavor(deps.database.db, id, patch))) throw duplicate(body.name ?? null)
  return { flavor: renderFlavor(await requireFlavor(deps, id)) }
}

/** `DELETE /v2/lbaas/flavors/{id}`: 409 `Flavor <id> is in use and cannot be modified.` while a load balancer uses it. */
export async function deleteFlavor(deps: ApiDeps, caller: Caller, id: string): Promise<void> {
  authorize(caller, 'flavor:delete', caller.projectId)
  if (id === NIL_UUID) throw notFound('Flavor', NIL_UUID)
  const outcome = await deleteUnusedFlavor(deps.database.db, id)
  if (outcome === 'missing') throw notFound('Flavor', id)
  if (outcome === 'in_use') throw conflict(`Flavor ${id} is in use and cannot be modified.`, 'in_use')
}
