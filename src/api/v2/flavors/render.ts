import type { FlavorRow } from '../../../db/schema.js'

export type FlavorJson = {
  readonly id: string
  readonly name: string
  readonly description: string
  readonly enabled: boolean
  readonly flavor_profile_id: string
}

/** A flavor as Octavia renders it (null name/description → ""). */
export const renderFlavor = (row: FlavorRow): FlavorJson => ({
  id: row.id,
  name: row.name ?? '',
  description: row.description ?? '',
  enabled: row.enabled === 1,
  flavor_profile_id: row.flavor_profile_id,
})
