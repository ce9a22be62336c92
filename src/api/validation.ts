import type { FastifyError } from 'fastify'
import { formatValue, invalidInput, LbaasError } from '../common/errors.js'

interface AjvError {
  readonly keyword: string
  readonly instancePath: string
  readonly params: Record<string, any>
  readonly message?: string
  readonly data?: unknown
  readonly parentSchema?: { readonly properties?: Record<string, unknown> }
}

/**
 * The Python argument name of each Octavia controller's body, which WSME puts
 * first in `Unknown attribute for argument <arg>.<path>` messages, by body
 * wrapper key (and method where POST and PUT differ).
 */
const BODY_ARGUMENT: Readonly<Record<string, string>> = {
  loadbalancer: 'load_balancer', listener: 'listener_', pool: 'pool_', member: 'member_', members: 'members_',
  healthmonitor: 'health_monitor_', l7policy: 'l7policy_', 'rule:POST': 'rule_', 'rule:PUT': 'l7rule_',
  quota: 'quotas', flavor: 'flavor_', flavorprofile: 'flavor_profile_', availability_zone: 'availability_zone_',
  availability_zone_profile: 'availability_zone_profile_',
}

/**
 * Turns the first ajv error of a request-body schema into Octavia's (WSME)
 * message: `Invalid input for field/attribute <f>. Value: '<v>'. <reason>`;
 * `Unknown attribute for argument <arg>.<path>: <name>` for an attribute the
 * schema does not know (reported before missing mandatory ones, as WSME does);
 * `Missing argument: "<arg>"` without a body. `method` picks the controller
 * argument name where POST and PUT differ. Schemas are compiled with
 * `verbose: true` so that the offending value and schema are available.
 */
export function schemaErrorToLbaas(err: FastifyError & { validation?: unknown[] }, method = 'POST'): LbaasError {
  const e = (err.validation?.[0] ?? {}) as AjvError
  const path = e.instancePath.split('/').filter(p => p !== '')
  if (e.keyword === 'required') {
    // NOTE: WSME reports unknown attributes of an object before its missing mandatory ones.
    const unknown = unknownKeyOf(e)
    if (unknown !== undefined) return unknownAttribute({ ...e, params: { additionalProperty: unknown } }, path, method)
    return invalidInput(e.params.missingProperty, null, 'Mandatory field missing.')
  }
  if (e.keyword === 'additionalProperties') return unknownAttribute(e, path, method)
  if (path.length === 0 && (e.data === undefined || e.data === null)) {
    // NOTE: WSME's words for a request without a body.
    const wrapper = Object.keys(e.parentSchema?.properties ?? {})[0] ?? ''
    return new LbaasError('invalid_input', 400, `Missing argument: "${argumentOf(wrapper, method)}"`)
  }
  const field = path.filter(p => !/^\d+$/.test(p)).at(-1) ?? 'body'
  return invalidInput(field, e.data, reasonOf(e))
}

/**
 * WSME's UnknownAttribute: `Unknown attribute for argument <arg>.<attr path>: <name>`,
 * where the path names the nested attributes (list indexes do not appear).
 */
function unknownAttribute(e: AjvError, path: readonly string[], method: string): LbaasError {
  const names = path.filter(p => !/^\d+$/.test(p))
  const wrapper = names[0] ?? Object.keys(e.parentSchema?.properties ?? {})[0] ?? ''
  const argument = [argumentOf(wrapper, method), ...names].filter(n => n !== '').join('.')
  return new LbaasError('invalid_input', 400, `Unknown attribute for argument ${argument}: ${e.params.additionalProperty}`)
}

const argumentOf = (wrapper: string, method: string): string =>
  BODY_ARGUMENT[`${wrapper}:${method}`] ?? BODY_ARGUMENT[wrapper] ?? wrapper

/** An attribute of the object that its closed schema does not know, if any. */
function unknownKeyOf(e: AjvError): string | undefined {
  const schema = e.parentSchema as { properties?: Record<string, unknown>; additionalProperties?: unknown } | undefined
  if (!schema?.properties || schema.additionalProperties !== false) return undefined
  if (typeof e.data !== 'object' || e.data === null || Array.isArray(e.data)) return undefined
  return Object.keys(e.data).find(k => !Object.hasOwn(schema.properties!, k))
}

function reasonOf(e: AjvError): string {
  switch (e.keyword) {
    case 'enum': return `Value should be one of: ${(e.params.allowedValues as unknown[]).map(v => formatValue(v)).join(', ')}`
    case 'minimum': return `Value should be greater or equal to ${e.params.limit}`
    case 'maximum': return `Value should be lower or equal to ${e.params.limit}`
    case 'maxLength': return `Value should have a maximum character requirement of ${e.params.limit}`
    case 'minLength': return `Value should have a minimum character requirement of ${e.params.limit}`
    case 'maxItems': return `Value should have a maximum of ${e.params.limit} items`
    case 'pattern': return `Value should match the pattern ${e.params.pattern}`
    case 'format':
      if (e.params.format === 'uuid') return 'Value should be UUID format'
      if (e.params.format === 'ipv4' || e.params.format === 'ipv6' || e.params.format === 'ip') return 'Value should be IPv4 or IPv6 format'
      return `Value should be ${e.params.format} format`
    case 'type': return `Wrong type. Expected '${e.params.type}', got '${jsonType(e.data)}'`
    default: return e.message ?? 'Invalid value'
  }
}

const jsonType = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v
