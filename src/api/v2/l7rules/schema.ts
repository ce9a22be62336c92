import { Type, type Static, type TSchema } from '@sinclair/typebox'

/** L7 rule types (octavia-lib SUPPORTED_L7RULE_TYPES). */
export const L7RULE_TYPES = ['HOST_NAME', 'PATH', 'FILE_TYPE', 'HEADER', 'COOKIE',
  'SSL_CONN_HAS_CERT', 'SSL_VERIFY_RESULT', 'SSL_DN_FIELD'] as const
/** L7 rule compare types (octavia-lib SUPPORTED_L7RULE_COMPARE_TYPES). */
export const L7RULE_COMPARE_TYPES = ['REGEX', 'STARTS_WITH', 'ENDS_WITH', 'CONTAINS', 'EQUAL_TO'] as const
/** Octavia's MAX_L7RULES_PER_L7POLICY (HAProxy stops parsing beyond ~53 acls in one rule). */
export const MAX_L7RULES_PER_L7POLICY = 50

const nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])
const oneOf = <T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ enum: [...values] })
/** POST/PUT key and value: Octavia's `^[^\r\n]*$` (the single-create form has no pattern). */
const text = (noLineBreaks: boolean) =>
  Type.String({ maxLength: 255, ...(noLineBreaks ? { pattern: '^[^\\r\\n]*$' } : {}) })
const tags = () => nullable(Type.Array(Type.String({ maxLength: 255 })))

const createFields = (noLineBreaks: boolean) => ({
  type: oneOf(L7RULE_TYPES),
  compare_type: oneOf(L7RULE_COMPARE_TYPES),
  key: Type.Optional(nullable(text(noLineBreaks))),
  value: nullable(text(noLineBreaks)),
  invert: Type.Optional(nullable(Type.Boolean())),
  admin_state_up: Type.Optional(nullable(Type.Boolean())),
  tags: Type.Optional(tags()),
})

/** An L7 rule inside a policy's create body or a single-call graph (Octavia's L7RuleSingleCreate). */
export const l7RuleSingleCreateSchema = Type.Object(createFields(false), { additionalProperties: false })

/** Octavia's L7RulePOST: adds the ignored project_id/tenant_id (the rule takes its load balancer's project). */
export const l7RulePostSchema = Type.Object({
  ...createFields(true),
  project_id: Type.Optional(nullable(Type.String({ maxLength: 36 }))),
  tenant_id: Type.Optional(nullable(Type.String({ maxLength: 36 }))),
}, { additionalProperties: false })

/** What insertL7Rule accepts: a validated create object. */
export type L7RuleCreate = Static<typeof l7RuleSingleCreateSchema>

/** Octavia's L7RulePUT: every attribute optional; the merged rule is validated. */
export const l7RulePutSchema = Type.Object({
  type: Type.Optional(nullable(oneOf(L7RULE_TYPES))),
  compare_type: Type.Optional(nullable(oneOf(L7RULE_COMPARE_TYPES))),
  key: Type.Optional(nullable(text(true))),
  value: Type.Optional(nullable(text(true))),
  invert: Type.Optional(nullable(Type.Boolean())),
  admin_state_up: Type.Optional(nullable(Type.Boolean())),
  tags: Type.Optional(tags()),
}, { additionalProperties: false })
export type L7RuleUpdate = Static<typeof l7RulePutSchema>

export const l7RuleCreateBody = Type.Object({ rule: l7RulePostSchema }, { additionalProperties: false })
export const l7RuleUpdateBody = Type.Object({ rule: l7RulePutSchema }, { additionalProperties: false })
export type L7RuleCreateBody = Static<typeof l7RuleCreateBody>
export type L7RuleUpdateBody = Static<typeof l7RuleUpdateBody>
