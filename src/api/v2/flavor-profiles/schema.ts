import { Type, type Static } from '@sinclair/typebox'

const text = (maxLength: number) => Type.String({ maxLength })
const nullableText = (maxLength: number) => Type.Optional(Type.Union([text(maxLength), Type.Null()]))

/** Octavia's FlavorProfilePOST: everything mandatory; flavor_data is JSON text. */
export const flavorProfilePostBody = Type.Object({
  flavorprofile: Type.Object({
    name: text(255),
    provider_name: text(255),
    flavor_data: text(4096),
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type FlavorProfilePostBody = Static<typeof flavorProfilePostBody>

/** Octavia's FlavorProfilePUT (a null attribute is refused by the handler, with Octavia's words). */
export const flavorProfilePutBody = Type.Object({
  flavorprofile: Type.Object({
    name: nullableText(255),
    provider_name: nullableText(255),
    flavor_data: nullableText(4096),
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type FlavorProfilePutBody = Static<typeof flavorProfilePutBody>
