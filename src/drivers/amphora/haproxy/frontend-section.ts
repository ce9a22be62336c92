/**
 * Listener → `frontend <listener id>`: binds on every VIP, limits, timeouts,
 * allowed CIDRs, traffic log format, L7 policies and the default backend.
 * Rule lines come in HAProxy's evaluation order (connection, then request).
 */
import { LISTENER_FIELDS } from '../../../model/listener-fields.js'
import type { LoadBalancerView } from '../../../model/load-balancer-view.js'
import { directive, type Section } from './config-section.js'
import { cidr, integerIn, ipAddress } from './config-values.js'
import { l7Lines } from './l7-acl.js'
import { listenerTimeouts } from './listener-timeouts.js'
import { listenerLogFormat } from './log-format.js'
import { bindTlsOptions, hstsLine } from './listener-tls.js'
import type { TlsFiles } from './tls-files.js'
import { backendName, frontendName } from './proxy-names.js'
import type { ListenerPlan } from './render-plan.js'
import type { RenderOptions } from './render-options.js'

/** Name of the ACL of allowed client addresses (`:` keeps it apart from rule ids). */
const ALLOWED_ACL = 'lb:allowed_cidrs'
/** CIDRs per `acl` line (HAProxy reads at most 64 words on a line). */
const CIDRS_PER_LINE = 32

/**
 * The frontend of one listener; `connectionLimit` is its capped limit,
 * `files` where its TLS material lies on the amphora.
 */
export function frontendSection(
  lb: LoadBalancerView, plan: ListenerPlan, connectionLimit: number, o: RenderOptions, files: TlsFiles,
): Section {
  const { listener, mode } = plan
  const what = `listener ${listener.id}`
  const listenPort = integerIn(`${what} protocol_port`, listener.protocolPort, LISTENER_FIELDS.protocol_port)
  const addresses = [lb.vip.ipAddress, ...lb.additionalVips.map((v) => v.ipAddress)]
  const timeouts = listenerTimeouts(listener, o)
  const logFormat = listenerLogFormat(lb, mode, o)
  const tls = bindTlsOptions(listener, files)
  const hsts = hstsLine(listener)
  const lines = [
    `mode ${mode}`,
    ...addresses.map((a) => directive('bind', `${ipAddress(`load balancer ${lb.id} vip address`, a)}:${listenPort}`, tls)),
    `maxconn ${connectionLimit}`,
    `timeout client ${timeouts.clientData}`,
    // NOTE: on a hitless reload the old process would close idle keep-alive
    // connections at once, racing a client's next request on them; this makes
    // it answer that request (with `Connection: close`) instead.
    ...(mode === 'http' ? ['option idle-close-on-response'] : []),
    ...(timeouts.tcpInspect > 0 ? [`tcp-request inspect-delay ${timeouts.tcpInspect}`] : []),
    ...(logFormat === null ? [] : [`log-format ${logFormat}`]),
    ...allowedCidrLines(plan),
    // NOTE: Octavia's `redirect scheme https if !{ ssl_fc }`, as an
    // http-request rule (a `redirect` ahead of L7 `http-request` rules draws
    // HAProxy's ordering warning). Every bind is TLS, so it never fires.
    ...(listener.protocol === 'TERMINATED_HTTPS' ? ['http-request redirect scheme https unless { ssl_fc }'] : []),
    ...(hsts === null ? [] : [hsts]),
    ...(listener.protocol === 'PROMETHEUS' ? prometheusLines() : l7Lines(plan)),
    ...(plan.defaultPool === null ? [] : [`default_backend ${backendName(plan.defaultPool.id, listener.id)}`]),
  ]
  return { header: `frontend ${frontendName(listener.id)}`, lines }
}

/**
 * allowed_cidrs: Octavia enforces them with security groups on the VIP port;
 * our amphorae have none, so HAProxy drops other clients at accept time.
 */
function allowedCidrLines({ listener }: ListenerPlan): string[] {
  if (listener.allowedCidrs.length === 0) return []
  const cidrs = listener.allowedCidrs.map((c) => cidr(`listener ${listener.id} allowed_cidrs`, c))
  const lines: string[] = []
  for (let i = 0; i < cidrs.length; i += CIDRS_PER_LINE) {
    lines.push(directive('acl', ALLOWED_ACL, 'src', ...cidrs.slice(i, i + CIDRS_PER_LINE)))
  }
  return [...lines, `tcp-request connection reject if !${ALLOWED_ACL}`]
}

/** HAProxy's built-in Prometheus exporter on /metrics; anything else is 404. */
function prometheusLines(): string[] {
  return [
    'http-request use-service prometheus-exporter if { path /metrics }',
    'http-request deny deny_status 404',
  ]
}
