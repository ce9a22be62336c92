import { badRequest, invalidOption, validationFailure } from '../../../common/errors.js'
import type { HealthMonitorRow } from '../../../db/schema.js'
import type { ApiDeps } from '../../deps.js'
import { formatFloat } from './hm-fields.js'
import type { HealthMonitorUpdate } from './schema.js'

const HTTP_TYPES = ['HTTP', 'HTTPS']
const HTTP_FIELDS = ['http_method', 'url_path', 'expected_codes'] as const
const UDP_SCTP_TYPES = ['UDP-CONNECT', 'SCTP', 'TCP', 'HTTP']

/** Octavia's defaults of HTTP/HTTPS monitors. */
export const HTTP_DEFAULTS = { http_method: 'GET', url_path: '/', expected_codes: '200' } as const

/** 400 `The selected type is not allowed in this deployment: PING` when PING is disabled. */
export function checkPingAllowed(deps: ApiDeps, type: string | null): void {
  if (type === 'PING' && !deps.config.api_settings.allow_ping_health_monitors) {
    throw badRequest('The selected type is not allowed in this deployment: PING', 'disabled_option')
  }
}

/**
 * Pool protocol compatibility: UDP/SCTP pools take only UDP-CONNECT, SCTP,
 * TCP and HTTP monitors, with a UDP-CONNECT delay of at least
 * `udp_connect_min_interval_health_monitor`; UDP-CONNECT and SCTP monitors
 * need a UDP or SCTP pool. `delay` is undefined when not being set.
 */
export function checkPoolCompatibility(deps: ApiDeps, poolProtocol: string, type: string | null, delay: number | null | undefined): void {
  if (poolProtocol === 'UDP' || poolProtocol === 'SCTP') {
    if (type === null || !UDP_SCTP_TYPES.includes(type)) {
      throw validationFailure(`The associated pool protocol is ${poolProtocol}, so only a ${UDP_SCTP_TYPES.join('/')} health monitor is supported.`)
    }
    const min = deps.config.api_settings.udp_connect_min_interval_health_monitor
    if (type === 'UDP-CONNECT' && typeof delay === 'number' && delay < min) {
      throw validationFailure(`The request delay value ${delay} should be larger than ${min} for UDP-CONNECT health monitor type.`)
    }
  } else if (type === 'UDP-CONNECT' || type === 'SCTP') {
    throw validationFailure(`The ${type} type is only supported for pools of type UDP/SCTP.`)
  }
}

/** The domain_name rules shared by create and update (values after merging). */
function checkDomainName(domainGiven: boolean, httpVersion: number | null, domainName: string | null): void {
  if (domainGiven && !httpVersion) {
    throw validationFailure("'http_version' must be specified when 'domain_name' is provided.")
  }
  if (httpVersion && domainName && httpVersion < 1.1) {
    throw invalidOption(`http_version ${formatFloat(httpVersion)}`, 'health monitors HTTP 1.1 domain name health check')
  }
}

/** The fields of a create that the semantic rules look at. */
export interface HmCreateFields {
  readonly type: string | null
  readonly delay: number | null
  readonly timeout: number | null
  readonly max_retries: number | null
  readonly http_method?: string | null
  readonly url_path?: string | null
  readonly expected_codes?: string | null
  readonly http_version: number | null
  readonly domain_name?: string | null
}

/**
 * Octavia's create rules, after the lock: mandatory fields not null (400
 * `None is not a valid option for <field>`), HTTP-only fields refused for
 * other types (400 `<field> is not a valid option for health monitors of
 * type <T>`) and defaulted for HTTP/HTTPS, then the domain_name rules.
 * Returns the HTTP fields to store.
 */
export function checkCreate(hm: HmCreateFields): { http_method: string | null; url_path: string | null; expected_codes: string | null } {
  for (const field of ['type', 'delay', 'timeout'] as const) {
    if (hm[field] === null) throw invalidOption('None', field)
  }
  if (hm.max_retries === null) throw invalidOption('None', 'max_retries')
  const type = hm.type as string
  let http = { http_method: null as string | null, url_path: null as string | null, expected_codes: null as string | null }
  if (!HTTP_TYPES.includes(type)) {
    for (const f of HTTP_FIELDS) if (hm[f]) throw invalidOption(f, `health monitors of type ${type}`)
  } else {
    http = {
      http_method: hm.http_method || HTTP_DEFAULTS.http_method,
      url_path: hm.url_path || HTTP_DEFAULTS.url_path,
      expected_codes: hm.expected_codes || HTTP_DEFAULTS.expected_codes,
    }
  }
  checkDomainName(Boolean(hm.domain_name), hm.http_version, hm.domain_name ?? null)
  return http
}

/**
 * Octavia's update rules against the stored monitor: HTTP-only fields (even
 * null) refused for other types, delay/max_retries/timeout not null, and the
 * domain_name rules on the merged values.
 */
export function checkUpdate(db: HealthMonitorRow, u: HealthMonitorUpdate, httpVersion: number | null | undefined): void {
  if (!HTTP_TYPES.includes(db.type)) {
    for (const f of HTTP_FIELDS) if (u[f] !== undefined) throw invalidOption(f, `health monitors of type ${db.type}`)
  }
  if (u.delay === null) throw invalidOption('None', 'delay')
  if (u.max_retries === null) throw invalidOption('None', 'max_retries')
  if (u.timeout === null) throw invalidOption('None', 'timeout')
  const version = httpVersion || db.http_version
  if (u.domain_name && !version) {
    throw validationFailure("'http_version' must be specified when 'domain_name' is provided.")
  }
  if (version && (db.domain_name || u.domain_name) && version < 1.1) {
    throw invalidOption(`http_version ${formatFloat(version)}`, 'health monitors HTTP 1.1 domain name health check')
  }
}
