import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { HEALTH_MONITOR_FIELDS as F } from '../../../model/health-monitor-fields.js'
import { integerField } from '../field-schema.js'

/** Health monitor types (octavia-lib SUPPORTED_HEALTH_MONITOR_TYPES). */
export const HM_TYPES = ['HTTP', 'HTTPS', 'PING', 'TCP', 'TLS-HELLO', 'UDP-CONNECT', 'SCTP'] as const
export type HealthMonitorType = typeof HM_TYPES[number]

/** HTTP methods of HTTP/HTTPS monitors. */
export const HM_HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'OPTIONS', 'CONNECT', 'PATCH'] as const

/** Octavia's DOMAIN_NAME_REGEX, verbatim (it is quoted in the 400 message). */
export const DOMAIN_NAME_REGEX = '^(?=.{1,253}\\.?$)(?:(?!-|[^.]+_)[A-Za-z0-9-_]{1,63}(?<!-)(?:\\.|$))+$'

/** Octavia's expected_codes pattern, verbatim. */
export const EXPECTED_CODES_REGEX = '^(\\d{3}(\\s*,\\s*\\d{3})*)$|^(\\d{3}-\\d{3})$'

const nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])
const oneOf = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] })

/** Fields every variant shares; the mandatory ones are nullable because Octavia answers null with its own errors. */
const commonFields = {
  name: Type.Optional(nullable(Type.String({ maxLength: 255 }))),
  delay: nullable(integerField(F.delay)),
  timeout: nullable(integerField(F.timeout)),
  max_retries: nullable(integerField(F.max_retries)),
  max_retries_down: Type.Optional(nullable(integerField(F.max_retries_down))),
  http_method: Type.Optional(nullable(oneOf(HM_HTTP_METHODS))),
  /** Checked in code (Octavia's URLPathType). */
  url_path: Type.Optional(nullable(Type.String())),
  expected_codes: Type.Optional(nullable(Type.String({ pattern: EXPECTED_CODES_REGEX }))),
  admin_state_up: Type.Optional(nullable(Type.Boolean())),
  tags: Type.Optional(nullable(Type.Array(Type.String({ maxLength: 255 })))),
  /** 1.0 or 1.1, as a number or a numeric string; checked in code. */
  http_version: Type.Optional(nullable(Type.Union([Type.Number(), Type.String()]))),
  domain_name: Type.Optional(nullable(Type.String({ minLength: 1, maxLength: 255, pattern: DOMAIN_NAME_REGEX }))),
}

/** A health monitor inside a pool of a single-call create (Octavia's HealthMonitorSingleCreate). */
export const healthMonitorSingleCreateSchema = Type.Object({
  ...commonFields,
  type: nullable(oneOf(HM_TYPES)),
}, { additionalProperties: false })

/** What insertHealthMonitor accepts (a POST body's pool_id/project_id are ignored there). */
export type HealthMonitorCreate = Static<typeof healthMonitorSingleCreateSchema>

/** Octavia's HealthMonitorPOST. */
export const healthMonitorPostSchema = Type.Object({
  ...commonFields,
  type: nullable(oneOf(HM_TYPES)),
  pool_id: nullable(Type.String({ format: 'uuid' })),
  project_id: Type.Optional(nullable(Type.String({ maxLength: 36 }))),
  tenant_id: Type.Optional(nullable(Type.String({ maxLength: 36 }))),
}, { additionalProperties: false })

/** Octavia's HealthMonitorPUT: type and pool are immutable. */
export const healthMonitorPutSchema = Type.Object({
  name: commonFields.name,
  delay: Type.Optional(commonFields.delay),
  timeout: Type.Optional(commonFields.timeout),
  max_retries: Type.Optional(commonFields.max_retries),
  max_retries_down: commonFields.max_retries_down,
  http_method: commonFields.http_method,
  url_path: commonFields.url_path,
  expected_codes: commonFields.expected_codes,
  admin_state_up: commonFields.admin_state_up,
  tags: commonFields.tags,
  http_version: commonFields.http_version,
  domain_name: commonFields.domain_name,
}, { additionalProperties: false })
export type HealthMonitorUpdate = Static<typeof healthMonitorPutSchema>

export const healthMonitorCreateBody = Type.Object({ healthmonitor: healthMonitorPostSchema }, { additionalProperties: false })
export const healthMonitorUpdateBody = Type.Object({ healthmonitor: healthMonitorPutSchema }, { additionalProperties: false })
export type HealthMonitorCreateBody = Static<typeof healthMonitorCreateBody>
export type HealthMonitorUpdateBody = Static<typeof healthMonitorUpdateBody>
