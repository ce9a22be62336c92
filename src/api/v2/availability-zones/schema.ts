import { Type, type Static } from '@sinclair/typebox'

const text = (maxLength: number) => Type.String({ maxLength })
const nullable = (maxLength: number) => Type.Union([text(maxLength), Type.Null()])

/** Octavia's AvailabilityZonePOST: the name is the key. */
export const availabilityZonePostBody = Type.Object({
  availability_zone: Type.Object({
    name: text(255),
    description: Type.Optional(nullable(255)),
    enabled: Type.Optional(Type.Boolean()),
    availability_zone_profile_id: Type.String({ format: 'uuid' }),
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type AvailabilityZonePostBody = Static<typeof availabilityZonePostBody>

/** Octavia's AvailabilityZonePUT: description and enabled only. */
export const availabilityZonePutBody = Type.Object({
  availability_zone: Type.Object({
    description: Type.Optional(nullable(255)),
    enabled: Type.Optional(Type.Boolean()),
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type AvailabilityZonePutBody = Static<typeof availabilityZonePutBody>
