import {
  evaluateCheck, referencedRules, type PolicyCheck, type PolicyCredentials, type PolicyTarget,
} from './policy-check.js'
import type { PolicyRuleDefault, PolicyScope } from './default-rules.js'
import { parseRule, PolicyRuleError } from './rule-parser.js'

/** How the registered defaults are combined with a policy file. */
export interface PolicyEnforcerOptions {
  /** Rules of the policy file (name → rule), overriding defaults or adding rules. */
  readonly overrides?: Readonly<Record<string, unknown>>
  /** false: a default that has a deprecated check passes when either does (oslo.policy). */
  readonly enforceNewDefaults?: boolean
  /** true: a rule enforced by name fails for a token whose scope is not among the rule's scope types (oslo.policy). */
  readonly enforceScope?: boolean
  /** Names the source of the overrides in errors (e.g. the policy file's path). */
  readonly source?: string
}

/**
 * oslo.policy's Enforcer reduced to what Octavia uses: registered defaults,
 * overridden rule by rule from a policy file, evaluated against the
 * request's credentials and a target. All rules are parsed, and their
 * references checked for cycles, at construction: a bad rule throws
 * PolicyRuleError there, never at request time.
 */
export class PolicyEnforcer {
  readonly #rules = new Map<string, PolicyCheck>()
  readonly #registered: ReadonlySet<string>
  readonly #scopes = new Map<string, readonly PolicyScope[]>()
  readonly #enforceScope: boolean

  constructor(defaults: readonly PolicyRuleDefault[], options: PolicyEnforcerOptions = {}) {
    const overrides = options.overrides ?? {}
    const where = options.source ? ` in ${options.source}` : ''
    const parse = (name: string, rule: unknown): PolicyCheck => {
      try {
        return parseRule(rule)
      } catch (err) {
        if (!(err instanceof PolicyRuleError)) throw err
        throw new PolicyRuleError(`invalid policy rule "${name}"${where}: ${err.message}`)
      }
    }
    for (const d of defaults) {
      if (Object.hasOwn(overrides, d.name)) continue
      const check = parse(d.name, d.check)
      const useDeprecated = options.enforceNewDefaults === false && d.deprecated !== undefined && d.deprecated !== d.check
      this.#rules.set(d.name, useDeprecated ? { kind: 'or', checks: [check, parse(d.name, d.deprecated)] } : check)
    }
    for (const [name, rule] of Object.entries(overrides)) this.#rules.set(name, parse(name, rule))
    this.#registered = new Set(defaults.map(d => d.name))
    for (const d of defaults) if (d.scopeTypes?.length) this.#scopes.set(d.name, d.scopeTypes)
    this.#enforceScope = options.enforceScope === true
    this.#rejectCycles(where)
  }

  /**
   * Whether `name` passes for `creds` on `target`. Throws for a rule that was
   * never registered (a bug). With `enforceScope`, a registered rule whose
   * scope types do not include the token's scope (tokenScope) fails.
   * NOTE: oslo.policy raises InvalidScope there when asked to raise; Octavia
   * 11 only meets it through `context_is_admin` (its API rules have no scope
   * types), where it counts as false, so false is the whole contract here.
   */
  enforce(name: string, target: PolicyTarget, creds: PolicyCredentials): boolean {
    const rule = this.#rules.get(name)
    if (!this.#registered.has(name) || rule === undefined) throw new Error(`policy rule ${name} is not registered`)
    const scopes = this.#scopes.get(name)
    if (this.#enforceScope && scopes && !scopes.includes(tokenScope(creds))) return false
    return evaluateCheck(rule, target, creds, n => this.#rules.get(n))
  }

  /** The effective rule names (defaults and the file's own), for diagnostics. */
  ruleNames(): string[] {
    return [...this.#rules.keys()]
  }

  #rejectCycles(where: string): void {
    const state = new Map<string, 'visiting' | 'done'>()
    const visit = (name: string, path: readonly string[]): void => {
      const rule = this.#rules.get(name)
      if (rule === undefined || state.get(name) === 'done') return
      if (state.get(name) === 'visiting') {
        throw new PolicyRuleError(`policy rules refer to each other in a cycle${where}: ${[...path, name].join(' → ')}`)
      }
      state.set(name, 'visiting')
      for (const ref of referencedRules(rule)) visit(ref, [...path, name])
      state.set(name, 'done')
    }
    for (const name of this.#rules.keys()) visit(name, [])
  }
}

/**
 * The token's scope as oslo.policy decides it from the credentials: `system`
 * when `system` (or `system_scope`, which oslo copies into it) is set, else
 * `domain` when `domain_id` is, else `project`.
 */
export function tokenScope(creds: PolicyCredentials): PolicyScope {
  if (creds.system || creds.system_scope) return 'system'
  if (creds.domain_id) return 'domain'
  return 'project'
}
