import { randomUUID } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { conflict, invalidOption, notFound } from '../../../common/errors.js'
import { nowIso } from '../../../common/time.js'
import { NIL_UUID } from '../../../db/repositories/flavor-profile-repository.js'
import { isForeignKeyViolation } from '../../../db/repositories/flavor-repository.js'
import { authorize } from '../../auth/authorize.js'
import type { Caller } from '../../auth/caller.js'
import type { ApiDeps } from '../../deps.js'
import { fieldsOf, selectFields, type Query } from '../../list/list-params.js'
import { listCollection, NO_TAG_FILTERS } from '../list-collection.js'
import type { ProfileKind, ProfileRow } from './profile-kind.js'
import { parseProfileData, validateProfileData } from './provider-metadata.js'

/** A profile's attributes in a POST or PUT body (the data attribute is named by the kind). */
type ProfileBody = { name?: string | null; provider_name?: string | null } & Record<string, unknown>

type Action = 'get_all' | 'get_one' | 'post' | 'put' | 'delete'

const allow = (kind: ProfileKind, caller: Caller, action: Action) =>
  authorize(caller, `${kind.policy}:${action}`, caller.projectId)

const dataOf = (kind: ProfileKind, row: ProfileRow): string => (row as unknown as Record<string, string>)[kind.dataField]

/** A profile as Octavia renders it (null name → ""). */
const render = (kind: ProfileKind, row: ProfileRow): Record<string, string> => ({
  id: row.id, name: row.name ?? '', provider_name: row.provider_name, [kind.dataField]: dataOf(kind, row),
})

/** The profile's attributes in a validated POST or PUT body `{<single>: {...}}`. */
const bodyOf = (kind: ProfileKind, body: unknown): ProfileBody => (body as Record<string, ProfileBody>)[kind.single]

const inUse = (kind: ProfileKind, id: string) => conflict(`${kind.label} ${id} is in use and cannot be modified.`, 'in_use')

/** The profile, or 404 `<Lookup label> <id> not found.` */
async function lookup(deps: ApiDeps, kind: ProfileKind, id: string): Promise<ProfileRow> {
  const row = await kind.store.find(deps.database.db, id)
  if (!row) throw notFound(kind.lookupLabel, id)
  return row
}

/** GET of the collection: filters, sorting, pagination, `fields=`; the NIL UUID is never listed. */
export async function listProfiles(deps: ApiDeps, kind: ProfileKind, req: FastifyRequest): Promise<Record<string, unknown>> {
  allow(kind, req.caller, 'get_all')
  const { items, links } = await listCollection(deps, req, {
    columns: kind.store.columns,
    policy: null,
    find: kind.store.find,
    list: (db, spec) => kind.store.list(db, { ...spec, tags: NO_TAG_FILTERS }),
    render: (_db, rows) => rows.map(r => render(kind, r)),
  })
  return { [kind.plural]: items, [kind.links]: links }
}

/** GET of one profile (honours `fields=`); the NIL UUID is a 404. */
export async function showProfile(deps: ApiDeps, kind: ProfileKind, req: FastifyRequest, id: string): Promise<Record<string, unknown>> {
  allow(kind, req.caller, 'get_one')
  if (id === NIL_UUID) throw notFound(kind.label, NIL_UUID)
  return { [kind.single]: selectFields(render(kind, await lookup(deps, kind, id)), fieldsOf(req.query as Query)) }
}

/** POST: the data must be JSON (400) and pass the provider's validation. */
export async function createProfile(
  deps: ApiDeps, kind: ProfileKind, caller: Caller, envelope: unknown,
): Promise<Record<string, unknown>> {
  allow(kind, caller, 'post')
  const body = bodyOf(kind, envelope)
  const text = body[kind.dataField] as string
  validateProfileData(deps, body.provider_name as string, kind.metadata, parseProfileData(text, kind.dataField))
  const row = {
    id: randomUUID(), name: body.name ?? null, provider_name: body.provider_name as string,
    [kind.dataField]: text, created_at: nowIso(),
  } as ProfileRow
  await kind.store.insert(deps.database.db, row)
  return { [kind.single]: render(kind, row) }
}

/**
 * PUT, in Octavia's order: a null attribute is 400 `None is not a valid
 * option for <attr>`; changing provider_name or the data while a flavor
 * (zone) uses the profile is 409; the NIL UUID is 404; new data must be JSON
 * and pass the (new, else current) provider's validation. A provider_name
 * alone is not validated, as in Octavia.
 */
export async function updateProfile(
  deps: ApiDeps, kind: ProfileKind, caller: Caller, id: string, envelope: unknown,
): Promise<Record<string, unknown>> {
  allow(kind, caller, 'put')
  const db = deps.database.db
  const body = bodyOf(kind, envelope)
  const attrs = ['name', 'provider_name', kind.dataField]
  for (const attr of attrs) if (body[attr] === null) throw invalidOption(null, attr)
  const data = body[kind.dataField] as string | undefined
  if ((data !== undefined || body.provider_name !== undefined) && await kind.store.countUsers(db, id) > 0) throw inUse(kind, id)
  if (id === NIL_UUID) throw notFound(kind.label, NIL_UUID)
  if (data !== undefined) {
    const parsed = parseProfileData(data, kind.putJsonOption)
    validateProfileData(deps, body.provider_name ?? (await lookup(deps, kind, id)).provider_name, kind.metadata, parsed)
  }
  const patch: Record<string, string | null> = {}
  for (const attr of attrs) if (body[attr] !== undefined) patch[attr] = body[attr] as string
  await kind.store.update(db, id, patch)
  return { [kind.single]: render(kind, await lookup(deps, kind, id)) }
}

/** DELETE: the NIL UUID and unknown ids are 404 `<Label> <id> not found.`, a profile in use 409. */
export async function deleteProfile(deps: ApiDeps, kind: ProfileKind, caller: Caller, id: string): Promise<void> {
  allow(kind, caller, 'delete')
  if (id === NIL_UUID) throw notFound(kind.label, NIL_UUID)
  if (await kind.store.countUsers(deps.database.db, id) > 0) throw inUse(kind, id)
  let removed: boolean
  try {
    removed = await kind.store.remove(deps.database.db, id)
  } catch (err) {
    // NOTE: a flavor (zone) created since the count holds the profile through its foreign key.
    if (isForeignKeyViolation(err)) throw inUse(kind, id)
    throw err
  }
  if (!removed) throw notFound(kind.label, id)
}
