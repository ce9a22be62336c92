import { bool, dict, int, list, oneOf, str, type OptionDef } from './options.js'

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
    enabled_provider_drivers: dict({ noop_driver: 'The no-op driver.' }),
    default_provider_driver: str('noop_driver'),
    default_project_id: str('default', 'project of noauth callers that name none (Octavia answers 400 instead)'),
    allow_ping_health_monitors: bool(true),
    udp_connect_min_interval_health_monitor: int(3, 'minimum delay (s) of UDP-CONNECT health monitors'),
    allow_tls_terminated_listeners: bool(true),
    allow_prometheus_listeners: bool(true),
    healthcheck_enabled: bool(false),
    default_listener_ciphers: str('ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256'),
    default_pool_ciphers: str('ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256'),
    default_listener_tls_versions: list(['TLSv1.2', 'TLSv1.3']),
    default_pool_tls_versions: list(['TLSv1.2', 'TLSv1.3']),
    default_listener_alpn_protocols: list(['h2', 'http/1.1', 'http/1.0']),
    default_pool_alpn_protocols: list(['h2', 'http/1.1', 'http/1.0']),
    tls_cipher_prohibit_list: list([]),
    minimum_tls_version: str(''),
  },
  database: {
    connection: str('', 'sqlite:///path | postgresql://user@host/db; default: sqlite under state_dir'),
  },
  oslo_messaging: {
    transport_url: str('', 'empty: the in-process bus'),
  },
  controller_worker: {
    loadbalancer_topology: oneOf(['SINGLE', 'ACTIVE_STANDBY'], 'SINGLE'),
    workers: int(4, 'flows run at once by one worker process', 1, 256),
    job_lease_seconds: int(15, 'a job whose worker stops renewing for this long is taken over', 2),
    job_poll_interval_ms: int(500, 'how often a worker looks for jobs the bus did not announce', 10),
    network_driver: oneOf(['local', 'network_noop_driver'], 'local',
      'local: the [network:NAME] sections with IPAM in the database; network_noop_driver: any id is accepted'),
  },
  networking: {
    reserved_ips: list(['169.254.169.254']),
    allow_vip_network_id: bool(true),
    allow_vip_subnet_id: bool(true),
    allow_vip_port_id: bool(true),
    valid_vip_networks: list([]),
    denylist_vip_networks: list([]),
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
