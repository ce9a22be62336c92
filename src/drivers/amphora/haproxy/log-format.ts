/**
 * The per-listener traffic `log-format`: the operator's template
 * ([haproxy_amphora] user_log_format) with `{{ lb_id }}` and
 * `{{ project_id }}` filled in, written as one escaped word.
 */
import type { LoadBalancerView } from '../../../model/load-balancer-view.js'
import { configWord } from './config-escape.js'
import type { ProxyMode } from './render-plan.js'
import type { RenderOptions } from './render-options.js'

/**
 * HTTP-only variables of Octavia's default format; HAProxy refuses them in
 * tcp mode, so they become `-` there (longest first).
 */
const HTTP_ONLY_VARIABLES = ['%{+Q}r', '%r', '%{+Q}ST', '%ST']

/** The escaped `log-format` argument, or null when no traffic is logged. */
export function listenerLogFormat(lb: LoadBalancerView, mode: ProxyMode, o: RenderOptions): string | null {
  const { address, connectionLogging, userLogFormat } = o.log
  // NOTE: without a log address HAProxy ignores log-format with a warning.
  if (!connectionLogging || address === null || userLogFormat === null) return null
  let format = userLogFormat
  if (mode === 'tcp') for (const v of HTTP_ONLY_VARIABLES) format = format.replaceAll(v, '-')
  format = format
    .replaceAll('{{ lb_id }}', () => logText(lb.id))
    .replaceAll('{{ project_id }}', () => logText(lb.projectId ?? '-'))
  return configWord(format, 'log format')
}

/**
 * A user value made safe as literal log text: the project id may hold
 * anything (an admin sets it), and a line feed would forge log lines and a
 * `%` start a variable, so every character outside [A-Za-z0-9_.:@-] becomes
 * `_` (lossy, but logs only need to identify the project).
 */
export function logText(value: string): string {
  return value.replace(/[^A-Za-z0-9_.:@-]/g, '_') || '-'
}
