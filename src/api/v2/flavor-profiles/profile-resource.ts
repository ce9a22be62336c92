import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'
import { createProfile, deleteProfile, listProfiles, showProfile, updateProfile } from './profile-handlers.js'
import type { ProfileKind } from './profile-kind.js'

export type { ProfileKind, ProfileRow, ProfileStore } from './profile-kind.js'

interface IdParams { id: string }

/**
 * Registers one profile resource (flavor profiles, availability zone
 * profiles; admin only by default policy): list, show, create (201), update,
 * delete (204). See profile-handlers.ts for the rules.
 */
export function registerProfileRoutes(app: FastifyInstance, deps: ApiDeps, kind: ProfileKind): void {
  const item = `${kind.path}/:id`
  app.get(kind.path, async req => listProfiles(deps, kind, req))
  app.get<{ Params: IdParams }>(item, async req => showProfile(deps, kind, req, req.params.id))
  app.post(kind.path, { schema: { body: kind.postBody } },
    async (req, reply) => reply.code(201).send(await createProfile(deps, kind, req)))
  app.put<{ Params: IdParams }>(item, { schema: { body: kind.putBody } }, async req => updateProfile(deps, kind, req, req.params.id))
  app.delete<{ Params: IdParams }>(item, async (req, reply) => {
    await deleteProfile(deps, kind, req, req.params.id)
    return reply.code(204).send()
  })
}
