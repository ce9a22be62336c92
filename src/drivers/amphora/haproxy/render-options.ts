/**
 * Everything the HAProxy configuration depends on besides the load balancer
 * itself: where the amphora keeps its files, operator limits and defaults
 * (Octavia's `[haproxy_amphora]` / `[amphora_agent]` options). Trusted input,
 * but still validated by `checkRenderOptions` before use.
 */
import { LISTENER_FIELDS } from '../../../model/listener-fields.js'
import { RenderError } from './render-error.js'
import { filePath, integer, integerIn, objectId, oneOf, port } from './config-values.js'

/** Syslog-style targets of `log` lines. */
export interface LogOptions {
  /**
   * `log` address: a unix socket path, `ip:port`, `stdout` or `stderr`;
   * null writes no `log` lines at all.
   */
  readonly address: string | null
  /** `format` of the log line; null is HAProxy's default (rfc3164). */
  readonly format: typeof LOG_FORMATS[number] | null
  /** Facility `local<n>` of traffic logs ([amphora_agent] user_log_facility, 0–7). */
  readonly userFacility: number
  /** Facility `local<n>` of HAProxy's own notices ([amphora_agent] administrative_log_facility, 0–7). */
  readonly adminFacility: number
  /** false writes `no log` in defaults ([haproxy_amphora] connection_logging). */
  readonly connectionLogging: boolean
  /**
   * Per-listener `log-format` ([haproxy_amphora] user_log_format) with
   * `{{ project_id }}` and `{{ lb_id }}` placeholders; null keeps HAProxy's.
   */
  readonly userLogFormat: string | null
}

/** Options of `renderHaproxyConfig`; see DEFAULT_RENDER_OPTIONS. */
export interface RenderOptions {
  /** Stats socket path; opened `mode 600 level admin expose-fd listeners` (runtime API, statistics, seamless reload). */
  readonly statsSocketPath: string
  /** `server-state-file` path, or null; backends with checks then reload their servers' state from it. */
  readonly serverStateFilePath: string | null
  /**
   * Upper bound of every `maxconn` written (global, frontends, `fullconn`),
   * below 9900 (DESIGN §5) and within `fdLimit`: HAProxy reserves two file
   * descriptors per connection plus two per splice pipe (a quarter of
   * maxconn), and refuses to start if the limit cannot hold them.
   */
  readonly maxconnCap: number
  /** Hard RLIMIT_NOFILE of the HAProxy process (20000 on this host). */
  readonly fdLimit: number
  /** Listener limit when connection_limit is null, -1 or 0 ([haproxy_amphora] default_connection_limit); capped by maxconnCap. */
  readonly defaultConnectionLimit: number
  /**
   * Listener timeouts in ms when the listener's own are null or 0
   * ([haproxy_amphora] timeout_*), within the listener fields' ranges.
   */
  readonly timeouts: {
    readonly clientData: number
    readonly memberConnect: number
    readonly memberData: number
    readonly tcpInspect: number
  }
  /** `user`/`group` to drop privileges to after binding; null stays as started (no root needed). */
  readonly user: string | null
  readonly group: string | null
  readonly log: LogOptions
  /** TCP port of the `peers` section (stick-table sync in ACTIVE_STANDBY; Octavia uses 1025). */
  readonly peerPort: number
  /**
   * Id of the amphora this configuration is for; it becomes `localpeer`.
   * null: no peers section even in ACTIVE_STANDBY.
   */
  readonly localAmphoraId: string | null
  /** Stick table size ([haproxy_amphora] haproxy_stick_size), e.g. `10k`. */
  readonly stickTableSize: string
  /** Executable run by PING health monitors (`external-check command`). */
  readonly pingCommandPath: string
}

/**
 * Defaults of Octavia (the listener timeouts are the API's defaults of
 * src/model/listener-fields.ts), with a maxconn cap fitting 20000 fds, no
 * privileges drop and no peers.
 */
export const DEFAULT_RENDER_OPTIONS: Omit<RenderOptions, 'statsSocketPath' | 'serverStateFilePath'> = Object.freeze({
  maxconnCap: 7500,
  fdLimit: 20000,
  defaultConnectionLimit: 50000,
  timeouts: Object.freeze({
    clientData: LISTENER_FIELDS.timeout_client_data.default,
    memberConnect: LISTENER_FIELDS.timeout_member_connect.default,
    memberData: LISTENER_FIELDS.timeout_member_data.default,
    tcpInspect: LISTENER_FIELDS.timeout_tcp_inspect.default,
  }),
  user: null,
  group: null,
  log: Object.freeze({
    address: null,
    format: null,
    userFacility: 0,
    adminFacility: 1,
    connectionLogging: true,
    userLogFormat: '{{ project_id }} {{ lb_id }} %f %ci %cp %t %{+Q}r %ST %B %U %[ssl_c_verify] %{+Q}[ssl_c_s_dn] %b %s %Tt %tsc',
  }),
  peerPort: 1025,
  localAmphoraId: null,
  stickTableSize: '10k',
  pingCommandPath: '/var/lib/octavia/ping-wrapper.sh',
})

const LOG_FORMATS = ['raw', 'rfc3164', 'rfc5424', 'short', 'timed', 'iso', 'priority'] as const
const SYSTEM_NAME = /^[a-z_][a-z0-9_-]{0,31}$/
const LOG_ADDRESS = /^(?:stdout|stderr|\/[^\s\x00-\x1f\x7f]+|(?:(?:ipv4|ipv6|udp|udp4|udp6|tcp|tcp4|tcp6|unix)@)?[A-Za-z0-9.:[\]/_-]+)$/
const STICK_SIZE = /^\d{1,9}[kmg]?$/

/** Throws RenderError when an option would produce a broken or unsafe file. */
export function checkRenderOptions(o: RenderOptions): void {
  filePath('statsSocketPath', o.statsSocketPath)
  if (o.serverStateFilePath !== null) filePath('serverStateFilePath', o.serverStateFilePath)
  integer('maxconnCap', o.maxconnCap, 1, 9899)
  integer('fdLimit', o.fdLimit, 1, 1 << 30)
  if (fdsNeeded(o.maxconnCap) > o.fdLimit) {
    throw new RenderError(`maxconnCap ${o.maxconnCap} needs about ${fdsNeeded(o.maxconnCap)} file descriptors, above fdLimit ${o.fdLimit}`)
  }
  integer('defaultConnectionLimit', o.defaultConnectionLimit, 1, 1_000_000)
  integerIn('timeouts.clientData', o.timeouts.clientData, LISTENER_FIELDS.timeout_client_data)
  integerIn('timeouts.memberConnect', o.timeouts.memberConnect, LISTENER_FIELDS.timeout_member_connect)
  integerIn('timeouts.memberData', o.timeouts.memberData, LISTENER_FIELDS.timeout_member_data)
  integerIn('timeouts.tcpInspect', o.timeouts.tcpInspect, LISTENER_FIELDS.timeout_tcp_inspect)
  for (const [what, name] of [['user', o.user], ['group', o.group]] as const) {
    if (name !== null && !SYSTEM_NAME.test(name)) throw new RenderError(`${what} is not a valid system name`)
  }
  if (o.log.address !== null && !LOG_ADDRESS.test(o.log.address)) throw new RenderError('log.address is not a log target')
  if (o.log.format !== null) oneOf('log.format', o.log.format, LOG_FORMATS)
  integer('log.userFacility', o.log.userFacility, 0, 7)
  integer('log.adminFacility', o.log.adminFacility, 0, 7)
  port('peerPort', o.peerPort)
  if (o.localAmphoraId !== null) objectId('localAmphoraId', o.localAmphoraId)
  if (!STICK_SIZE.test(o.stickTableSize)) throw new RenderError('stickTableSize must be a number with an optional k, m or g suffix')
  filePath('pingCommandPath', o.pingCommandPath)
}

/**
 * File descriptors HAProxy reserves for `maxconn` with splicing on: two per
 * connection, two per pipe (maxpipes defaults to maxconn / 4), and a margin
 * for listeners, sockets, checks and peers. (9000 needs 22525 in HAProxy's
 * own count: "Cannot raise FD limit to 22525".)
 */
export function fdsNeeded(maxconn: number): number {
  return 2 * maxconn + 2 * Math.floor(maxconn / 4) + 500
}
