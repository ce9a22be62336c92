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
import { sessionPersistenceLines } from './session-persistence.js'
import { serverTlsOptions, type ServerTls } from './server-tls.js'
import type { TlsFiles } from './tls-files.js'

/** What a backend needs from its listener. */
export interface BackendContext {
  readonly listener: ListenerView
  /** The listener's effective (capped) connection limit → `fullconn`. */
  readonly connectionLimit: number
  /** Peers section for stick tables, or null. */
  readonly peersName: string | null
  /** Whether the listener terminates TLS (PROXYV2 servers then send the client certificate's CN). */
  readonly listenerTls: boolean
}

/**
 * The backend of one pool behind one listener; `files` are where the pool's
 * TLS material lies on the amphora. Throws RenderError for unsupported settings.
 */
export function backendSection({ pool, mode }: PoolPlan, ctx: BackendContext, o: RenderOptions, files: TlsFiles): Section {
  const { listener } = ctx
  const members = plannedMembers(pool)
  const balance = balanceDirectives(pool, members)
  const hm = activeHealthMonitor(pool)
  const tls = serverTlsOptions(pool, files)
  const timeouts = listenerTimeouts(listener, o)
  const lines = [
    `mode ${mode}`,
    ...balance.lines,
    ...(mode === 'http' ? ['http-reuse safe'] : []),
    ...sessionPersistenceLines(pool, mode, ctx.peersName, o),
    ...(hm === null ? [] : healthCheckLines(hm, o)),
    ...(mode === 'http' ? insertHeaderLines(listener) : []),
    `fullconn ${ctx.connectionLimit}`,
    'option allbackups',
    `timeout connect ${timeouts.memberConnect}`,
    `timeout server ${timeouts.memberData}`,
    ...members.map((m) => serverLine(m, { pool, mode, hm, tls, weightScale: balance.weightScale, listenerTls: ctx.listenerTls })),
  ]
  return { header: `backend ${backendName(pool.id, listener.id)}`, lines }
}

/**
 * The client certificate headers of a TERMINATED_HTTPS listener, as Octavia
 * renders them (fixed sample fetches, never user text).
 */
const SSL_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['X-SSL-Client-Verify', '%[ssl_c_verify]'],
  ['X-SSL-Client-Has-Cert', '%[ssl_c_used]'],
  ['X-SSL-Client-DN', '%{+Q}[ssl_c_s_dn]'],
  ['X-SSL-Client-CN', '%{+Q}[ssl_c_s_dn(cn)]'],
  ['X-SSL-Issuer', '%{+Q}[ssl_c_i_dn]'],
  ['X-SSL-Client-SHA1', '%{+Q}[ssl_c_sha1,hex]'],
  ['X-SSL-Client-Not-Before', '%{+Q}[ssl_c_notbefore]'],
  ['X-SSL-Client-Not-After', '%{+Q}[ssl_c_notafter]'],
]

/**
 * The insert_headers of an HTTP or TERMINATED_HTTPS listener (the API
 * accepts them on those only): X-Forwarded-For/-Port, X-Forwarded-Proto
 * (`http` or `https` by the listener's protocol) and, behind TLS, the
 * X-SSL-* headers.
 */
function insertHeaderLines(listener: ListenerView): string[] {
  const h = listener.insertHeaders
  const https = listener.protocol === 'TERMINATED_HTTPS'
  if (!https && listener.protocol !== 'HTTP') return []
  return [
    h['X-Forwarded-For'] === true && 'option forwardfor',
    h['X-Forwarded-Port'] === true && 'http-request set-header X-Forwarded-Port %[dst_port]',
    h['X-Forwarded-Proto'] === true && `http-request set-header X-Forwarded-Proto ${https ? 'https' : 'http'}`,
    ...SSL_HEADERS.map(([name, value]) => https && h[name] === true && `http-request set-header ${name} ${value}`),
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
  readonly listenerTls: boolean
}

/**
 * `server <member id> <address>:<port> weight <w> [check …] [cookie <id>]
 * [send-proxy…] [backup] [disabled] [ssl …]`. Weight 0 drains the member;
 * a disabled member stays (MAINT) so the runtime API can enable it.
 */
function serverLine(member: MemberView, { pool, mode, hm, tls, weightScale, listenerTls }: ServerContext): string {
  const id = objectId('member id', member.id)
  const proxy = pool.protocol === 'PROXY' ? 'send-proxy'
    : pool.protocol === 'PROXYV2' ? (listenerTls ? 'send-proxy-v2-ssl-cn' : 'send-proxy-v2') : null
  return directive(
    'server', id,
    `${ipAddress(`member ${id} address`, member.address)}:${integerIn(`member ${id} protocol_port`, member.protocolPort, MEMBER_FIELDS.protocol_port)}`,
    `weight ${integerIn(`member ${id} weight`, member.weight, MEMBER_FIELDS.weight) * weightScale}`,
    hm !== null && serverCheckOptions(hm, member, tls),
    pool.sessionPersistence?.type === 'HTTP_COOKIE' && mode === 'http' && `cookie ${id}`,
    proxy,
    member.backup && 'backup',
    !member.enabled && 'disabled',
    tls.options,
  )
}
