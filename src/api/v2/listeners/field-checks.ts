import { LbaasError } from '../../../common/errors.js'
import { normalizeCidr } from './cidr.js'
import { pyRepr } from './py-repr.js'
import { ALPN_PROTOCOLS } from './tls-checks.js'

/**
 * Checks that JSON schemas cannot express in Octavia's words: WSME validates a
 * typed list item by item but quotes the whole list in its message. These run
 * before any semantic check, as WSME's do.
 */
export function checkAlpnField(field: string, protocols: readonly string[] | null | undefined): void {
  if (!protocols) return
  if (protocols.some(p => !ALPN_PROTOCOLS.includes(p))) {
    throw wsmeInvalid(field, protocols, 'Value should be a valid ALPN protocol ID')
  }
}

/** Validates and normalises `allowed_cidrs` (duplicates removed, order kept); null/undefined pass through. */
export function normalizeCidrsField(cidrs: readonly string[] | null | undefined): string[] | null | undefined {
  if (!cidrs) return cidrs as null | undefined
  const out: string[] = []
  for (const c of cidrs) {
    const n = normalizeCidr(c)
    if (n === null) throw wsmeInvalid('allowed_cidrs', cidrs, 'Value should be IPv4 or IPv6 CIDR format')
    if (!out.includes(n)) out.push(n)
  }
  return out
}

const wsmeInvalid = (field: string, value: unknown, reason: string): LbaasError =>
  new LbaasError('invalid_input', 400,
    `Invalid input for field/attribute ${field}. Value: '${typeof value === 'string' ? value : pyRepr(value)}'. ${reason}`)
