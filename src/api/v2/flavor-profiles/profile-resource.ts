import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'
import { registerCrudRoutes } from '../crud-routes.js'
import { createProfile, deleteProfile, listProfiles, showProfile, updateProfile } from './profile-handlers.js'
import type { ProfileKind } from './profile-kind.js'

export type { ProfileKind, ProfileRow, ProfileStore } from './profile-kind.js'

/**
 * Registers one profile resource (flavor profiles, availability zone
 * profiles; admin only by default policy): list, show, create (201), update,
 * delete (204). See profile-handlers.ts for the rules.
 */
export function registerProfileRoutes(app: FastifyInstance, deps: ApiDeps, kind: ProfileKind): void {
  registerCrudRoutes(app, deps, {
    path: kind.path, createBody: kind.postBody, updateBody: kind.putBody,
    list: (d, req) => listProfiles(d, kind, req),
    show: (d, req, id) => showProfile(d, kind, req, id),
    create: (d, caller, body) => createProfile(d, kind, caller, body),
    update: (d, caller, id, body) => updateProfile(d, kind, caller, id, body),
    remove: (d, caller, id) => deleteProfile(d, kind, caller, id),
  })
}
