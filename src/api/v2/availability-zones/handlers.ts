import type { FastifyRequest } from 'fastify'
import { conflict, notFound } from '../../../common/errors.js'
import { nowIso } from '../../../common/time.js'
import {
  AVAILABILITY_ZONE_COLUMNS, deleteUnusedAvailabilityZone, findAvailabilityZone, insertAvailabilityZone,
  listAvailabilityZones, updateAvailabilityZone,
} from '../../../db/repositories/availability-zone-repository.js'
import { NIL_UUID } from '../../../db/repositories/flavor-profile-repository.js'
import { isForeignKeyViolation } from '../../../db/repositories/flavor-repository.js'
import type { AvailabilityZoneRow } from '../../../db/schema.js'
import { authorize } from '../../auth/authorize.js'
import type { Caller } from '../../auth/caller.js'
import type { ApiDeps } from '../../deps.js'
import type { Link } from '../../list/list-links.js'
import { fieldsOf, selectFields, type Query } from '../../list/list-params.js'
import { listCollection, NO_TAG_FILTERS, type Collection } from '../list-collection.js'
import { renderAvailabilityZone, type AvailabilityZoneJson } from './render.js'
import type { AvailabilityZonePostBody, AvailabilityZonePutBody } from './schema.js'

const RESOURCE = 'Availability Zone'

async function requireZone(deps: ApiDeps, name: string): Promise<AvailabilityZoneRow> {
  const row = await findAvailabilityZone(deps.database.db, name)
  if (!row) throw notFound(RESOURCE, name)
  return row
}

/** Availability zones are keyed (and paged) by name. */
const ZONES: Collection<AvailabilityZoneRow, AvailabilityZoneJson> = {
  columns: AVAILABILITY_ZONE_COLUMNS,
  policy: null,
  find: findAvailabilityZone,
  list: (db, spec) => listAvailabilityZones(db, { ...spec, tags: NO_TAG_FILTERS }),
  render: (_db, rows) => rows.map(renderAvailabilityZone),
  keyOf: row => row.name,
}

/** `GET /v2/lbaas/availabilityzones`: filters, sorting, pagination (marker: a name), `fields=`. */
export async function listAvailabilityZonesHandler(
  deps: ApiDeps, req: FastifyRequest,
): Promise<Record<string, Partial<AvailabilityZoneJson>[] | Link[]>> {
  authorize(req.caller, 'availability-zone:get_all', req.caller.projectId)
  const { items, links } = await listCollection(deps, req, ZONES)
  return { availability_zones: items, availability_zones_links: links }
}

/** `GET /v2/lbaas/availabilityzones/{name}` (honours `fields=`; the NIL UUID is a 404). */
export async function showAvailabilityZone(
  deps: ApiDeps, req: FastifyRequest, name: string,
): Promise<{ availability_zone: Partial<AvailabilityZoneJson> }> {
  authorize(req.caller, 'availability-zone:get_one', req.caller.projectId)
  if (name === NIL_UUID) throw notFound(RESOURCE, NIL_UUID)
  return { availability_zone: selectFields(renderAvailabilityZone(await requireZone(deps, name)), fieldsOf(req.query as Query)) }
}

/**
 * `POST /v2/lbaas/availabilityzones`: 409 `A availability zone of <name>
 * already exists.` (Octavia's words); 404 `Availability Zone Profile <id>
 * not found.` for an unknown profile.
 */
export async function createAvailabilityZone(
  deps: ApiDeps, caller: Caller, { availability_zone: body }: AvailabilityZonePostBody,
): Promise<{ availability_zone: AvailabilityZoneJson }> {
  authorize(caller, 'availability-zone:post', caller.projectId)
  const row: AvailabilityZoneRow = {
    name: body.name,
    description: body.description ?? null,
    enabled: body.enabled === false ? 0 : 1,
    availability_zone_profile_id: body.availability_zone_profile_id,
    created_at: nowIso(),
  }
  try {
    if (!(await insertAvailabilityZone(deps.database.db, row))) {
      throw conflict(`A availability zone of ${body.name} already exists.`, 'duplicate_availability_zone')
    }
  } catch (err) {
    if (isForeignKeyViolation(err)) throw notFound('Availability Zone Profile', body.availability_zone_profile_id)
    throw err
  }
  return { availability_zone: renderAvailabilityZone(row) }
}

/** `PUT /v2/lbaas/availabilityzones/{name}`: description and enabled. */
export async function updateAvailabilityZoneHandler(
  deps: ApiDeps, caller: Caller, name: string, { availability_zone: body }: AvailabilityZonePutBody,
): Promise<{ availability_zone: AvailabilityZoneJson }> {
  authorize(caller, 'availability-zone:put', caller.projectId)
  if (name === NIL_UUID) throw notFound(RESOURCE, NIL_UUID)
  const patch: Partial<Pick<AvailabilityZoneRow, 'description' | 'enabled'>> = {}
  if (body.description !== undefined) patch.description = body.description
  if (body.enabled !== undefined) patch.enabled = body.enabled ? 1 : 0
  await updateAvailabilityZone(deps.database.db, name, patch)
  return { availability_zone: renderAvailabilityZone(await requireZone(deps, name)) }
}

/** `DELETE /v2/lbaas/availabilityzones/{name}`: 409 `Availability Zone <name> is in use…` while a load balancer uses it. */
export async function deleteAvailabilityZone(deps: ApiDeps, caller: Caller, name: string): Promise<void> {
  authorize(caller, 'availability-zone:delete', caller.projectId)
  if (name === NIL_UUID) throw notFound(RESOURCE, NIL_UUID)
  const outcome = await deleteUnusedAvailabilityZone(deps.database.db, name)
  if (outcome === 'missing') throw notFound(RESOURCE, name)
  if (outcome === 'in_use') throw conflict(`${RESOURCE} ${name} is in use and cannot be modified.`, 'in_use')
}
