import type { TSchema } from '@sinclair/typebox'
import type { Executor } from '../../../db/database.js'
import type { ListColumn, ListSpec } from '../../../db/list-query.js'
import type { MetadataKind } from './provider-metadata.js'

/** A profile row: flavor_profile or availability_zone_profile (plus the data column its kind names). */
export interface ProfileRow { id: string; name: string | null; provider_name: string; created_at: string }

/** The SQL of one profile table (src/db/repositories). */
export interface ProfileStore {
  readonly columns: Readonly<Record<string, ListColumn>>
  find(db: Executor, id: string): Promise<ProfileRow | undefined>
  list(db: Executor, spec: ListSpec): Promise<ProfileRow[]>
  insert(db: Executor, row: ProfileRow): Promise<void>
  update(db: Executor, id: string, patch: Record<string, string | null>): Promise<void>
  /** How many flavors / availability zones use the profile. */
  countUsers(db: Executor, id: string): Promise<number>
  /** False when there was no such profile; throws the foreign-key error when in use. */
  remove(db: Executor, id: string): Promise<boolean>
}

/** What differs between flavor profiles and availability zone profiles. */
export interface ProfileKind {
  readonly metadata: MetadataKind
  /** `flavor_data` | `availability_zone_data` (API attribute and column). */
  readonly dataField: string
  /** The option a PUT names when its data is not JSON (Octavia says `flavor_data` for both kinds). */
  readonly putJsonOption: string
  readonly path: string
  readonly single: string
  readonly plural: string
  readonly links: string
  readonly policy: 'flavor-profile' | 'availability-zone-profile'
  /** In Octavia's NIL, delete and in-use messages: `Flavor profile` | `Availability Zone Profile`. */
  readonly label: string
  /** In its lookup 404s: `Flavor Profile` | `Availability Zone Profile`. */
  readonly lookupLabel: string
  readonly postBody: TSchema
  readonly putBody: TSchema
  readonly store: ProfileStore
}
