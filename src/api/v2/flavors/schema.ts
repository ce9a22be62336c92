import { Type, type Static } from '@sinclair/typebox'

const text = (maxLength: number) => Type.String({ maxLength })
const nullable = (maxLength: number) => Type.Union([text(maxLength), Type.Null()])

/** Octavia's FlavorPOST. */
export const flavorPostBody = Type.Object({
  flavor: Type.Object({
    name: text(255),
    description: Type.Optional(nullable(255)),
    enabled: Type.Optional(Type.Boolean()),
    flavor_profile_id: Type.String({ format: 'uuid' }),
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type FlavorPostBody = Static<typeof flavorPostBody>

/** Octavia's FlavorPUT: name, description, enabled. */
export const flavorPutBody = Type.Object({
  flavor: Type.Object({
    name: Type.Optional(nullable(255)),
    description: Type.Optional(nullable(255)),
    enabled: Type.Optional(Type.Boolean()),
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type FlavorPutBody = Static<typeof flavorPutBody>
