/**
 * Pool → `backend <pool id>:<listener id>` with one `server` line per member.
 */
import type { HealthMonitorView, ListenerView, MemberView, PoolView } from '../../../model/load-balancer-view.js'
import { MEMBER_FIELDS } from '../../../model/member-fields.js'
import { balanceDirectives } from './balance-directives.js'
import { directive, type Section } from './config-section.js'
import { integerIn, ipAddress, objectId } from './config-values.js'
import { healthCheckLines, serverCheckOptions } from './health-check.js'
import { listenerTimeouts } from './listener-timeouts.js'
import { backendName } from './proxy-names.js'
import { activeHealthMonitor, plannedMembers, type PoolPlan, type ProxyMode } from './render-plan.js'
import type { RenderOptions } from './render-options.js'
import { RenderError } from './render-error.js'
import { sessionPersistenceLines } from './session-persistence.js'
import { serverTlsOptions, type ServerTls } from './server-tls.js'

/** What a backend needs from its listener. */
export interface BackendContext {
  readonly listener: ListenerView
  /** The listener's effective (capped) connection limit → `fullconn`. */
  readonly connectionLimit: number
  /** Peers section for stick tables, or null. */
  readonly peersName: string | null
}

/** The backend of one pool behind one listener. Throws RenderError for unsupported settings. */
export function backendSection({ pool, mode }: PoolPlan, ctx: BackendContext, o: RenderOptions): Section {
  const { listener } = ctx
  const members = plannedMembers(pool)
  const balance = balanceDirectives(pool, members)
  if (pool.tlsCertificateId !== null || pool.caTlsCertificateId !== null || pool.crlContainerId !== null) {
    throw new RenderError(`pool ${pool.id}: tls certificate references are not supported by the haproxy renderer yet`)
  }
  const hm = activeHealthMonitor(pool)
  const tls = serverTlsOptions(pool)
  const timeouts = listenerTimeouts(listener, o)
  const lines = [
    `mode ${mode}`,
    ...balance.lines,
    ...(mode === 'http' ? ['http-reuse safe'] : []),
    ...sessionPersistenceLines(pool, mode, ctx.peersName, o),
    ...(hm === null ? [] : healthCheckLines(hm, o)),
    ...(mode === 'http' && listener.protocol === 'HTTP' ? insertHeaderLines(listener) : []),
    `fullconn ${ctx.connectionLimit}`,
    'option allbackups',
    `timeout connect ${timeouts.memberConnect}`,
    `timeout server ${timeouts.memberData}`,
    ...members.map((m) => serverLine(m, { pool, mode, hm, tls, weightScale: balance.weightScale })),
  ]
  return { header: `backend ${backendName(pool.id, listener.id)}`, lines }
}

/**
 * X-Forwarded-For/-Port/-Proto of an HTTP listener's insert_headers (the API
 * accepts them on HTTP listeners only; TERMINATED_HTTPS is not rendered), so
 * the forwarded protocol is always `http`.
 */
function insertHeaderLines(listener: ListenerView): string[] {
  const h = listener.insertHeaders
  return [
    h['X-Forwarded-For'] === true && 'option forwardfor',
    h['X-Forwarded-Port'] === true && 'http-request set-header X-Forwarded-Port %[dst_port]',
    h['X-Forwarded-Proto'] === true && 'http-request set-header X-Forwarded-Proto http',
  ].filter((l): l is string => typeof l === 'string')
}

/** What every server line of a backend depends on. */
interface ServerContext {
  readonly pool: PoolView
  readonly mode: ProxyMode
  readonly hm: HealthMonitorView | null
  readonly tls: ServerTls
  /** BalanceDirectives.weightScale. */
  readonly weightScale: number
}

/**
 * `server <member id> <address>:<port> weight <w> [check …] [cookie <id>]
 * [send-proxy…] [backup] [disabled] [ssl …]`. Weight 0 drains the member;
 * a disabled member stays (MAINT) so the runtime API can enable it.
 */
function serverLine(member: MemberView, { pool, mode, hm, tls, weightScale }: ServerContext): string {
  const id = objectId('member id', member.id)
  const proxy = pool.protocol === 'PROXY' ? 'send-proxy' : pool.protocol === 'PROXYV2' ? 'send-proxy-v2' : null
  return directive(
    'server', id,
    `${ipAddress(`member ${id} address`, member.address)}:${integerIn(`member ${id} protocol_port`, member.protocolPort, MEMBER_FIELDS.protocol_port)}`,
    `weight ${integerIn(`member ${id} weight`, member.weight, MEMBER_FIELDS.weight) * weightScale}`,
    hm !== null && serverCheckOptions(hm, member, tls.checkAlpn),
    pool.sessionPersistence?.type === 'HTTP_COOKIE' && mode === 'http' && `cookie ${id}`,
    proxy,
    member.backup && 'backup',
    !member.enabled && 'disabled',
    tls.options,
  )
}
