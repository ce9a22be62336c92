import type { FastifyError } from 'fastify'
import { formatValue, invalidInput, LbaasError } from '../common/errors.js'

interface AjvError {
  readonly keyword: string
  readonly instancePath: string
  readonly params: Record<string, any>
  readonly message?: string
  readonly data?: unknown
}

/**
 * Turns the first ajv error of a request-body schema into Octavia's (WSME)
 * message: `Invalid input for field/attribute <f>. Value: '<v>'. <reason>`.
 * Schemas are compiled with `$data`-free options and `verbose: true` so that
 * the offending value is available.
 */
export function schemaErrorToLbaas(err: FastifyError & { validation?: unknown[] }): LbaasError {
  const e = (err.validation?.[0] ?? {}) as AjvError
  const path = e.instancePath.split('/').filter(p => p !== '')
  if (e.keyword === 'required') {
    return invalidInput(e.params.missingProperty, null, 'Mandatory field missing.')
  }
  if (e.keyword === 'additionalProperties') {
    const owner = path.filter(p => !/^\d+$/.test(p)).at(-1) ?? 'body'
    return new LbaasError('invalid_input', 400,
      `Invalid input for field/attribute ${owner}. Value: '${formatValue(e.data)}'. Unknown attribute for argument ${owner}: ${e.params.additionalProperty}`)
  }
  const field = path.filter(p => !/^\d+$/.test(p)).at(-1) ?? 'body'
  return invalidInput(field, e.data, reasonOf(e))
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
