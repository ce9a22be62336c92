import { Type, type Static } from '@sinclair/typebox'
import { healthMonitorSingleCreateSchema } from '../health-monitors/schema.js'
import { memberSingleCreateSchema } from '../members/schema.js'
import { POOL_PROTOCOLS } from '../listeners/protocols.js'
import { enumOf, ipAddress, opt, str, tags, uuid } from '../listeners/schema-fields.js'

export const LB_ALGORITHMS = ['ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP', 'SOURCE_IP_PORT'] as const
export const SP_TYPES = ['SOURCE_IP', 'HTTP_COOKIE', 'APP_COOKIE'] as const

const cookieName = () => Type.String({ maxLength: 255, pattern: '^[^\\s,;\\\\]+$' })

/** Octavia's SessionPersistencePOST: `type` is mandatory. */
export const sessionPersistencePostSchema = Type.Object({
  type: enumOf(SP_TYPES),
  cookie_name: opt(cookieName()),
  persistence_timeout: opt(Type.Integer()),
  persistence_granularity: opt(ipAddress()),
}, { additionalProperties: false })

/** Octavia's SessionPersistencePUT: without `type` the pool keeps its current type. */
export const sessionPersistencePutSchema = Type.Object({
  type: opt(enumOf(SP_TYPES)),
  cookie_name: opt(cookieName()),
  persistence_timeout: opt(Type.Integer()),
  persistence_granularity: opt(ipAddress()),
}, { additionalProperties: false })

/** The last attributes of every pool create and update: tags and the backend TLS settings. */
const tagsAndTlsFields = {
  tags: opt(tags()),
  tls_container_ref: opt(str(255)),
  ca_tls_container_ref: opt(str(255)),
  crl_container_ref: opt(str(255)),
  tls_enabled: opt(Type.Boolean()),
  tls_ciphers: opt(str(2048)),
  tls_versions: opt(Type.Array(str(32))),
  alpn_protocols: opt(Type.Array(Type.String())),
}

/** Attributes every pool create shares (PoolPOST, PoolSingleCreate). */
const poolFields = {
  name: opt(str(255)),
  description: opt(str(255)),
  admin_state_up: opt(Type.Boolean()),
  session_persistence: opt(sessionPersistencePostSchema),
  healthmonitor: opt(healthMonitorSingleCreateSchema),
  members: opt(Type.Array(memberSingleCreateSchema)),
  ...tagsAndTlsFields,
}

/**
 * Octavia's PoolSingleCreate: a pool inside a listener or load balancer
 * create. `protocol` and `lb_algorithm` are optional here because the
 * load balancer graph may reference a pool by name only.
 */
export const poolSingleCreateSchema = Type.Object({
  ...poolFields,
  protocol: opt(enumOf(POOL_PROTOCOLS)),
  lb_algorithm: opt(enumOf(LB_ALGORITHMS)),
}, { additionalProperties: false })
export type PoolSingleCreate = Static<typeof poolSingleCreateSchema>

/** Octavia's PoolPOST. */
export const poolPostSchema = Type.Object({
  ...poolFields,
  protocol: enumOf(POOL_PROTOCOLS),
  lb_algorithm: enumOf(LB_ALGORITHMS),
  listener_id: opt(uuid()),
  loadbalancer_id: opt(uuid()),
  project_id: opt(str(36)),
  tenant_id: opt(str(36)),
}, { additionalProperties: false })
export type PoolPost = Static<typeof poolPostSchema>

/** What insertPool accepts: a single-create pool whose protocol and algorithm are known. */
export type PoolCreate = PoolSingleCreate & { protocol: PoolPost['protocol']; lb_algorithm: PoolPost['lb_algorithm'] }

/** Octavia's PoolPUT. */
export const poolPutSchema = Type.Object({
  name: opt(str(255)),
  description: opt(str(255)),
  admin_state_up: opt(Type.Boolean()),
  lb_algorithm: opt(enumOf(LB_ALGORITHMS)),
  session_persistence: opt(sessionPersistencePutSchema),
  ...tagsAndTlsFields,
}, { additionalProperties: false })
export type PoolPut = Static<typeof poolPutSchema>

export const poolCreateBody = Type.Object({ pool: poolPostSchema }, { additionalProperties: false })
export const poolUpdateBody = Type.Object({ pool: poolPutSchema }, { additionalProperties: false })
export type PoolCreateBody = Static<typeof poolCreateBody>
export type PoolUpdateBody = Static<typeof poolUpdateBody>
