import { LbaasError } from '../../../common/errors.js'
import { regexCompileError } from './regex-check.js'
import { CONTROL_CHARS, COOKIE_VALUE, DN_FIELD, HEADER_NAME, isHeaderValue } from './rule-charsets.js'

/** The attributes of an L7 rule that its validity depends on (a create body or a merged update). */
export interface L7RuleData {
  readonly type: string | null | undefined
  readonly compare_type: string | null | undefined
  readonly key?: string | null
  readonly value: string | null | undefined
}

/** Rule types whose key is unused (and cleared on update, as Octavia does). */
export const KEYLESS_RULE_TYPES: readonly string[] = ['HOST_NAME', 'PATH', 'FILE_TYPE']

/** 400 `Error parsing L7Rule: <msg>` (Octavia's L7RuleValidation). */
export const l7RuleError = (msg: string): LbaasError =>
  new LbaasError('invalid_l7rule', 400, `Error parsing L7Rule: ${msg}`)

const invalidRule = (msg: string): LbaasError => l7RuleError(`Invalid L7 Rule: ${msg}`)
const invalidChars = (what: string): LbaasError => l7RuleError(`Invalid characters in ${what}`)
const STRING_COMPARES = ['STARTS_WITH', 'ENDS_WITH', 'CONTAINS', 'EQUAL_TO']

/**
 * Octavia's `validate.l7rule_data` plus the control-character ban of
 * rule-charsets.ts: throws `Error parsing L7Rule: …` (400) when the rule is
 * not internally consistent. Pure: needs no policy or database.
 */
export function validateL7RuleData(rule: L7RuleData): void {
  if (rule.key && CONTROL_CHARS.test(rule.key)) throw invalidChars('key')
  if (rule.value && CONTROL_CHARS.test(rule.value)) throw invalidChars('value')
  if (!rule.value) throw invalidRule('L7 rule type requires a value')
  const value = rule.value
  switch (rule.type) {
    case 'HEADER':
    case 'COOKIE': {
      if (!rule.key) throw invalidRule('L7 rule type requires a key')
      if (!HEADER_NAME.test(rule.key)) throw invalidChars('key')
      if (rule.compare_type === 'REGEX') return checkRegex(value)
      if (!STRING_COMPARES.includes(rule.compare_type ?? '')) throw invalidRule('invalid comparison type for rule type')
      if (rule.type === 'HEADER' && !isHeaderValue(value)) throw invalidChars('header value')
      if (rule.type === 'COOKIE' && !COOKIE_VALUE.test(value)) throw invalidChars('cookie value')
      return
    }
    case 'HOST_NAME':
    case 'PATH':
      if (rule.compare_type === 'REGEX') return checkRegex(value)
      if (!STRING_COMPARES.includes(rule.compare_type ?? '')) throw invalidRule('invalid comparison type for rule type')
      if (!isHeaderValue(value)) throw invalidChars('comparison value')
      return
    case 'FILE_TYPE':
      if (rule.compare_type === 'REGEX') return checkRegex(value)
      if (rule.compare_type !== 'EQUAL_TO') throw invalidRule('invalid comparison type for rule type')
      if (!isHeaderValue(value)) throw invalidChars('comparison value')
      return
    case 'SSL_CONN_HAS_CERT':
    case 'SSL_VERIFY_RESULT':
    case 'SSL_DN_FIELD':
      return validateSslRule(rule.type, rule.compare_type, rule.key ?? null, value)
    default:
      throw invalidRule('invalid rule type')
  }
}

function validateSslRule(type: string, compare: string | null | undefined, key: string | null, value: string): void {
  const onlyEqualTo = `L7rule type ${type} only supports the EQUAL_TO compare type.`
  if (type === 'SSL_CONN_HAS_CERT') {
    if (key) throw invalidRule(`L7rule type ${type} does not use the "key" field.`)
    if (value.toLowerCase() !== 'true') throw invalidRule(`L7rule value ${value} is not a boolean True string.`)
    if (compare !== 'EQUAL_TO') throw invalidRule(onlyEqualTo)
    return
  }
  if (type === 'SSL_VERIFY_RESULT') {
    if (key) throw invalidRule(`L7rule type ${type} does not use the "key" field.`)
    if (!/^[0-9]+$/.test(value)) throw invalidRule(`L7rule type ${type} needs a int value, which is >= 0`)
    if (compare !== 'EQUAL_TO') throw invalidRule(onlyEqualTo)
    return
  }
  if (compare === 'REGEX') checkRegex(value)
  if (!key) throw invalidRule(`L7rule type ${type} needs to specify a key and a value.`)
  if (!DN_FIELD.test(key)) throw invalidRule('Invalid L7rule distinguished name field.')
  // NOTE: a non-REGEX DN value keeps Octavia's freedom (DNs contain spaces);
  // it is free of controls (checked above) and the renderer escapes it.
  if (!['REGEX', ...STRING_COMPARES].includes(compare ?? '')) throw invalidRule('invalid comparison type for rule type')
}

function checkRegex(value: string): void {
  const reason = regexCompileError(value)
  if (reason !== null) throw l7RuleError(`Unable to parse regular expression: ${reason}`)
}
