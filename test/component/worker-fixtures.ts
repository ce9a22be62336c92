import type { Kysely } from 'kysely'
import type { Bus } from '../../src/bus/bus.js'
import { InProcessBus } from '../../src/bus/in-process-bus.js'
import { loadConfig } from '../../src/common/config/load.js'
import type { Config } from '../../src/common/config/schema.js'
import { silentLogger } from '../../src/common/logging.js'
import { nowIso } from '../../src/common/time.js'
import type { Database, Executor } from '../../src/db/database.js'
import type { DB, JobRow } from '../../src/db/schema.js'
import { createProviderRegistry, type ProviderRegistry } from '../../src/worker/providers/registry.js'
import type { NetworkService } from '../../src/model/network-service.js'
import { createWorker } from '../../src/worker/create-worker.js'
import type { RetryPolicy } from '../../src/worker/engine/runner.js'

/** Row builders for worker tests: every object starts PENDING_CREATE/OFFLINE unless told otherwise. */
export async function insertLoadBalancer(db: Kysely<DB>, id: string, over: Partial<DB['load_balancer']> = {}): Promise<void> {
  await db.insertInto('load_balancer').values({
    id, project_id: 'p1', name: null, description: null, provisioning_status: 'PENDING_CREATE',
    operating_status: 'OFFLINE', enabled: 1, topology: 'SINGLE', provider: 'noop_driver', flavor_id: null,
    availability_zone: null, created_at: nowIso(), updated_at: null, ...over,
  }).execute()
}

export async function insertListener(db: Kysely<DB>, id: string, lbId: string, over: Partial<DB['listener']> = {}): Promise<void> {
  await db.insertInto('listener').values({
    id, project_id: 'p1', load_balancer_id: lbId, name: null, description: null, protocol: 'HTTP',
    protocol_port: 80 + Math.floor(Math.random() * 10000), connection_limit: null, default_pool_id: null,
    provisioning_status: 'PENDING_CREATE', operating_status: 'OFFLINE', enabled: 1, insert_headers: '{}',
    timeout_client_data: null, timeout_member_connect: null, timeout_member_data: null, timeout_tcp_inspect: null,
    tls_certificate_id: null, sni_containers: '[]', client_authentication: 'NONE', client_ca_tls_certificate_id: null,
    client_crl_container_id: null, allowed_cidrs: '[]', tls_ciphers: null, tls_versions: null, alpn_protocols: null,
    hsts_max_age: null, hsts_include_subdomains: 0, hsts_preload: 0, created_at: nowIso(), updated_at: null, ...over,
  }).execute()
}

export async function insertPool(db: Kysely<DB>, id: string, lbId: string, over: Partial<DB['pool']> = {}): Promise<void> {
  await db.insertInto('pool').values({
    id, project_id: 'p1', load_balancer_id: lbId, name: null, description: null, protocol: 'HTTP',
    lb_algorithm: 'ROUND_ROBIN', provisioning_status: 'PENDING_CREATE', operating_status: 'OFFLINE', enabled: 1,
    sp_type: null, sp_cookie_name: null, sp_persistence_timeout: null, sp_persistence_granularity: null,
    tls_enabled: 0, tls_certificate_id: null, ca_tls_certificate_id: null, crl_container_id: null, tls_ciphers: null,
    tls_versions: null, alpn_protocols: null, created_at: nowIso(), updated_at: null, ...over,
  }).execute()
}

export async function insertMember(db: Kysely<DB>, id: string, poolId: string, over: Partial<DB['member']> = {}): Promise<void> {
  await db.insertInto('member').values({
    id, project_id: 'p1', pool_id: poolId, name: null, ip_address: `10.0.0.${1 + Math.floor(Math.random() * 250)}`,
    protocol_port: 1000 + Math.floor(Math.random() * 60000), subnet_id: null, weight: 1, backup: 0,
    monitor_address: null, monitor_port: null, provisioning_status: 'PENDING_CREATE', operating_status: 'NO_MONITOR',
    enabled: 1, vnic_type: 'normal', created_at: nowIso(), updated_at: null, ...over,
  }).execute()
}

export async function insertHealthMonitor(db: Kysely<DB>, id: string, poolId: string, over: Partial<DB['health_monitor']> = {}): Promise<void> {
  await db.insertInto('health_monitor').values({
    id, project_id: 'p1', pool_id: poolId, name: null, type: 'HTTP', delay: 5, timeout: 3, rise_threshold: 3,
    fall_threshold: 3, http_method: 'GET', url_path: '/', expected_codes: '200', http_version: null, domain_name: null,
    provisioning_status: 'PENDING_CREATE', operating_status: 'OFFLINE', enabled: 1, created_at: nowIso(),
    updated_at: null, ...over,
  }).execute()
}

export async function insertL7Policy(db: Kysely<DB>, id: string, listenerId: string, over: Partial<DB['l7policy']> = {}): Promise<void> {
  await db.insertInto('l7policy').values({
    id, project_id: 'p1', listener_id: listenerId, name: null, description: null, action: 'REJECT',
    redirect_pool_id: null, redirect_url: null, redirect_prefix: null, redirect_http_code: null, position: 1,
    provisioning_status: 'PENDING_CREATE', operating_status: 'OFFLINE', enabled: 1, created_at: nowIso(),
    updated_at: null, ...over,
  }).execute()
}

export async function insertL7Rule(db: Kysely<DB>, id: string, policyId: string, over: Partial<DB['l7rule']> = {}): Promise<void> {
  await db.insertInto('l7rule').values({
    id, project_id: 'p1', l7policy_id: policyId, type: 'PATH', compare_type: 'STARTS_WITH', key: null, value: '/a',
    invert: 0, provisioning_status: 'PENDING_CREATE', operating_status: 'OFFLINE', enabled: 1, created_at: nowIso(),
    updated_at: null, ...over,
  }).execute()
}

let jobSeq = 0

/** Inserts a job row directly (as the API's insertJob would, with optional progress and lease). */
export async function insertJobRow(db: Kysely<DB>, operation: string, lbId: string | null, payload: object,
  over: Partial<JobRow> = {}): Promise<string> {
  jobSeq += 1
  const id = over.id ?? `00000000-0000-4000-8000-${String(jobSeq).padStart(12, '0')}`
  await db.insertInto('job').values({
    id, operation, provider: 'noop_driver', load_balancer_id: lbId, payload: JSON.stringify(payload), state: 'PENDING',
    step: 0, results: '{}', attempts: 0, lease_owner: null, lease_expires_at: null, error: null, created_at: nowIso(),
    updated_at: null, ...over,
  }).execute()
  return id
}

/**
 * A network service that only records released ports (the worker's only
 * network call); any other method throws.
 */
export function recordingNetwork(): NetworkService<Executor> & { readonly released: string[] } {
  const released: string[] = []
  const impl = { released, releaseVip: async (_tx: unknown, portId: string) => { released.push(portId) } }
  return new Proxy(impl, {
    get: (target, key) => (key in target ? target[key as keyof typeof target] : () => { throw new Error(`${String(key)} is not used by the worker`) }),
  }) as unknown as NetworkService<Executor> & { readonly released: string[] }
}

/** Test configuration: quick polls and short leases, plus `{section: {option: value}}` overrides. */
export function testConfig(options: Record<string, Record<string, string>> = {}): Config {
  const env: NodeJS.ProcessEnv = {
    OCTAVIA_TS__controller_worker__job_poll_interval_ms: '20',
    OCTAVIA_TS__controller_worker__job_lease_seconds: '2',
  }
  for (const [section, values] of Object.entries(options)) {
    for (const [k, v] of Object.entries(values)) env[`OCTAVIA_TS__${section}__${k}`] = v
  }
  return loadConfig(undefined, env)
}

export interface TestWorker {
  readonly id: string
  readonly bus: Bus
  readonly network: ReturnType<typeof recordingNetwork>
  stop(): Promise<void>
}

/** Starts a worker on `database`; `stop()` aborts it and waits until it has stopped. */
export async function startTestWorker(database: Database, opts: {
  config?: Config; providers?: ProviderRegistry; retry?: RetryPolicy; workerId?: string; bus?: Bus
} = {}): Promise<TestWorker> {
  const bus = opts.bus ?? new InProcessBus()
  const network = recordingNetwork()
  const id = opts.workerId ?? `test-host/${process.pid}/${Math.random().toString(16).slice(2, 10)}`
  const worker = createWorker({
    config: opts.config ?? testConfig(), database, bus, network, log: silentLogger(),
    providers: opts.providers ?? createProviderRegistry(opts.config ?? testConfig()), retry: opts.retry ?? { maxAttempts: 3, baseBackoffMs: 5, maxBackoffMs: 20 }, workerId: id,
  })
  const abort = new AbortController()
  await worker.start(abort.signal)
  return { id, bus, network, stop: async () => { abort.abort(); await worker.stopped } }
}

/** Polls a job until its state is one of `states`; returns the row. */
export async function waitForJob(db: Kysely<DB>, jobId: string, states: readonly string[] = ['DONE', 'FAILED'], ms = 5000): Promise<JobRow> {
  const deadline = Date.now() + ms
  for (;;) {
    const row = await db.selectFrom('job').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow()
    if (states.includes(row.state)) return row
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${row.state} (step ${row.step}, error ${row.error})`)
    await new Promise(r => setTimeout(r, 10))
  }
}

/** provisioning/operating status of one row. */
export async function statusOf(db: Kysely<DB>, table: 'load_balancer' | 'listener' | 'pool' | 'member' | 'health_monitor' | 'l7policy' | 'l7rule',
  id: string): Promise<string | undefined> {
  const row = await db.selectFrom(table as 'listener').select(['provisioning_status', 'operating_status'])
    .where('id', '=', id).executeTakeFirst()
  return row ? `${row.provisioning_status}/${row.operating_status}` : undefined
}
