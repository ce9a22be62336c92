import { bool, dict, int, list, num, oneOf, str, type OptionDef } from './options.js'

/**
 * The whole configuration schema, one group per INI section, with Octavia's
 * option names wherever the meaning is the same. Add options here, never read
 * INI values anywhere else.
 */
export const configSchema = {
  DEFAULT: {
    debug: bool(false, 'log at debug level'),
    state_dir: str('./var', 'directory for the SQLite database, CA and amphora files'),
  },
  api_settings: {
    bind_host: str('127.0.0.1'),
    bind_port: int(9876, '', 0, 65535),
    auth_strategy: oneOf(['noauth', 'keystone'], 'noauth'),
    api_base_uri: str('', 'base URL for links in list answers; the request URL when empty'),
    pagination_max_limit: int(1000, '', 1),
    enabled_provider_drivers: dict({
      amphora: 'The Octavia Amphora driver.',
      octavia: 'Deprecated alias of the Octavia Amphora driver.',
      noop_driver: 'The no-op driver.',
    }, 'provider name: description; amphora (alias octavia) runs load balancers on local amphorae, noop_driver only records them'),
    default_provider_driver: str('amphora'),
    default_project_id: str('default', 'project of noauth callers that name none (Octavia answers 400 instead)'),
    allow_ping_health_monitors: bool(true),
    udp_connect_min_interval_health_monitor: int(3, 'minimum delay (s) of UDP-CONNECT health monitors'),
    allow_tls_terminated_listeners: bool(true),
    allow_prometheus_listeners: bool(true),
    healthcheck_enabled: bool(false),
    healthcheck_refresh_interval: int(5, 'seconds a healthcheck result is reused before the backends are checked again', 0),
    default_listener_ciphers: str('ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256'),
    default_pool_ciphers: str('ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256'),
    default_listener_tls_versions: list(['TLSv1.2', 'TLSv1.3']),
    default_pool_tls_versions: list(['TLSv1.2', 'TLSv1.3']),
    default_listener_alpn_protocols: list(['h2', 'http/1.1', 'http/1.0']),
    default_pool_alpn_protocols: list(['h2', 'http/1.1', 'http/1.0']),
    tls_cipher_prohibit_list: list([]),
    minimum_tls_version: str(''),
  },
  // Not an Octavia section: the API process's second listener, a Neutron-compatible root for the networks,
  // subnets and ports octavia-ts declares (register it in a Keystone catalog as `network`).
  neutron_api: {
    enabled: bool(true, 'serve the Neutron-compatible subset on its own listener, where clients discover it as they discover Neutron (GET / lists v2.0); false when a real Neutron owns this host\'s network endpoint. The API port serves the same subset at /v2.0 (the CLI\'s same-URL look-ups) and, discoverable, under /networking'),
    bind_host: str('127.0.0.1', 'address of the Neutron-compatible listener'),
    bind_port: int(9696, 'port of the Neutron-compatible listener (Neutron\'s own default)', 0, 65535),
  },
  // keystonemiddleware's option names (used when [api_settings] auth_strategy = keystone).
  keystone_authtoken: {
    www_authenticate_uri: str('', 'public Identity endpoint named in the WWW-Authenticate header of a 401; empty: auth_url'),
    auth_uri: str('', 'deprecated name of www_authenticate_uri'),
    auth_url: str('', 'Identity endpoint that validates tokens, e.g. http://127.0.0.1:5000/v3 (/v3 is added when missing)'),
    auth_type: oneOf(['password', 'v3password'], 'password', 'how the service user authenticates'),
    username: str('', 'service user that validates tokens (needs the service or admin role)'),
    password: str(''),
    user_id: str(''),
    user_domain_name: str(''),
    user_domain_id: str(''),
    project_name: str('', 'project the service token is scoped to'),
    project_id: str(''),
    project_domain_name: str(''),
    project_domain_id: str(''),
    default_domain_id: str('', 'domain of the user and project when none is named; empty: "default"'),
    default_domain_name: str(''),
    token_cache_time: int(300, 'seconds a validation result is cached, never past the token\'s expiry; -1: no cache', -1),
    http_connect_timeout: int(10, 'seconds to wait for an answer of the Identity service', 1),
    http_request_max_retries: int(3, 'retries of a request to the Identity service that could not connect', 0),
    cafile: str('', 'CA bundle for an https auth_url'),
    insecure: bool(false, 'skip TLS verification of the Identity service'),
    interface: str('', 'accepted, unused: auth_url is always used'),
    region_name: str('', 'accepted, unused'),
    service_type: str('', 'accepted, unused'),
    service_token_roles: list(['service'], 'accepted, unused: X-Service-Token is not evaluated'),
    service_token_roles_required: bool(false, 'accepted, unused'),
    delay_auth_decision: bool(false, 'accepted, unused: requests without a valid token are always rejected'),
    include_service_catalog: bool(true, 'accepted, unused'),
    memcached_servers: list([], 'accepted, unused: tokens are cached in process'),
    memcache_security_strategy: str('', 'accepted, unused'),
    memcache_secret_key: str('', 'accepted, unused'),
    memcache_use_advanced_pool: bool(false, 'accepted, unused'),
    enforce_token_bind: str('permissive', 'accepted, unused'),
    auth_version: str('', 'accepted, unused: only Identity v3'),
  },
  // oslo.policy's options (the API's RBAC, see src/api/policy).
  oslo_policy: {
    policy_file: str('', 'YAML or JSON file of rule name → rule overriding Octavia\'s default policy at start-up; empty: none'),
    // NOTE: false by default, as oslo.policy 4.0 and so Octavia 11 have it.
    enforce_new_defaults: bool(false, 'false: a rule with a deprecated default passes by either check (Octavia 11: the project alone for load-balancer_member/_observer, role admin for context_is_admin); true: only by the new default'),
    enforce_scope: bool(false, 'true: a rule enforced by name fails for a token whose scope is not among its scope types (Octavia 11: context_is_admin only passes for system-scoped tokens); false: not checked'),
  },
  database: {
    connection: str('', 'sqlite:///path | postgresql://user@host/db | mysql+pymysql://user:pass@host/db; default: sqlite under state_dir'),
  },
  oslo_messaging: {
    transport_url: str('', 'empty: the in-process bus (one process: serve); rabbit://user:pass@host:5672[,user:pass@host2:5672]/virtual_host: RabbitMQ, which wakes the workers of every process (brokers tried in turn; empty virtual host: /)'),
  },
  controller_worker: {
    loadbalancer_topology: oneOf(['SINGLE', 'ACTIVE_STANDBY'], 'SINGLE'),
    workers: int(4, 'flows run at once by one worker process', 1, 256),
    job_lease_seconds: int(15, 'a job whose worker stops renewing for this long is taken over', 2),
    job_poll_interval_ms: int(500, 'how often a worker looks for jobs the bus did not announce (in-process bus)', 10),
    job_safety_poll_interval_ms: int(10_000, 'how often a worker looks for jobs with a RabbitMQ transport_url, where the broker announces them: a safety net for lost announcements and for jobs of workers that died on other hosts (their lease expires)', 10),
    // NOTE: kept only so that configuration files written for earlier versions still load.
    stats_poll_interval_ms: int(2000, 'unused: listener statistics and operating statuses now come from heartbeats ([health_manager]); accepted for older configuration files', 0),
    compute_driver: oneOf(['auto', 'netns', 'loopback', 'compute_noop_driver'], 'auto',
      'where amphorae run; netns: a network namespace each (root), loopback: the host namespace with VIPs in 127.0.0.0/8, auto: netns as root, else loopback'),
    network_driver: oneOf(['local', 'network_noop_driver'], 'local',
      'local: the [network:NAME] sections with IPAM in the database; network_noop_driver: any id is accepted'),
    amphora_driver: oneOf(['amphora_haproxy_rest_driver', 'amphora_noop_driver'], 'amphora_haproxy_rest_driver',
      'how the controller drives amphorae; amphora_haproxy_rest_driver: the amphora agent (HTTPS, mutual TLS, [haproxy_amphora]), which runs HAProxy and keepalived; amphora_noop_driver: nothing runs and no agent is contacted, for tests (with compute_noop_driver)'),
  },
  // Octavia's [keepalived_vrrp]: VRRP of ACTIVE_STANDBY load balancers.
  keepalived_vrrp: {
    vrrp_advert_int: num(0.5,
      'seconds between two VRRP advertisements; the BACKUP takes over after 3 missed ones plus a skew. Whole seconds (1-255) run VRRPv2 with PASS authentication as Octavia (default 1); fractions (0.01-40.95) run VRRPv3, which has no authentication. Tuned for local amphorae: a hard loss costs ~1.8 s instead of ~3.7 s', 0.01, 255),
    // The options below are read by the amphora agent, which renders keepalived.conf.
    vrrp_check_interval: int(2, 'seconds between two runs of the check script (is the amphora\'s HAProxy alive?) (Octavia: 5)', 1, 3600),
    vrrp_fail_count: int(2, 'failed checks in a row after which the amphora gives the VIP up (FAULT)', 1, 100),
    vrrp_success_count: int(2, 'good checks in a row after which a FAULT amphora may hold the VIP again', 1, 100),
    vrrp_garp_refresh_interval: int(5, 'seconds between two rounds of gratuitous ARPs of the MASTER', 1, 3600),
    vrrp_garp_refresh_count: int(2, 'gratuitous ARPs sent per round', 1, 100),
    keepalived_cmd: str('/usr/sbin/keepalived', 'keepalived executable run by the amphora agent (ACTIVE_STANDBY)'),
  },
  // Octavia's [health_manager], with defaults tuned for local amphorae (Octavia: interval 10 s, timeout 60 s, check 3 s).
  health_manager: {
    bind_ip: str('127.0.0.1', 'address the health manager receives heartbeats (UDP) on'),
    bind_port: int(5555, '', 0, 65535),
    heartbeat_key: str('', 'shared HMAC-SHA256 key of amphorae and health manager (Octavia has no default)'),
    heartbeat_interval: int(1, 'seconds between two heartbeats of an amphora', 1),
    heartbeat_timeout: int(5, 'seconds without a heartbeat after which an amphora is stale and failed over', 1),
    health_check_interval: int(1, 'seconds between two looks for stale amphorae', 1),
    failover_threshold: int(0, 'this many stale amphorae at once stop all failovers (FAILOVER_STOPPED); 0: no limit', 0),
    failover_threads: int(10, 'most failovers one health manager submits per health check round; the rest wait for the next rounds', 1),
    controller_ip_port_list: list(['127.0.0.1:5555'], 'ip:port of the health managers the agents send heartbeats to; IPv6 as [::1]:5555 or ::1:5555; every heartbeat goes to each (Octavia: round-robin)'),
  },
  networking: {
    reserved_ips: list(['169.254.169.254']),
    allow_vip_network_id: bool(true),
    allow_vip_subnet_id: bool(true),
    allow_vip_port_id: bool(true),
    valid_vip_networks: list([]),
    denylist_vip_networks: list([]),
  },
  amphora_agent: {
    bind_host: str('127.0.0.1', 'address the amphora agent listens on (HTTPS, mutual TLS)'),
    bind_port: int(9443, '', 0, 65535),
    agent_server_cert: str('', 'PEM file with the agent\'s certificate and key; empty: issued by the local CA into <state_dir>/pki/agent-server.pem'),
    agent_server_ca: str('', 'CA file that client certificates must be issued by; empty: the local CA (<state_dir>/pki/ca.pem)'),
    agent_server_cert_names: list([], 'extra DNS names or IP addresses for the certificate the local CA issues to the agent'),
    agent_tls_protocol: oneOf(['TLSv1.2', 'TLSv1.3'], 'TLSv1.2', 'lowest TLS version of the agent'),
    agent_request_read_timeout: int(180, 'seconds the agent waits for a request body', 1),
    haproxy_ready_timeout: int(10, 'seconds a started or reloaded HAProxy has to show its new worker', 1),
    haproxy_stop_timeout: int(10, 'seconds of graceful stop before HAProxy is terminated', 0),
    haproxy_watchdog_interval: int(1,
      'seconds between checks for a HAProxy that died (restarted at once, the amphora reported failed so the health manager replaces it) or a vanished namespace; 0 disables', 0),
  },
  haproxy_amphora: {
    base_path: str('', 'directory of the amphorae\'s files on the agent host (configs, sockets); empty: <state_dir>/amphorae. The controller renders socket paths from it'),
    haproxy_cmd: str('/usr/sbin/haproxy', 'HAProxy executable run by the agent'),
    bind_port: int(9443, 'port of the amphora agents the controller connects to', 1, 65535),
    client_cert: str('', 'PEM file with the controller\'s client certificate and key; empty: issued by the local CA into <state_dir>/pki/controller-client.pem'),
    server_ca: str('', 'CA file the agents\' certificates must be issued by; empty: the local CA'),
    rest_request_conn_timeout: num(10, 'seconds to establish a connection to an agent'),
    rest_request_read_timeout: num(60, 'seconds to wait for an agent\'s answer'),
    connection_max_retries: int(30, 'attempts to reach an agent before giving up (Octavia: 120, tuned for local amphorae)', 1),
    connection_retry_interval: num(1, 'seconds between attempts to reach an agent (Octavia: 5)'),
  },
  // Octavia's [quotas]: per-project defaults where no quota row sets a value; -1 is unlimited.
  quotas: {
    default_load_balancer_quota: int(-1, '', -1, 2000000000),
    default_listener_quota: int(-1, '', -1, 2000000000),
    default_member_quota: int(-1, '', -1, 2000000000),
    default_pool_quota: int(-1, '', -1, 2000000000),
    default_health_monitor_quota: int(-1, '', -1, 2000000000),
    default_l7policy_quota: int(-1, '', -1, 2000000000),
    default_l7rule_quota: int(-1, '', -1, 2000000000),
    enforce_with_noauth: bool(false,
      'also enforce quotas when [api_settings] auth_strategy = noauth (Octavia skips them there, where every caller is admin)'),
  },
  // oslo.middleware healthcheck's options (GET/HEAD /healthcheck when [api_settings] healthcheck_enabled).
  healthcheck: {
    detailed: bool(false, 'show details (process, check details) in JSON and HTML answers; may expose sensitive details'),
    backends: list(['octavia_db_check'],
      'checks to run: octavia_db_check (SELECT 1 on the database), disable_by_file; Octavia\'s default is none'),
    disable_by_file_path: str('', 'disable_by_file: the healthcheck fails while this file exists'),
  },
  // Octavia's [house_keeping]: database cleanup, amphora (agent) certificate rotation, orphan amphorae of this host.
  house_keeping: {
    cleanup_interval: int(30, 'seconds between two database cleanups', 1),
    load_balancer_expiry_age: int(604800, 'seconds a DELETED load balancer is kept before it is purged', 0),
    amphora_expiry_age: int(604800, 'seconds a DELETED amphora is kept before it is purged', 0),
    job_expiry_age: int(604800, 'seconds a finished (DONE or FAILED) worker job is kept before it is purged', 0),
    cert_interval: int(3600, 'seconds between two looks for amphorae whose certificate expires soon', 1),
    cert_expiry_buffer: int(1209600, 'an amphora certificate expiring within this many seconds is rotated (14 days)', 0),
    cert_rotate_threads: int(10, 'agents whose certificate is rotated at once', 1),
    remove_orphan_amphorae: bool(true,
      'remove the amphorae of this host (local amphorae: netns, loopback) that no amphora row owns (no row, or DELETED); false: only log and count them'),
    orphan_interval: int(60, 'seconds between two looks for orphan amphorae on this host, after the one at start', 1),
  },
  // Octavia's [certificates] (the part that applies here: the local CA in <state_dir>/pki issues the certificates).
  certificates: {
    cert_validity_time: int(2592000,
      'seconds an amphora agent\'s server certificate issued by the local CA is valid (first issue and rotations; 30 days)', 60),
    cert_manager: oneOf(['local', 'local_cert_manager', 'barbican', 'barbican_cert_manager'], 'local',
      'where TLS certificates of listeners and pools live: local (octavia-ts\'s own Barbican-compatible secret store at /v1 and /key-manager of the API; Octavia\'s default is barbican) or barbican (a real Barbican found in the Keystone catalog, read with [service_auth])'),
    secret_store_key: str('',
      'local store: base64 of the 32-byte AES-256-GCM key that encrypts secret payloads at rest; empty: <state_dir>/secret-store.key, generated (mode 0600) on first use. Every process of one deployment needs the same key'),
    barbican_auth: oneOf(['barbican_acl_auth'], 'barbican_acl_auth', 'how the service reads users\' secrets in Barbican (an ACL granted with the user\'s token)'),
    region_name: str('', 'barbican: region of the key-manager endpoint in the catalog; empty: any'),
    endpoint_type: oneOf(['public', 'publicURL', 'internal', 'internalURL', 'admin', 'adminURL'], 'publicURL', 'barbican: interface of the key-manager endpoint'),
  },
  // Octavia's [service_auth]: the service user's Keystone credentials (the barbican cert manager's session).
  service_auth: {
    auth_url: str('', 'Identity endpoint, e.g. http://127.0.0.1:5000/v3'),
    auth_type: oneOf(['password', 'v3password'], 'password'),
    username: str(''),
    password: str(''),
    user_domain_name: str('Default'),
    project_name: str(''),
    project_domain_name: str('Default'),
    cafile: str('', 'CA bundle for https endpoints'),
    insecure: bool(false),
  },
  noop_provider: {
    task_delay_ms: int(0, 'simulated data-plane latency per flow task (tests of in-flight flows)', 0),
  },
} as const satisfies Record<string, Record<string, OptionDef<unknown>>>

type Schema = typeof configSchema
type GroupValues<G> = { readonly [K in keyof G]: G[K] extends OptionDef<infer T> ? T : never }

/** The validated, frozen configuration. Components receive only their group. */
export type Config = { readonly [G in keyof Schema]: GroupValues<Schema[G]> } & {
  /** Sections not in the schema whose name has a prefix (e.g. `network:public`), raw. */
  readonly extraSections: Readonly<Record<string, Readonly<Record<string, string>>>>
}
