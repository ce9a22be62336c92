/**
 * The HAProxy 2.6 configuration of one load balancer: a pure function of the
 * load balancer view and the options (R11), covered by the golden files of
 * test/golden/haproxy.
 *
 * Layout: `global`, `defaults`, the optional `peers`, then per listener (by
 * port) its `frontend` followed by the `backend` of each pool it uses.
 * Names are ids (never names or descriptions: free text is not written);
 * every user string is validated or escaped (see config-escape.ts and
 * config-values.ts), so no value can add a directive, a section or a comment.
 */
import { LISTENER_FIELDS } from '../../../model/listener-fields.js'
import type { ListenerView, LoadBalancerView } from '../../../model/load-balancer-view.js'
import { backendSection } from './backend-section.js'
import { formatSection, type Section } from './config-section.js'
import { integerIn, objectId } from './config-values.js'
import { frontendSection } from './frontend-section.js'
import { defaultsSection, globalMaxconn, globalSection, peersNameOf, peersSection } from './global-section.js'
import { planListeners } from './render-plan.js'
import { checkRenderOptions, type RenderOptions } from './render-options.js'
import { terminatesTls } from './listener-tls.js'
import { NO_TLS_FILES, type TlsFiles } from './tls-files.js'

/**
 * Renders the configuration text (ending with a line feed). `files` says
 * where each TLS reference of the view lies on the amphora (default: none).
 * Throws RenderError when the view holds a value that cannot be written
 * safely, a feature this renderer does not support, or a TLS reference
 * without file; UDP and SCTP listeners are skipped (they are not HAProxy's).
 * Deterministic: the same input always gives the same bytes.
 */
export function renderHaproxyConfig(lb: LoadBalancerView, opts: RenderOptions, files: TlsFiles = NO_TLS_FILES): string {
  checkRenderOptions(opts)
  const id = objectId('load balancer id', lb.id)
  const plans = planListeners(lb)
  const peers = peersSection(lb, opts)
  const peersName = peers === null ? null : peersNameOf(lb)
  const limits = plans.map((p) => connectionLimit(p.listener, opts))
  const proxies = plans.flatMap((plan, i): Section[] => {
    const limit = limits[i] ?? opts.maxconnCap
    const ctx = { listener: plan.listener, connectionLimit: limit, peersName, listenerTls: terminatesTls(plan.listener) }
    return [frontendSection(lb, plan, limit, opts, files), ...plan.pools.map((p) => backendSection(p, ctx, opts, files))]
  })
  const sections = [
    globalSection(plans, globalMaxconn(limits, opts.maxconnCap), peersName, opts),
    defaultsSection(opts),
    ...(peers === null ? [] : [peers]),
    ...proxies,
  ]
  return [`# Load balancer ${id}, rendered by octavia-ts. Do not edit.\n`, ...sections.map(formatSection)].join('\n')
}

/**
 * The listener's connection limit capped by the options: null, -1 and 0
 * mean the configured default (as Octavia, where 0 is "unset").
 */
export function connectionLimit(listener: ListenerView, opts: RenderOptions): number {
  const limit = listener.connectionLimit === null ? null
    : integerIn(`listener ${listener.id} connection_limit`, listener.connectionLimit, LISTENER_FIELDS.connection_limit)
  return Math.min(limit === null || limit <= 0 ? opts.defaultConnectionLimit : limit, opts.maxconnCap)
}
