import type { Kysely, CreateTableBuilder } from 'kysely'

type Db = Kysely<unknown>

/** Adds `created_at` and `updated_at`. */
const ts = <T extends string, C extends string>(t: CreateTableBuilder<T, C>) => t
  .addColumn('created_at', 'varchar(32)', c => c.notNull())
  .addColumn('updated_at', 'varchar(32)')
/** Adds the provisioning and operating statuses and `enabled`. */
const status = <T extends string, C extends string>(t: CreateTableBuilder<T, C>) => t
  .addColumn('provisioning_status', 'varchar(16)', c => c.notNull())
  .addColumn('operating_status', 'varchar(16)', c => c.notNull())
  .addColumn('enabled', 'integer', c => c.notNull().defaultTo(1))

/** The load-balancing resources, IPAM ports and durable jobs. */
export async function up(db: Db): Promise<void> {
  await loadBalancerTables(db)
  await poolTable(db)
  await listenerTable(db)
  await memberAndMonitorTables(db)
  await l7Tables(db)
  await tagAndStatisticsTables(db)
  await amphoraAndPortTables(db)
  await jobTable(db)
}

/** The load balancers with their VIP and additional VIPs. */
async function loadBalancerTables(db: Db): Promise<void> {
  await ts(status(db.schema.createTable('load_balancer')
    .addColumn('id', 'varchar(36)', c => c.primaryKey())
    .addColumn('project_id', 'varchar(36)')
    .addColumn('name', 'varchar(255)')
    .addColumn('description', 'varchar(255)')))
    .addColumn('topology', 'varchar(36)')
    .addColumn('provider', 'varchar(64)')
    .addColumn('flavor_id', 'varchar(36)')
    .addColumn('availability_zone', 'varchar(255)')
    .execute()
  await db.schema.createIndex('load_balancer_project_idx').on('load_balancer').column('project_id').execute()

  await db.schema.createTable('vip')
    .addColumn('load_balancer_id', 'varchar(36)', c => c.primaryKey().references('load_balancer.id').onDelete('cascade'))
    .addColumn('ip_address', 'varchar(64)')
    .addColumn('port_id', 'varchar(36)')
    .addColumn('subnet_id', 'varchar(36)')
    .addColumn('network_id', 'varchar(36)')
    .addColumn('qos_policy_id', 'varchar(36)')
    .addColumn('octavia_owned', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('vnic_type', 'varchar(64)', c => c.notNull().defaultTo('normal'))
    .addColumn('sg_ids', 'text', c => c.notNull().defaultTo('[]'))
    .execute()

  await db.schema.createTable('additional_vip')
    .addColumn('load_balancer_id', 'varchar(36)', c => c.notNull().references('load_balancer.id').onDelete('cascade'))
    .addColumn('subnet_id', 'varchar(36)', c => c.notNull())
    .addColumn('network_id', 'varchar(36)')
    .addColumn('port_id', 'varchar(36)')
    .addColumn('ip_address', 'varchar(64)')
    .addPrimaryKeyConstraint('additional_vip_pk', ['load_balancer_id', 'subnet_id'])
    .execute()
}

/** Pools. */
async function poolTable(db: Db): Promise<void> {
  await db.schema.createTable('pool')
    .$call(t => ts(status(t
      .addColumn('id', 'varchar(36)', c => c.primaryKey())
      .addColumn('project_id', 'varchar(36)')
      .addColumn('load_balancer_id', 'varchar(36)', c => c.notNull().references('load_balancer.id').onDelete('cascade'))
      .addColumn('name', 'varchar(255)')
      .addColumn('description', 'varchar(255)')
      .addColumn('protocol', 'varchar(16)', c => c.notNull())
      .addColumn('lb_algorithm', 'varchar(255)', c => c.notNull())
      .addColumn('sp_type', 'varchar(36)')
      .addColumn('sp_cookie_name', 'varchar(255)')
      .addColumn('sp_persistence_timeout', 'integer')
      .addColumn('sp_persistence_granularity', 'varchar(64)')
      .addColumn('tls_enabled', 'integer', c => c.notNull().defaultTo(0))
      .addColumn('tls_certificate_id', 'varchar(255)')
      .addColumn('ca_tls_certificate_id', 'varchar(255)')
      .addColumn('crl_container_id', 'varchar(255)')
      .addColumn('tls_ciphers', 'varchar(2048)')
      .addColumn('tls_versions', 'text')
      .addColumn('alpn_protocols', 'text'))))
    .execute()
  await db.schema.createIndex('pool_lb_idx').on('pool').column('load_balancer_id').execute()
}

/** Listeners. */
async function listenerTable(db: Db): Promise<void> {
  await db.schema.createTable('listener')
    .$call(t => ts(status(t
      .addColumn('id', 'varchar(36)', c => c.primaryKey())
      .addColumn('project_id', 'varchar(36)')
      .addColumn('load_balancer_id', 'varchar(36)', c => c.notNull().references('load_balancer.id').onDelete('cascade'))
      .addColumn('name', 'varchar(255)')
      .addColumn('description', 'varchar(255)')
      .addColumn('protocol', 'varchar(16)', c => c.notNull())
      .addColumn('protocol_port', 'integer', c => c.notNull())
      .addColumn('connection_limit', 'integer')
      .addColumn('default_pool_id', 'varchar(36)', c => c.references('pool.id').onDelete('set null'))
      .addColumn('insert_headers', 'text', c => c.notNull().defaultTo('{}'))
      .addColumn('timeout_client_data', 'integer')
      .addColumn('timeout_member_connect', 'integer')
      .addColumn('timeout_member_data', 'integer')
      .addColumn('timeout_tcp_inspect', 'integer')
      .addColumn('tls_certificate_id', 'varchar(255)')
      .addColumn('sni_containers', 'text', c => c.notNull().defaultTo('[]'))
      .addColumn('client_authentication', 'varchar(10)', c => c.notNull().defaultTo('NONE'))
      .addColumn('client_ca_tls_certificate_id', 'varchar(255)')
      .addColumn('client_crl_container_id', 'varchar(255)')
      .addColumn('allowed_cidrs', 'text', c => c.notNull().defaultTo('[]'))
      .addColumn('tls_ciphers', 'varchar(2048)')
      .addColumn('tls_versions', 'text')
      .addColumn('alpn_protocols', 'text')
      .addColumn('hsts_max_age', 'integer')
      .addColumn('hsts_include_subdomains', 'integer', c => c.notNull().defaultTo(0))
      .addColumn('hsts_preload', 'integer', c => c.notNull().defaultTo(0)))))
    .execute()
  await db.schema.createIndex('listener_lb_idx').on('listener').column('load_balancer_id').execute()
}

/** Members and health monitors. */
async function memberAndMonitorTables(db: Db): Promise<void> {
  await db.schema.createTable('member')
    .$call(t => ts(status(t
      .addColumn('id', 'varchar(36)', c => c.primaryKey())
      .addColumn('project_id', 'varchar(36)')
      .addColumn('pool_id', 'varchar(36)', c => c.notNull().references('pool.id').onDelete('cascade'))
      .addColumn('name', 'varchar(255)')
      .addColumn('ip_address', 'varchar(64)', c => c.notNull())
      .addColumn('protocol_port', 'integer', c => c.notNull())
      .addColumn('subnet_id', 'varchar(36)')
      .addColumn('weight', 'integer', c => c.notNull())
      .addColumn('backup', 'integer', c => c.notNull().defaultTo(0))
      .addColumn('monitor_address', 'varchar(64)')
      .addColumn('monitor_port', 'integer')
      .addColumn('vnic_type', 'varchar(64)', c => c.notNull().defaultTo('normal')))))
    .addUniqueConstraint('member_pool_address_port_uq', ['pool_id', 'ip_address', 'protocol_port'])
    .execute()

  await db.schema.createTable('health_monitor')
    .$call(t => ts(status(t
      .addColumn('id', 'varchar(36)', c => c.primaryKey())
      .addColumn('project_id', 'varchar(36)')
      .addColumn('pool_id', 'varchar(36)', c => c.notNull().unique().references('pool.id').onDelete('cascade'))
      .addColumn('name', 'varchar(255)')
      .addColumn('type', 'varchar(36)', c => c.notNull())
      .addColumn('delay', 'integer', c => c.notNull())
      .addColumn('timeout', 'integer', c => c.notNull())
      .addColumn('rise_threshold', 'integer', c => c.notNull())
      .addColumn('fall_threshold', 'integer', c => c.notNull())
      .addColumn('http_method', 'varchar(16)')
      .addColumn('url_path', 'varchar(2048)')
      .addColumn('expected_codes', 'varchar(64)')
      .addColumn('http_version', 'real')
      .addColumn('domain_name', 'varchar(255)'))))
    .execute()
}

/** L7 policies and rules. */
async function l7Tables(db: Db): Promise<void> {
  await db.schema.createTable('l7policy')
    .$call(t => ts(status(t
      .addColumn('id', 'varchar(36)', c => c.primaryKey())
      .addColumn('project_id', 'varchar(36)')
      .addColumn('listener_id', 'varchar(36)', c => c.notNull().references('listener.id').onDelete('cascade'))
      .addColumn('name', 'varchar(255)')
      .addColumn('description', 'varchar(255)')
      .addColumn('action', 'varchar(36)', c => c.notNull())
      .addColumn('redirect_pool_id', 'varchar(36)', c => c.references('pool.id'))
      .addColumn('redirect_url', 'varchar(255)')
      .addColumn('redirect_prefix', 'varchar(255)')
      .addColumn('redirect_http_code', 'integer')
      .addColumn('position', 'integer', c => c.notNull()))))
    .execute()

  await db.schema.createTable('l7rule')
    .$call(t => ts(status(t
      .addColumn('id', 'varchar(36)', c => c.primaryKey())
      .addColumn('project_id', 'varchar(36)')
      .addColumn('l7policy_id', 'varchar(36)', c => c.notNull().references('l7policy.id').onDelete('cascade'))
      .addColumn('type', 'varchar(36)', c => c.notNull())
      .addColumn('compare_type', 'varchar(36)', c => c.notNull())
      .addColumn('key', 'varchar(255)')
      .addColumn('value', 'varchar(255)', c => c.notNull())
      .addColumn('invert', 'integer', c => c.notNull().defaultTo(0)))))
    .execute()
}

/** Tags of every resource and listener statistics. */
async function tagAndStatisticsTables(db: Db): Promise<void> {
  await db.schema.createTable('tag')
    .addColumn('resource_id', 'varchar(36)', c => c.notNull())
    .addColumn('tag', 'varchar(255)', c => c.notNull())
    .addPrimaryKeyConstraint('tag_pk', ['resource_id', 'tag'])
    .execute()
  await db.schema.createIndex('tag_tag_idx').on('tag').column('tag').execute()

  await db.schema.createTable('listener_statistics')
    .addColumn('listener_id', 'varchar(36)', c => c.notNull())
    .addColumn('amphora_id', 'varchar(36)', c => c.notNull())
    .addColumn('bytes_in', 'bigint', c => c.notNull().defaultTo(0))
    .addColumn('bytes_out', 'bigint', c => c.notNull().defaultTo(0))
    .addColumn('active_connections', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('total_connections', 'bigint', c => c.notNull().defaultTo(0))
    .addColumn('request_errors', 'bigint', c => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'varchar(32)')
    .addPrimaryKeyConstraint('listener_statistics_pk', ['listener_id', 'amphora_id'])
    .execute()
}

/** Amphorae and IPAM ports. */
async function amphoraAndPortTables(db: Db): Promise<void> {
  await db.schema.createTable('amphora')
    .addColumn('id', 'varchar(36)', c => c.primaryKey())
    .addColumn('load_balancer_id', 'varchar(36)')
    .addColumn('compute_id', 'varchar(255)')
    .addColumn('status', 'varchar(36)', c => c.notNull())
    .addColumn('lb_network_ip', 'varchar(64)')
    .addColumn('vrrp_ip', 'varchar(64)')
    .addColumn('ha_ip', 'varchar(64)')
    .addColumn('vrrp_port_id', 'varchar(36)')
    .addColumn('ha_port_id', 'varchar(36)')
    .addColumn('role', 'varchar(36)')
    .addColumn('cert_expiration', 'varchar(32)')
    .addColumn('cert_busy', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('vrrp_interface', 'varchar(16)')
    .addColumn('vrrp_id', 'integer')
    .addColumn('vrrp_priority', 'integer')
    .addColumn('cached_zone', 'varchar(255)')
    .addColumn('image_id', 'varchar(36)')
    .addColumn('compute_flavor', 'varchar(255)')
    .addColumn('created_at', 'varchar(32)', c => c.notNull())
    .addColumn('updated_at', 'varchar(32)')
    .execute()
  await db.schema.createIndex('amphora_lb_idx').on('amphora').column('load_balancer_id').execute()

  await db.schema.createTable('port')
    .addColumn('id', 'varchar(36)', c => c.primaryKey())
    .addColumn('name', 'varchar(255)')
    .addColumn('network_id', 'varchar(36)', c => c.notNull())
    .addColumn('subnet_id', 'varchar(36)', c => c.notNull())
    .addColumn('ip_address', 'varchar(64)', c => c.notNull())
    .addColumn('device_id', 'varchar(255)')
    .addColumn('device_owner', 'varchar(255)')
    .addColumn('project_id', 'varchar(36)')
    .addColumn('created_at', 'varchar(32)', c => c.notNull())
    .addUniqueConstraint('port_subnet_ip_uq', ['subnet_id', 'ip_address'])
    .execute()
}

/** Durable jobs. */
async function jobTable(db: Db): Promise<void> {
  await db.schema.createTable('job')
    .addColumn('id', 'varchar(36)', c => c.primaryKey())
    .addColumn('operation', 'varchar(64)', c => c.notNull())
    .addColumn('provider', 'varchar(64)', c => c.notNull())
    .addColumn('load_balancer_id', 'varchar(36)')
    .addColumn('payload', 'text', c => c.notNull())
    .addColumn('state', 'varchar(16)', c => c.notNull())
    .addColumn('step', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('results', 'text', c => c.notNull().defaultTo('{}'))
    .addColumn('attempts', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'varchar(64)')
    .addColumn('lease_expires_at', 'bigint')
    .addColumn('error', 'text')
    .addColumn('created_at', 'varchar(32)', c => c.notNull())
    .addColumn('updated_at', 'varchar(32)')
    .execute()
  await db.schema.createIndex('job_state_idx').on('job').columns(['state', 'lease_expires_at']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['job', 'port', 'amphora', 'listener_statistics', 'tag', 'l7rule', 'l7policy',
    'health_monitor', 'member', 'listener', 'pool', 'additional_vip', 'vip', 'load_balancer']) {
    await db.schema.dropTable(t).ifExists().execute()
  }
}
