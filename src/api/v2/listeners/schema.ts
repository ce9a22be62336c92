import { Type, type Static } from '@sinclair/typebox'
import { LISTENER_FIELDS } from '../../../model/listener-fields.js'
import { integerField } from '../field-schema.js'
import { l7PolicySingleCreateSchema } from '../l7policies/schema.js'
import { poolSingleCreateSchema } from '../pools/schema.js'
import { LISTENER_PROTOCOLS } from './protocols.js'
import { enumOf, opt, str, tags, uuid } from './schema-fields.js'

export const CLIENT_AUTH_MODES = ['NONE', 'OPTIONAL', 'MANDATORY'] as const

const F = LISTENER_FIELDS

/** An L7 policy inside a listener create; its `redirect_pool` is a pool single-create (or a name reference). */
const l7policySingleCreate = l7PolicySingleCreateSchema(poolSingleCreateSchema)

/**
 * An embedded L7 policy as insertListener takes it: the single-create form,
 * or (from the load balancer graph create) with its redirect pool already
 * resolved to `redirect_pool_id`.
 */
export type ListenerL7PolicyCreate = Static<typeof l7policySingleCreate> & { redirect_pool_id?: string | null }

/** Attributes shared by ListenerPOST and ListenerSingleCreate. */
const createFields = {
  name: opt(str(255)),
  description: opt(str(255)),
  admin_state_up: opt(Type.Boolean()),
  protocol: enumOf(LISTENER_PROTOCOLS),
  protocol_port: integerField(F.protocol_port),
  connection_limit: opt(integerField(F.connection_limit)),
  default_tls_container_ref: opt(str(255)),
  sni_container_refs: opt(Type.Array(str(255))),
  default_pool_id: opt(uuid()),
  default_pool: opt(poolSingleCreateSchema),
  l7policies: opt(Type.Array(l7policySingleCreate)),
  insert_headers: opt(Type.Record(Type.String(), str(255))),
  timeout_client_data: opt(integerField(F.timeout_client_data)),
  timeout_member_connect: opt(integerField(F.timeout_member_connect)),
  timeout_member_data: opt(integerField(F.timeout_member_data)),
  timeout_tcp_inspect: opt(integerField(F.timeout_tcp_inspect)),
  tags: opt(tags()),
  client_ca_tls_container_ref: opt(str(255)),
  client_authentication: opt(enumOf(CLIENT_AUTH_MODES)),
  client_crl_container_ref: opt(str(255)),
  allowed_cidrs: opt(Type.Array(Type.String())),
  tls_ciphers: opt(str(2048)),
  tls_versions: opt(Type.Array(str(32))),
  alpn_protocols: opt(Type.Array(Type.String())),
  hsts_max_age: opt(integerField(F.hsts_max_age)),
  hsts_include_subdomains: opt(Type.Boolean()),
  hsts_preload: opt(Type.Boolean()),
}

/** Octavia's ListenerSingleCreate: a listener inside a load balancer create (the load balancer is the parent). */
export const listenerSingleCreateSchema = Type.Object(createFields, { additionalProperties: false })

/** What insertListener accepts. */
export type ListenerCreate = Omit<Static<typeof listenerSingleCreateSchema>, 'l7policies'> & {
  l7policies?: ListenerL7PolicyCreate[] | null
}

/** Octavia's ListenerPOST. */
export const listenerPostSchema = Type.Object({
  ...createFields,
  loadbalancer_id: uuid(),
  project_id: opt(str(36)),
  tenant_id: opt(str(36)),
}, { additionalProperties: false })
export type ListenerPost = Static<typeof listenerPostSchema>

/** Octavia's ListenerPUT: the create attributes less protocol, port and the single-create children. */
const { protocol: _protocol, protocol_port: _port, default_pool: _pool, l7policies: _policies, ...putFields } = createFields
export const listenerPutSchema = Type.Object(putFields, { additionalProperties: false })
export type ListenerPut = Static<typeof listenerPutSchema>

export const listenerCreateBody = Type.Object({ listener: listenerPostSchema }, { additionalProperties: false })
export const listenerUpdateBody = Type.Object({ listener: listenerPutSchema }, { additionalProperties: false })
export type ListenerCreateBody = Static<typeof listenerCreateBody>
export type ListenerUpdateBody = Static<typeof listenerUpdateBody>
