/**
 * L7 policies and rules of an HTTP listener: one `acl` per rule (named by the
 * rule id) and one action line per policy, its rules ANDed, `!` for invert.
 *
 * Action lines are grouped the way HAProxy evaluates them — every
 * `http-request deny`, then every `redirect`, then every `use_backend`, each
 * group in position order — which is the precedence Octavia documents
 * (REJECT > REDIRECT_TO_URL/PREFIX > REDIRECT_TO_POOL) and spares HAProxy's
 * "rule placed after … will still be processed before" warnings.
 */
import type { L7RuleView } from '../../../model/load-balancer-view.js'
import { configWord, fetchArgumentWord } from './config-escape.js'
import { directive } from './config-section.js'
import { fetchArgument, headerUrl, integer, objectId, oneOf } from './config-values.js'
import type { ListenerPlan, PolicyPlan } from './render-plan.js'
import { RenderError } from './render-error.js'
import { backendName } from './proxy-names.js'

const COMPARE_FLAGS: Readonly<Record<string, string>> = {
  REGEX: '-m reg', STARTS_WITH: '-m beg', ENDS_WITH: '-m end', CONTAINS: '-m sub', EQUAL_TO: '-m str',
}
const REDIRECT_CODES = [301, 302, 303, 307, 308] as const

/** HAProxy accepts at most 64 words per line; keep room for the action words. */
const MAX_RULES_PER_POLICY = 50

/** The `acl` lines then the action lines of the listener's policies. */
export function l7Lines(plan: ListenerPlan): string[] {
  const acls = plan.policies.flatMap(({ rules }) => rules.map(aclLine))
  const deny: string[] = []
  const redirect: string[] = []
  const useBackend: string[] = []
  for (const p of plan.policies) {
    const cond = condition(p)
    const { policy } = p
    switch (policy.action) {
      case 'REJECT':
        deny.push(`http-request deny ${cond}`)
        break
      case 'REDIRECT_TO_URL':
        redirect.push(directive('redirect', redirectCode(p), 'location',
          configWord(headerUrl(`l7policy ${policy.id} redirect_url`, policy.redirectUrl)), cond))
        break
      case 'REDIRECT_PREFIX':
        redirect.push(directive('redirect', redirectCode(p), 'prefix',
          configWord(headerUrl(`l7policy ${policy.id} redirect_prefix`, policy.redirectPrefix)), cond))
        break
      case 'REDIRECT_TO_POOL':
        useBackend.push(`use_backend ${backendName(policy.redirectPoolId ?? '', plan.listener.id)} ${cond}`)
        break
      default:
        throw new RenderError(`l7policy ${policy.id}: action ${policy.action} is not supported`)
    }
  }
  return [...acls, ...deny, ...redirect, ...useBackend]
}

/** `if [!]rule1 [!]rule2 …` */
function condition({ policy, rules }: PolicyPlan): string {
  if (rules.length > MAX_RULES_PER_POLICY) {
    throw new RenderError(`l7policy ${policy.id} has more than ${MAX_RULES_PER_POLICY} enabled rules`)
  }
  return ['if', ...rules.map((r) => `${r.invert ? '!' : ''}${objectId('l7rule id', r.id)}`)].join(' ')
}

function redirectCode({ policy }: PolicyPlan): string | null {
  if (policy.redirectHttpCode === null) return null
  return `code ${oneOf(`l7policy ${policy.id} redirect_http_code`, String(policy.redirectHttpCode), REDIRECT_CODES.map(String))}`
}

/**
 * `acl <rule id> <fetch> [flags] -- <value>`. The `--` ends the flags, so a
 * value starting with `-` (`-f /etc/passwd`) is a pattern, never a flag.
 */
export function aclLine(rule: L7RuleView): string {
  const name = objectId('l7rule id', rule.id)
  const what = `l7rule ${rule.id}`
  const pattern = (fetch: string, flags: string | null): string =>
    directive('acl', name, fetch, flags, '--', configWord(rule.value, `${what} value`))
  const key = (): string => fetchArgumentWord(fetchArgument(`${what} key`, rule.key))
  const flags = (): string => {
    const flag = COMPARE_FLAGS[rule.compareType]
    if (flag === undefined) throw new RenderError(`${what}: compare_type ${rule.compareType} is not supported`)
    return flag
  }
  switch (rule.type) {
    case 'HOST_NAME':
      return pattern('req.hdr(host)', `-i ${flags()}`)
    case 'PATH':
      return pattern('path', flags())
    case 'FILE_TYPE':
      // NOTE: `path_end -m str` never matches in HAProxy; bare path_end is the suffix match.
      return pattern('path_end', rule.compareType === 'EQUAL_TO' ? null : flags())
    case 'HEADER':
      return pattern(`req.hdr(${key()})`, flags())
    case 'COOKIE':
      return pattern(`req.cook(${key()})`, flags())
    case 'SSL_DN_FIELD':
      return pattern(`ssl_c_s_dn(${key()})`, flags())
    case 'SSL_CONN_HAS_CERT':
      return `acl ${name} ssl_c_used`
    case 'SSL_VERIFY_RESULT':
      return `acl ${name} ssl_c_verify eq ${integer(`${what} value`, /^\d{1,7}$/.test(rule.value) ? Number(rule.value) : NaN, 0, 1_000_000)}`
    default:
      throw new RenderError(`${what}: type ${rule.type} is not supported`)
  }
}
