/**
 * A parsed oslo.policy rule expression. `generic` is oslo's GenericCheck
 * (`<credential path or literal>:<match>`), `role` its RoleCheck, `is_admin`
 * Octavia's IsAdminCheck, `rule` a reference to another named rule.
 */
export type PolicyCheck =
  | { readonly kind: 'true' }
  | { readonly kind: 'false' }
  | { readonly kind: 'and'; readonly checks: readonly PolicyCheck[] }
  | { readonly kind: 'or'; readonly checks: readonly PolicyCheck[] }
  | { readonly kind: 'not'; readonly check: PolicyCheck }
  | { readonly kind: 'rule'; readonly name: string }
  | { readonly kind: 'role'; readonly match: string }
  | { readonly kind: 'is_admin'; readonly expected: boolean }
  | { readonly kind: 'generic'; readonly key: string; readonly match: string }

/** The request's credentials (oslo.context `to_policy_values()` plus `is_admin`). */
export type PolicyCredentials = Readonly<Record<string, unknown>>

/** What a rule is checked against: for Octavia always `{ project_id }`. */
export type PolicyTarget = Readonly<Record<string, unknown>>

/** Looks a named rule up (undefined: no such rule, which fails closed as in oslo). */
export type RuleLookup = (name: string) => PolicyCheck | undefined

/** The rule names a check refers to through `rule:<name>`. */
export function referencedRules(check: PolicyCheck): string[] {
  switch (check.kind) {
    case 'rule': return [check.name]
    case 'and': case 'or': return check.checks.flatMap(referencedRules)
    case 'not': return referencedRules(check.check)
    default: return []
  }
}

/**
 * Evaluates a check. Semantics are oslo.policy's: `%(key)s` in a match is
 * substituted from the target (a missing key fails the check), values are
 * compared as Python's `str()` renders them, role names case-insensitively,
 * and a reference to an undefined rule is false. Rule cycles are rejected
 * when the rules are loaded, so this always terminates.
 */
export function evaluateCheck(check: PolicyCheck, target: PolicyTarget, creds: PolicyCredentials, lookup: RuleLookup): boolean {
  switch (check.kind) {
    case 'true': return true
    case 'false': return false
    case 'and': return check.checks.every(c => evaluateCheck(c, target, creds, lookup))
    case 'or': return check.checks.some(c => evaluateCheck(c, target, creds, lookup))
    case 'not': return !evaluateCheck(check.check, target, creds, lookup)
    case 'rule': {
      const rule = lookup(check.name)
      return rule !== undefined && evaluateCheck(rule, target, creds, lookup)
    }
    case 'is_admin': return creds.is_admin === check.expected
    case 'role': {
      const match = substitute(check.match, target)
      if (match === undefined || !Array.isArray(creds.roles)) return false
      return creds.roles.some(r => String(r).toLowerCase() === match.toLowerCase())
    }
    case 'generic': {
      const match = substitute(check.match, target)
      if (match === undefined) return false
      const literal = literalOf(check.key)
      if (literal !== undefined) return match === literal
      return findInCredentials(creds, check.key.split('.'), match)
    }
  }
}

/** Python's `match % target` for the `%(key)s` / `%%` forms the parser admits; undefined for a missing key. */
export function substitute(match: string, target: PolicyTarget): string | undefined {
  let missing = false
  const out = match.replace(/%\(([^)]*)\)s|%%/g, (whole, key: string | undefined) => {
    if (whole === '%%') return '%'
    if (!Object.hasOwn(target, key!)) {
      missing = true
      return ''
    }
    return pyStr(target[key!])
  })
  return missing ? undefined : out
}

/** `str(value)` as Python renders the JSON-like values credentials and targets hold. */
export function pyStr(value: unknown): string {
  if (value === null || value === undefined) return 'None'
  if (value === true) return 'True'
  if (value === false) return 'False'
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`
  return String(value)
}

const pyRepr = (value: unknown): string => (typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : pyStr(value))

/**
 * oslo tries the left side of a generic check as a Python literal first
 * (`'text'`, `True`, `42`); the literal's `str()`, else undefined.
 */
function literalOf(key: string): string | undefined {
  if (/^'[^']*'$|^"[^"]*"$/.test(key)) return key.slice(1, -1)
  if (key === 'True' || key === 'False' || key === 'None') return key
  if (/^[+-]?\d+$/.test(key)) return String(BigInt(key))
  if (/^[+-]?(\d+\.\d*|\.\d+)$/.test(key)) {
    const n = Number(key)
    return Number.isInteger(n) ? `${n}.0` : String(n)
  }
  return undefined
}

/** oslo's `_find_in_dict`: follows a dotted path through the credentials, any element of a list may match. */
function findInCredentials(value: unknown, path: readonly string[], match: string): boolean {
  if (path.length === 0) return match === pyStr(value)
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, path[0]!)) return false
  const next = (value as Record<string, unknown>)[path[0]!]
  const rest = path.slice(1)
  if (Array.isArray(next)) return next.some(v => findInCredentials(v, rest, match))
  return findInCredentials(next, rest, match)
}
