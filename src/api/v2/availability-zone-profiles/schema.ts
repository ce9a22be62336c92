import { Type, type Static } from '@sinclair/typebox'

const text = (maxLength: number) => Type.String({ maxLength })
const nullableText = (maxLength: number) => Type.Optional(Type.Union([text(maxLength), Type.Null()]))

/** Octavia's AvailabilityZoneProfilePOST: everything mandatory; availability_zone_data is JSON text. */
export const availabilityZoneProfilePostBody = Type.Object({
  availability_zone_profile: Type.Object({
    name: text(255),
    provider_name: text(255),
    availability_zone_data: text(4096),
  }, { additionalProperties: false }),
}, { additionalProperties: false })

/** Octavia's AvailabilityZoneProfilePUT (a null attribute is refused by the handler, with Octavia's words). */
export const availabilityZoneProfilePutBody = Type.Object({
  availability_zone_profile: Type.Object({
    name: nullableText(255),
    provider_name: nullableText(255),
    availability_zone_data: nullableText(4096),
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type AvailabilityZoneProfilePutBody = Static<typeof availabilityZoneProfilePutBody>
