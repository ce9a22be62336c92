import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { MEMBER_FIELDS } from '../../../model/member-fields.js'
import { integerField } from '../field-schema.js'

const nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])
const ip = () => Type.Union([Type.String({ format: 'ipv4' }), Type.String({ format: 'ipv6' })])
const monitorPort = () => integerField(MEMBER_FIELDS.monitor_port)
const weight = () => integerField(MEMBER_FIELDS.weight)
const name = () => nullable(Type.String({ maxLength: 255 }))
const tags = () => nullable(Type.Array(Type.String({ maxLength: 255 })))

/** Fields of a member create shared by POST, batch update and the single-call graph create. */
const createFields = {
  name: Type.Optional(name()),
  admin_state_up: Type.Optional(nullable(Type.Boolean())),
  address: ip(),
  protocol_port: integerField(MEMBER_FIELDS.protocol_port),
  weight: Type.Optional(nullable(weight())),
  backup: Type.Optional(nullable(Type.Boolean())),
  subnet_id: Type.Optional(nullable(Type.String({ format: 'uuid' }))),
  monitor_port: Type.Optional(nullable(monitorPort())),
  monitor_address: Type.Optional(nullable(ip())),
  tags: Type.Optional(tags()),
  request_sriov: Type.Optional(nullable(Type.Boolean())),
}

/**
 * A member inside a single-call create (Octavia's MemberSingleCreate): what
 * pool and load balancer graph creates embed in their own schemas.
 */
export const memberSingleCreateSchema = Type.Object(createFields, { additionalProperties: false })

/** Octavia's MemberPOST (also the items of a batch update): adds the ignored project_id/tenant_id. */
export const memberPostSchema = Type.Object({
  ...createFields,
  project_id: Type.Optional(nullable(Type.String({ maxLength: 36 }))),
  tenant_id: Type.Optional(nullable(Type.String({ maxLength: 36 }))),
}, { additionalProperties: false })

/** What insertMember accepts: a validated create object. */
export type MemberCreate = Static<typeof memberSingleCreateSchema>

/** Octavia's MemberPUT: address, port and subnet are immutable. */
export const memberPutSchema = Type.Object({
  name: Type.Optional(name()),
  admin_state_up: Type.Optional(nullable(Type.Boolean())),
  weight: Type.Optional(nullable(weight())),
  backup: Type.Optional(nullable(Type.Boolean())),
  monitor_port: Type.Optional(nullable(monitorPort())),
  monitor_address: Type.Optional(nullable(ip())),
  tags: Type.Optional(tags()),
}, { additionalProperties: false })
export type MemberUpdate = Static<typeof memberPutSchema>

export const memberCreateBody = Type.Object({ member: memberPostSchema }, { additionalProperties: false })
export const memberUpdateBody = Type.Object({ member: memberPutSchema }, { additionalProperties: false })
export const membersBatchBody = Type.Object({ members: Type.Array(memberPostSchema) }, { additionalProperties: false })
export type MemberCreateBody = Static<typeof memberCreateBody>
export type MemberUpdateBody = Static<typeof memberUpdateBody>
export type MembersBatchBody = Static<typeof membersBatchBody>
