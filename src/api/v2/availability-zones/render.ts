import type { AvailabilityZoneRow } from '../../../db/schema.js'

export type AvailabilityZoneJson = {
  readonly name: string
  readonly description: string
  readonly enabled: boolean
  readonly availability_zone_profile_id: string
}

/** An availability zone as Octavia renders it (no id: the name is the key). */
export const renderAvailabilityZone = (row: AvailabilityZoneRow): AvailabilityZoneJson => ({
  name: row.name,
  description: row.description ?? '',
  enabled: row.enabled === 1,
  availability_zone_profile_id: row.availability_zone_profile_id,
})
