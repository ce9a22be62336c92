import { isTime, isUuid, type Matcher } from './field-match.js'

/**
 * What `openstack loadbalancer <resource> show|create -f json` prints for an
 * object with Octavia's defaults, as python3-octaviaclient 3.1 formats it:
 * id lists (`listeners`, `pools`, `members`, `rules`, ...) as ids joined by
 * newlines, `tags` as sorted tags joined by newlines, `insert_headers` and
 * `session_persistence` as `k=v` lines (null when empty), everything else as
 * the API's JSON value. Pass the fields that differ as `overrides`.
 */
type Row = Record<string, unknown>

const common = (project: string): Row => ({
  id: isUuid, created_at: isTime, updated_at: null as unknown, project_id: project,
  provisioning_status: 'PENDING_CREATE', admin_state_up: true, tags: '',
})

/** The LOAD_BALANCER_ROWS of the CLI. */
export const lbRow = (overrides: Row, project = 'default'): Row => ({
  ...common(project),
  availability_zone: null, description: '', flavor_id: null, listeners: '', name: '',
  operating_status: 'OFFLINE', pools: '', provider: 'noop_driver',
  vip_address: null, vip_network_id: isUuid, vip_port_id: isUuid, vip_qos_policy_id: null, vip_subnet_id: isUuid,
  additional_vips: [],
  ...overrides,
})

/** The LISTENER_ROWS of the CLI, for a plain (non-TLS) listener. */
export const listenerRow = (overrides: Row, project = 'default'): Row => ({
  ...common(project),
  connection_limit: -1, default_pool_id: null, default_tls_container_ref: null, description: '',
  insert_headers: null, l7policies: '', loadbalancers: '', name: '', operating_status: 'OFFLINE',
  protocol: 'HTTP', protocol_port: 80, sni_container_refs: [],
  timeout_client_data: 50000, timeout_member_connect: 5000, timeout_member_data: 50000, timeout_tcp_inspect: 0,
  client_ca_tls_container_ref: null, client_authentication: 'NONE', client_crl_container_ref: null,
  allowed_cidrs: null, tls_ciphers: null, tls_versions: null, alpn_protocols: null,
  ...overrides,
})

/** The POOL_ROWS of the CLI, for a pool without TLS. */
export const poolRow = (overrides: Row, project = 'default'): Row => ({
  ...common(project),
  description: '', healthmonitor_id: null, lb_algorithm: 'ROUND_ROBIN', listeners: '', loadbalancers: '',
  members: '', name: '', operating_status: 'OFFLINE', protocol: 'HTTP', session_persistence: null,
  tls_container_ref: null, ca_tls_container_ref: null, crl_container_ref: null, tls_enabled: false,
  tls_ciphers: null, tls_versions: null, alpn_protocols: null,
  ...overrides,
})

/** The MEMBER_ROWS of the CLI. */
export const memberRow = (overrides: Row, project = 'default'): Row => ({
  ...common(project),
  address: '', name: '', operating_status: 'NO_MONITOR', protocol_port: 80, subnet_id: null,
  weight: 1, monitor_port: null, monitor_address: null, backup: false,
  ...overrides,
})

/** The MONITOR_ROWS of the CLI, for an HTTP health monitor. */
export const healthMonitorRow = (overrides: Row, project = 'default'): Row => ({
  ...common(project),
  name: '', pools: '', operating_status: 'OFFLINE', delay: 5, expected_codes: '200', max_retries: 3,
  http_method: 'GET', timeout: 5, max_retries_down: 3, url_path: '/', type: 'HTTP',
  http_version: null, domain_name: null,
  ...overrides,
})

/** The L7POLICY_ROWS of the CLI. */
export const l7PolicyRow = (overrides: Row, project = 'default'): Row => ({
  ...common(project),
  listener_id: isUuid, description: '', rules: '', redirect_pool_id: null, redirect_url: null,
  redirect_prefix: null, action: 'REJECT', position: 1, operating_status: 'OFFLINE', name: '',
  redirect_http_code: null,
  ...overrides,
})

/** The L7RULE_ROWS of the CLI. */
export const l7RuleRow = (overrides: Row, project = 'default'): Row => ({
  ...common(project),
  compare_type: 'EQUAL_TO', invert: false, value: '', key: null, type: 'PATH', operating_status: 'OFFLINE',
  ...overrides,
})

/** Marks a row as finished by the worker: ACTIVE, updated_at set (Octavia's TimestampMixin). */
export const active = (operatingStatus: unknown | Matcher): Row =>
  ({ provisioning_status: 'ACTIVE', updated_at: isTime, operating_status: operatingStatus })
