/**
 * The body of `PUT /amphorae/{amp}/1.0/loadbalancer/{lb}/servers` as the
 * schema the agent validates it with, and the bounds its runtime commands
 * check. A server is a member: its weight and port take their ranges from
 * the member's fields (src/model/member-fields.ts), so the agent accepts
 * exactly what the API accepts and the renderer writes.
 */
import { Type, type Static } from '@sinclair/typebox'
import type { IntegerRange } from '../common/integer-range.js'
import { MEMBER_FIELDS } from '../model/member-fields.js'
import type { ServerStateChange } from './agent-api.js'

/** `weight` of `set server` and of a new server's keywords: a member's weight. */
export const SERVER_WEIGHT: IntegerRange = MEMBER_FIELDS.weight

/** `port` of `set server … addr` and `add server`: a member's protocol_port. */
export const SERVER_PORT: IntegerRange = MEMBER_FIELDS.protocol_port

const range = (r: IntegerRange) => Type.Integer({ minimum: r.min, maximum: r.max })

/** One ServerStateChange (agent-api.ts). */
export const serverChangeSchema = Type.Object({
  op: Type.Optional(Type.Union([Type.Literal('set'), Type.Literal('add'), Type.Literal('delete')])),
  backend: Type.String({ minLength: 1, maxLength: 128 }),
  server: Type.String({ minLength: 1, maxLength: 128 }),
  weight: Type.Optional(range(SERVER_WEIGHT)),
  state: Type.Optional(Type.Union([Type.Literal('ready'), Type.Literal('drain'), Type.Literal('maint')])),
  address: Type.Optional(Type.String({ maxLength: 64 })),
  port: Type.Optional(range(SERVER_PORT)),
  keywords: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 64 })),
}, { additionalProperties: false })

/** The request body: the changes, applied in order. */
export const serverChangesSchema = Type.Array(serverChangeSchema, { maxItems: 10000 })
export type ServerChanges = Static<typeof serverChangesSchema>

/** Interface guard: what the schema admits is a ServerStateChange. */
const _schemaFitsContract = (c: Static<typeof serverChangeSchema>): ServerStateChange => c
void _schemaFitsContract
