import type { PolicyCheck } from './policy-check.js'

/** A rule expression that cannot be parsed; the message names the rule and the problem. */
export class PolicyRuleError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PolicyRuleError'
  }
}

type Token =
  | { readonly type: '(' | ')' | 'and' | 'or' | 'not' }
  | { readonly type: 'string'; readonly text: string }
  | { readonly type: 'check'; readonly check: PolicyCheck }

/**
 * Parses an oslo.policy rule: the text form (`role:member and
 * project_id:%(project_id)s`, `rule:<name>`, `is_admin:True`, `@` always,
 * `!` never, `not`/`and`/`or` with that precedence, parentheses) or the
 * legacy list form (a list of alternatives, each a check string or a list
 * of checks that must all pass). An empty rule (`""` or `[]`) always passes.
 * Where oslo would log the rule and fail closed, this throws PolicyRuleError
 * so that a bad policy file stops the service at start-up.
 */
export function parseRule(rule: unknown): PolicyCheck {
  if (typeof rule === 'string') return parseText(rule)
  if (Array.isArray(rule)) return parseList(rule)
  throw new PolicyRuleError(`expected a string, got ${JSON.stringify(rule)}`)
}

function parseList(rule: readonly unknown[]): PolicyCheck {
  if (rule.length === 0) return { kind: 'true' }
  const alternatives = rule.map(inner => {
    const items = typeof inner === 'string' ? [inner] : inner
    if (!Array.isArray(items) || items.some(i => typeof i !== 'string')) {
      throw new PolicyRuleError(`a list rule holds strings or lists of strings, got ${JSON.stringify(inner)}`)
    }
    const checks = items.map(i => parseCheck(i as string))
    return checks.length === 1 ? checks[0]! : { kind: 'and', checks } as const
  })
  return alternatives.length === 1 ? alternatives[0]! : { kind: 'or', checks: alternatives }
}

function parseText(text: string): PolicyCheck {
  if (text === '') return { kind: 'true' }
  const tokens = tokenize(text)
  if (tokens.length === 0) throw new PolicyRuleError('the rule is blank')
  let pos = 0
  const peek = () => tokens[pos]?.type
  const fail = (what: string): never => {
    throw new PolicyRuleError(`${what} in "${text}"`)
  }
  const orExpr = (): PolicyCheck => {
    const checks = [andExpr()]
    while (peek() === 'or') {
      pos++
      checks.push(andExpr())
    }
    return checks.length === 1 ? checks[0]! : { kind: 'or', checks }
  }
  const andExpr = (): PolicyCheck => {
    const checks = [unary()]
    while (peek() === 'and') {
      pos++
      checks.push(unary())
    }
    return checks.length === 1 ? checks[0]! : { kind: 'and', checks }
  }
  const unary = (): PolicyCheck => {
    const token = tokens[pos++]
    if (!token) return fail('unexpected end of rule')
    if (token.type === 'not') return { kind: 'not', check: unary() }
    if (token.type === '(') {
      const inner = orExpr()
      if (tokens[pos++]?.type !== ')') fail('missing ")"')
      return inner
    }
    if (token.type === 'check') return token.check
    if (token.type === 'string') return fail(`unexpected quoted string '${token.text}'`)
    return fail(`unexpected "${token.type}"`)
  }
  const check = orExpr()
  if (pos < tokens.length) fail(`unexpected "${describe(tokens[pos]!)}"`)
  return check
}

const describe = (t: Token): string => (t.type === 'check' ? 'check' : t.type === 'string' ? t.text : t.type)

/** oslo's tokenizer: whitespace-separated words, parentheses peeled off both ends of a word. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  for (const word of text.split(/\s+/).filter(w => w !== '')) {
    const lead = word.length - word.replace(/^\(+/, '').length
    for (let i = 0; i < lead; i++) tokens.push({ type: '(' })
    const rest = word.slice(lead)
    if (rest === '') continue
    const clean = rest.replace(/\)+$/, '')
    const trail = rest.length - clean.length
    const lowered = clean.toLowerCase()
    if (lowered === 'and' || lowered === 'or' || lowered === 'not') tokens.push({ type: lowered })
    else if (clean !== '') {
      if (rest.length >= 2 && (rest[0] === '"' || rest[0] === "'") && rest.at(-1) === rest[0]) {
        tokens.push({ type: 'string', text: rest.slice(1, -1) })
      } else tokens.push({ type: 'check', check: parseCheck(clean) })
    }
    for (let i = 0; i < trail; i++) tokens.push({ type: ')' })
  }
  return tokens
}

/** One check: `@`, `!`, or `<kind>:<match>` split at the first colon. */
export function parseCheck(text: string): PolicyCheck {
  if (text === '@') return { kind: 'true' }
  if (text === '!') return { kind: 'false' }
  const colon = text.indexOf(':')
  if (colon < 0) throw new PolicyRuleError(`"${text}" is not a check (expected <kind>:<match>, @ or !)`)
  const kind = text.slice(0, colon)
  const match = text.slice(colon + 1)
  checkMatch(text, match)
  if (kind === 'rule') return { kind: 'rule', name: match }
  if (kind === 'role') return { kind: 'role', match }
  if (kind === 'is_admin') return { kind: 'is_admin', expected: match.toLowerCase() === 'true' }
  if (kind === 'http' || kind === 'https') throw new PolicyRuleError(`"${text}": ${kind} checks are not supported`)
  if (kind === '') throw new PolicyRuleError(`"${text}" has no kind before the colon`)
  return { kind: 'generic', key: kind, match }
}

/** Only `%(key)s` and `%%` may follow a `%` (anything else would make Python's formatting raise). */
function checkMatch(text: string, match: string): void {
  const stripped = match.replace(/%\([^)]*\)s|%%/g, '')
  if (stripped.includes('%')) throw new PolicyRuleError(`"${text}": only %(name)s substitutions are supported`)
}
