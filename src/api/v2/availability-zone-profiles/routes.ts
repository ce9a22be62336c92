import type { FastifyInstance } from 'fastify'
import {
  AVAILABILITY_ZONE_PROFILE_COLUMNS, countZonesOfProfile, deleteAvailabilityZoneProfile, findAvailabilityZoneProfile,
  insertAvailabilityZoneProfile, listAvailabilityZoneProfiles, updateAvailabilityZoneProfile,
} from '../../../db/repositories/availability-zone-profile-repository.js'
import type { ApiDeps } from '../../deps.js'
import { registerProfileRoutes, type ProfileKind } from '../flavor-profiles/profile-resource.js'
import { availabilityZoneProfilePostBody, availabilityZoneProfilePutBody } from './schema.js'

/**
 * Availability zone profiles as a profile resource (envelopes
 * `availability_zone_profile(s)`, links `availability_zone_profile_links`).
 */
const AVAILABILITY_ZONE_PROFILES: ProfileKind = {
  metadata: 'availability_zone',
  dataField: 'availability_zone_data',
  // NOTE: Octavia names flavor_data when a PUT's availability_zone_data is not JSON.
  putJsonOption: 'flavor_data',
  path: '/v2/lbaas/availabilityzoneprofiles',
  single: 'availability_zone_profile',
  plural: 'availability_zone_profiles',
  links: 'availability_zone_profile_links',
  policy: 'availability-zone-profile',
  label: 'Availability Zone Profile',
  lookupLabel: 'Availability Zone Profile',
  postBody: availabilityZoneProfilePostBody,
  putBody: availabilityZoneProfilePutBody,
  store: {
    columns: AVAILABILITY_ZONE_PROFILE_COLUMNS,
    find: findAvailabilityZoneProfile,
    list: listAvailabilityZoneProfiles,
    insert: insertAvailabilityZoneProfile,
    update: updateAvailabilityZoneProfile,
    countUsers: countZonesOfProfile,
    remove: deleteAvailabilityZoneProfile,
  },
}

/** Routes of /v2/lbaas/availabilityzoneprofiles (admin only by default policy). */
export function registerAvailabilityZoneProfilesRoutes(app: FastifyInstance, deps: ApiDeps): void {
  registerProfileRoutes(app, deps, AVAILABILITY_ZONE_PROFILES)
}
