import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { l7RuleSingleCreateSchema } from '../l7rules/schema.js'

/** L7 policy actions (octavia-lib SUPPORTED_L7POLICY_ACTIONS). */
export const L7POLICY_ACTIONS = ['REJECT', 'REDIRECT_TO_URL', 'REDIRECT_TO_POOL', 'REDIRECT_PREFIX'] as const
/** Redirect status codes HAProxy supports (Octavia's SUPPORTED_L7POLICY_REDIRECT_HTTP_CODES). */
export const REDIRECT_HTTP_CODES = [301, 302, 303, 307, 308] as const
/** Octavia's MAX_POLICY_POSITION: the default position, meaning "append". */
export const MAX_POLICY_POSITION = 2147483647

const nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])
const optional = <T extends TSchema>(t: T) => Type.Optional(nullable(t))
const action = () => Type.Unsafe<typeof L7POLICY_ACTIONS[number]>({ enum: [...L7POLICY_ACTIONS] })
const httpCode = () => Type.Unsafe<typeof REDIRECT_HTTP_CODES[number]>({ enum: [...REDIRECT_HTTP_CODES] })
/** URLs are checked further by redirect-url.ts (Octavia's URLType). */
const url = () => Type.String({ maxLength: 255 })
const position = () => Type.Integer({ minimum: 1, maximum: MAX_POLICY_POSITION })
const tags = () => nullable(Type.Array(Type.String({ maxLength: 255 })))

const commonFields = {
  name: optional(Type.String({ maxLength: 255 })),
  description: optional(Type.String({ maxLength: 255 })),
  admin_state_up: optional(Type.Boolean()),
  redirect_url: optional(url()),
  redirect_prefix: optional(url()),
  redirect_http_code: optional(httpCode()),
  position: optional(position()),
  tags: Type.Optional(tags()),
}

const createFields = {
  ...commonFields,
  action: action(),
  rules: optional(Type.Array(l7RuleSingleCreateSchema)),
}

/** Octavia's L7PolicyPOST. */
export const l7PolicyPostSchema = Type.Object({
  ...createFields,
  listener_id: Type.String({ format: 'uuid' }),
  redirect_pool_id: optional(Type.String({ format: 'uuid' })),
  project_id: optional(Type.String({ maxLength: 36 })),
  tenant_id: optional(Type.String({ maxLength: 36 })),
}, { additionalProperties: false })

/**
 * Octavia's L7PolicySingleCreate, the form a single-call listener or load
 * balancer create embeds; `poolSchema` is the pool single-create schema of
 * its `redirect_pool`.
 */
export const l7PolicySingleCreateSchema = (poolSchema: TSchema) => Type.Object({
  ...createFields,
  redirect_pool: optional(poolSchema),
}, { additionalProperties: false })

/**
 * What insertL7Policy accepts: a validated create object whose redirect
 * target is a pool id (a graph create first inserts its `redirect_pool` and
 * passes the new pool's id here).
 */
export type L7PolicyCreate = Omit<Static<typeof l7PolicyPostSchema>, 'listener_id' | 'project_id' | 'tenant_id'>

/** Octavia's L7PolicyPUT. */
export const l7PolicyPutSchema = Type.Object({
  ...commonFields,
  action: optional(action()),
  redirect_pool_id: optional(Type.String({ format: 'uuid' })),
}, { additionalProperties: false })
export type L7PolicyUpdate = Static<typeof l7PolicyPutSchema>

export const l7PolicyCreateBody = Type.Object({ l7policy: l7PolicyPostSchema }, { additionalProperties: false })
export const l7PolicyUpdateBody = Type.Object({ l7policy: l7PolicyPutSchema }, { additionalProperties: false })
export type L7PolicyCreateBody = Static<typeof l7PolicyCreateBody>
export type L7PolicyUpdateBody = Static<typeof l7PolicyUpdateBody>
