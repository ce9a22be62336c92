/**
 * Health monitors: the backend directives of a pool's monitor and the
 * `check …` options of each server. Field mapping (Octavia): delay → `inter`
 * (s), timeout → `timeout check` (s), max_retries → `rise`,
 * max_retries_down → `fall`, monitor_address/port → `addr`/`port`; their
 * ranges are those of src/model/health-monitor-fields.ts and member-fields.ts.
 */
import { HEALTH_MONITOR_FIELDS } from '../../../model/health-monitor-fields.js'
import type { HealthMonitorView, MemberView } from '../../../model/load-balancer-view.js'
import { MEMBER_FIELDS } from '../../../model/member-fields.js'
import { configWord } from './config-escape.js'
import { directive } from './config-section.js'
import { domainName, expectedCodes, integerIn, ipAddress, oneOf, urlPath } from './config-values.js'
import { RenderError } from './render-error.js'
import type { RenderOptions } from './render-options.js'
import type { ServerTls } from './server-tls.js'

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'OPTIONS', 'PATCH', 'CONNECT'] as const
const HAPROXY_TYPES = new Set(['HTTP', 'HTTPS', 'TCP', 'PING', 'TLS-HELLO'])

/** Backend directives of an active health monitor. */
export function healthCheckLines(hm: HealthMonitorView, o: RenderOptions): string[] {
  const what = `health monitor ${hm.id}`
  if (!HAPROXY_TYPES.has(hm.type)) throw new RenderError(`${what}: type ${hm.type} is not supported by haproxy pools`)
  const lines = [
    ...(o.serverStateFilePath !== null ? ['load-server-state-from-file global'] : []),
    `timeout check ${integerIn(`${what} timeout`, hm.timeout, HEALTH_MONITOR_FIELDS.timeout)}s`,
  ]
  if (hm.type === 'HTTP' || hm.type === 'HTTPS') lines.push(...httpCheckLines(hm, what))
  if (hm.type === 'PING') {
    lines.push('option external-check', `external-check command ${configWord(o.pingCommandPath)}`)
  }
  return lines
}

function httpCheckLines(hm: HealthMonitorView, what: string): string[] {
  const method = oneOf(`${what} http_method`, hm.httpMethod ?? 'GET', HTTP_METHODS)
  const path = configWord(urlPath(`${what} url_path`, hm.urlPath ?? '/'))
  const version = httpVersion(hm.httpVersion, what)
  const lines = [directive('option httpchk', method, path, version !== null && `HTTP/${version}`)]
  // A Host header only makes sense (and is only sent by Octavia) with HTTP/1.1.
  if (version === '1.1' && hm.domainName !== null) {
    lines.push(`http-check send hdr Host ${domainName(`${what} domain_name`, hm.domainName)}`)
  }
  lines.push(`http-check expect status ${expectedCodes(`${what} expected_codes`, hm.expectedCodes ?? '200')}`)
  return lines
}

function httpVersion(value: number | null, what: string): '1.0' | '1.1' | null {
  if (value === null) return null
  if (value === 1 || value === 1.1) return value === 1 ? '1.0' : '1.1'
  throw new RenderError(`${what}: http_version must be 1.0 or 1.1`)
}

/**
 * The `check …` options of one server. HTTPS monitors check over TLS without
 * verifying the member's certificate, as Octavia does; TLS-HELLO monitors do
 * the same TLS handshake (NOTE: Octavia only connects, since HAProxy dropped
 * its SSLv3 hello check; a handshake is what the type promises). On a pool
 * that re-encrypts (`server.options` with `ssl`), checks already speak TLS
 * with the server's own settings (its `verify` included), so nothing is added.
 */
export function serverCheckOptions(hm: HealthMonitorView, member: MemberView, server: ServerTls): string {
  const what = `health monitor ${hm.id}`
  const tls = (hm.type === 'HTTPS' || hm.type === 'TLS-HELLO') && server.options === null
  return directive(
    'check',
    tls && 'check-ssl verify none',
    server.checkAlpn !== null && `check-alpn ${server.checkAlpn}`,
    // NOTE: HAProxy refuses `inter 0`, which Octavia accepts: 0 is written as 1 s.
    `inter ${Math.max(1, integerIn(`${what} delay`, hm.delay, HEALTH_MONITOR_FIELDS.delay))}s`,
    `fall ${integerIn(`${what} max_retries_down`, hm.maxRetriesDown, HEALTH_MONITOR_FIELDS.max_retries_down)}`,
    `rise ${integerIn(`${what} max_retries`, hm.maxRetries, HEALTH_MONITOR_FIELDS.max_retries)}`,
    member.monitorAddress !== null && `addr ${ipAddress(`member ${member.id} monitor_address`, member.monitorAddress)}`,
    member.monitorPort !== null && `port ${integerIn(`member ${member.id} monitor_port`, member.monitorPort, MEMBER_FIELDS.monitor_port)}`,
  )
}
