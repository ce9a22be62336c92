import type { FastifyInstance } from 'fastify'
import {
  FLAVOR_PROFILE_COLUMNS, countFlavorsOfProfile, deleteFlavorProfile, findFlavorProfile, insertFlavorProfile,
  listFlavorProfiles, updateFlavorProfile,
} from '../../../db/repositories/flavor-profile-repository.js'
import type { ApiDeps } from '../../deps.js'
import { registerProfileRoutes, type ProfileKind } from './profile-resource.js'
import { flavorProfilePostBody, flavorProfilePutBody } from './schema.js'

/** Flavor profiles as a profile resource (envelopes `flavorprofile(s)`, links `flavorprofile_links`). */
const FLAVOR_PROFILES: ProfileKind = {
  metadata: 'flavor',
  dataField: 'flavor_data',
  putJsonOption: 'flavor_data',
  path: '/v2/lbaas/flavorprofiles',
  single: 'flavorprofile',
  plural: 'flavorprofiles',
  links: 'flavorprofile_links',
  policy: 'flavor-profile',
  label: 'Flavor profile',
  lookupLabel: 'Flavor Profile',
  postBody: flavorProfilePostBody,
  putBody: flavorProfilePutBody,
  store: {
    columns: FLAVOR_PROFILE_COLUMNS,
    find: findFlavorProfile,
    list: listFlavorProfiles,
    insert: insertFlavorProfile,
    update: updateFlavorProfile,
    countUsers: countFlavorsOfProfile,
    remove: deleteFlavorProfile,
  },
}

/** Routes of /v2/lbaas/flavorprofiles (admin only by default policy). */
export function registerFlavorProfilesRoutes(app: FastifyInstance, deps: ApiDeps): void {
  registerProfileRoutes(app, deps, FLAVOR_PROFILES)
}
