import { isDeepStrictEqual } from 'node:util'
import { isUuid, matcher, type Matcher } from './field-match.js'

// What gophercloud 0.12's structs hold once decoded from Octavia's answers and
// encoded again by the Go program (test/e2e/gophercloud/report.go): every field
// of the struct is there, and what Octavia leaves null or does not send reads
// as Go's zero value ("" for a null id, 0 for a null port). Pass the fields
// that differ as `overrides`.

type Fields = Record<string, unknown>

/** A list of references (`[{id}, …]` decoded into full structs) naming exactly these ids, in any order. */
export const refs = (...ids: string[]): Matcher => matcher(`references to ${JSON.stringify(ids)}`, v =>
  Array.isArray(v) && isDeepStrictEqual(v.map((x: { id?: unknown }) => x?.id).sort(), [...ids].sort()))

/** The same strings in any order (Octavia keeps tags as a set). */
export const sameSet = (...items: string[]): Matcher => matcher(`the set ${JSON.stringify(items)}`, v =>
  Array.isArray(v) && isDeepStrictEqual([...v].sort(), [...items].sort()))

const common = (project: string): Fields => ({
  id: isUuid, project_id: project, admin_state_up: true, provisioning_status: 'PENDING_CREATE',
})

/** loadbalancers.LoadBalancer. */
export const gcLoadBalancer = (project: string, overrides: Fields): Fields => ({
  ...common(project), description: '', name: '', operating_status: 'OFFLINE', flavor_id: '', provider: 'noop_driver',
  vip_address: '', vip_port_id: isUuid, vip_subnet_id: isUuid, vip_network_id: isUuid, listeners: [], pools: [], tags: [],
  ...overrides,
})

/** listeners.Listener of a plain HTTP listener (`pools` is not an Octavia field: always null). */
export const gcListener = (project: string, overrides: Fields): Fields => ({
  ...common(project), name: '', description: '', protocol: 'HTTP', protocol_port: 80, default_pool_id: '',
  loadbalancers: [], connection_limit: -1, sni_container_refs: [], default_tls_container_ref: '', pools: null,
  l7policies: [], timeout_client_data: 50000, timeout_member_data: 50000, timeout_member_connect: 5000,
  timeout_tcp_inspect: 0, insert_headers: {}, allowed_cidrs: null,
  ...overrides,
})

/** The zero monitors.Monitor that pools.Pool.Monitor holds: Octavia's pool names its monitor by healthmonitor_id only. */
export const ZERO_MONITOR: Fields = {
  id: '', name: '', project_id: '', type: '', delay: 0, timeout: 0, max_retries: 0, max_retries_down: 0, http_method: '',
  url_path: '', expected_codes: '', admin_state_up: false, status: '', pools: null, provisioning_status: '', operating_status: '',
}

/** pools.Pool (`subnet_id`, `provider` and `healthmonitor` are not Octavia pool fields). */
export const gcPool = (project: string, overrides: Fields): Fields => ({
  ...common(project), name: '', description: '', lb_algorithm: 'ROUND_ROBIN', protocol: 'HTTP', listeners: [],
  members: [], healthmonitor_id: '', subnet_id: '', loadbalancers: [], session_persistence: { type: '' }, provider: '',
  healthmonitor: ZERO_MONITOR, operating_status: 'OFFLINE',
  ...overrides,
})

/** pools.Member (`pool_id` is not an Octavia member field). */
export const gcMember = (project: string, overrides: Fields): Fields => ({
  ...common(project), name: '', weight: 1, subnet_id: '', pool_id: '', address: '', protocol_port: 80,
  operating_status: 'NO_MONITOR', backup: false, monitor_address: '', monitor_port: 0,
  ...overrides,
})

/** monitors.Monitor of an HTTP monitor (`status` is not an Octavia field). */
export const gcMonitor = (project: string, overrides: Fields): Fields => ({
  ...common(project), name: '', type: 'HTTP', delay: 5, timeout: 3, max_retries: 3, max_retries_down: 3,
  http_method: 'GET', url_path: '/', expected_codes: '200', status: '', pools: [], operating_status: 'OFFLINE',
  ...overrides,
})

/** l7policies.L7Policy. */
export const gcL7Policy = (project: string, overrides: Fields): Fields => ({
  ...common(project), name: '', listener_id: isUuid, action: 'REJECT', position: 1, description: '',
  redirect_pool_id: '', redirect_url: '', operating_status: 'OFFLINE', rules: [],
  ...overrides,
})

/** l7policies.Rule. */
export const gcRule = (project: string, overrides: Fields): Fields => ({
  ...common(project), type: 'PATH', compare_type: 'STARTS_WITH', value: '', key: '', invert: false, operating_status: 'OFFLINE',
  ...overrides,
})

/** listeners.Stats / loadbalancers.Stats of an object that has carried no traffic. */
export const NO_TRAFFIC: Fields = { active_connections: 0, bytes_in: 0, bytes_out: 0, request_errors: 0, total_connections: 0 }
