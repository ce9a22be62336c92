import type {
  AmphoraView, HealthMonitorView, InsertHeadersView, L7PolicyView, L7RuleView, ListenerTlsView, ListenerView, LoadBalancerView,
  MemberView, PoolView, Provisioned,
} from '../../model/load-balancer-view.js'
import { ProvisioningStatus } from '../../model/statuses.js'
import type { Executor } from '../database.js'
import { groupBy } from '../../common/group-by.js'
import type {
  Bool, HealthMonitorRow, L7PolicyRow, L7RuleRow, ListenerRow, MemberRow, PoolRow,
} from '../schema.js'

/**
 * Loads the LoadBalancerView of one load balancer (src/model/load-balancer-view.ts),
 * what the HAProxy renderer and the amphora flows work on: every row below
 * it that is not DELETED (PENDING_DELETE rows included: the renderer leaves
 * them out), 0/1 columns as booleans, JSON columns parsed, the pool's
 * `sessionPersistence` null when `sp_type` is, the VIP and additional VIPs,
 * and the amphorae that are not DELETED. Tags are not read (never rendered).
 * Returns null when the load balancer does not exist or is DELETED.
 * Read-only; run it in a transaction for a consistent snapshot.
 */
export async function loadLoadBalancerView(db: Executor, loadBalancerId: string): Promise<LoadBalancerView | null> {
  const lb = await db.selectFrom('load_balancer').selectAll().where('id', '=', loadBalancerId)
    .where('provisioning_status', '!=', ProvisioningStatus.DELETED).executeTakeFirst()
  if (!lb) return null
  const vip = await db.selectFrom('vip').selectAll().where('load_balancer_id', '=', lb.id).executeTakeFirst()
  const extraVips = await db.selectFrom('additional_vip').selectAll().where('load_balancer_id', '=', lb.id).execute()
  const listeners = await notDeleted(db.selectFrom('listener').selectAll().where('load_balancer_id', '=', lb.id).execute())
  const pools = await notDeleted(db.selectFrom('pool').selectAll().where('load_balancer_id', '=', lb.id).execute())
  const listenerIds = listeners.map(l => l.id)
  const poolIds = pools.map(p => p.id)
  const policies = listenerIds.length === 0 ? [] : await notDeleted(
    db.selectFrom('l7policy').selectAll().where('listener_id', 'in', listenerIds).execute())
  const rules = policies.length === 0 ? [] : await notDeleted(
    db.selectFrom('l7rule').selectAll().where('l7policy_id', 'in', policies.map(p => p.id)).execute())
  const members = poolIds.length === 0 ? [] : await notDeleted(
    db.selectFrom('member').selectAll().where('pool_id', 'in', poolIds).execute())
  const monitors = poolIds.length === 0 ? [] : await notDeleted(
    db.selectFrom('health_monitor').selectAll().where('pool_id', 'in', poolIds).execute())
  const amphorae = await db.selectFrom('amphora').select(['id', 'status', 'role', 'vrrp_ip'])
    .where('load_balancer_id', '=', lb.id).where('status', '!=', 'DELETED').orderBy('id').execute()

  const rulesByPolicy = groupBy(rules, r => r.l7policy_id)
  const policiesByListener = groupBy(policies, p => p.listener_id)
  const membersByPool = groupBy(members, m => m.pool_id)
  const monitorByPool = new Map(monitors.map(h => [h.pool_id, h]))
  return {
    ...provisioned(lb),
    projectId: lb.project_id,
    name: lb.name,
    description: lb.description,
    topology: lb.topology,
    vip: { ipAddress: vip?.ip_address ?? null, subnetId: vip?.subnet_id ?? null, portId: vip?.port_id ?? null },
    additionalVips: extraVips.map(v => ({ ipAddress: v.ip_address, subnetId: v.subnet_id })),
    listeners: listeners.map(l => listenerView(l, (policiesByListener.get(l.id) ?? []).map(p => policyView(p, rulesByPolicy.get(p.id) ?? [])))),
    pools: pools.map(p => poolView(p, (membersByPool.get(p.id) ?? []).map(memberView), monitorByPool.get(p.id) ?? null)),
    amphorae: amphorae.map((a): AmphoraView => ({ id: a.id, status: a.status, role: a.role, vrrpIp: a.vrrp_ip })),
  }
}

/** The fields every provisioned view shares (Provisioned in the model): id, enabled as a boolean, provisioning status. */
const provisioned = (r: { id: string; enabled: Bool; provisioning_status: string }): Provisioned =>
  ({ id: r.id, enabled: r.enabled === 1, provisioningStatus: r.provisioning_status })

const notDeleted = async <R extends { provisioning_status: string }>(rows: Promise<R[]>): Promise<R[]> =>
  (await rows).filter(r => r.provisioning_status !== ProvisioningStatus.DELETED)

/** Parses a JSON column; a malformed value counts as absent (the API only writes valid JSON). */
function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null || text === '') return fallback
  try {
    return JSON.parse(text) as T
  } catch {
    return fallback
  }
}

/** `{"X-Forwarded-For": "true"}` → `{"X-Forwarded-For": true}` ("true"/"false" in any case; booleans as they are). */
function insertHeaders(text: string): InsertHeadersView {
  const raw = parseJson<Record<string, unknown>>(text, {})
  const out: Record<string, boolean> = {}
  for (const [k, v] of Object.entries(raw ?? {})) out[k] = v === true || (typeof v === 'string' && v.toLowerCase() === 'true')
  return out
}

const stringList = (text: string | null): string[] | null => {
  const v = parseJson<unknown>(text, null)
  return Array.isArray(v) ? v.map(String) : null
}

function listenerView(l: ListenerRow, l7Policies: L7PolicyView[]): ListenerView {
  return {
    ...provisioned(l),
    name: l.name,
    description: l.description,
    protocol: l.protocol,
    protocolPort: l.protocol_port,
    connectionLimit: l.connection_limit,
    defaultPoolId: l.default_pool_id,
    insertHeaders: insertHeaders(l.insert_headers),
    timeoutClientData: l.timeout_client_data,
    timeoutMemberConnect: l.timeout_member_connect,
    timeoutMemberData: l.timeout_member_data,
    timeoutTcpInspect: l.timeout_tcp_inspect,
    allowedCidrs: stringList(l.allowed_cidrs) ?? [],
    l7Policies,
    tls: listenerTlsView(l),
  }
}

function listenerTlsView(l: ListenerRow): ListenerTlsView {
  return {
    certificateRef: l.tls_certificate_id,
    sniRefs: stringList(l.sni_containers) ?? [],
    clientAuthentication: l.client_authentication,
    clientCaRef: l.client_ca_tls_certificate_id,
    clientCrlRef: l.client_crl_container_id,
    ciphers: l.tls_ciphers,
    versions: stringList(l.tls_versions),
    alpnProtocols: stringList(l.alpn_protocols),
    hstsMaxAge: l.hsts_max_age,
    hstsIncludeSubdomains: l.hsts_include_subdomains === 1,
    hstsPreload: l.hsts_preload === 1,
  }
}

function policyView(p: L7PolicyRow, rules: readonly L7RuleRow[]): L7PolicyView {
  return {
    ...provisioned(p),
    name: p.name,
    description: p.description,
    action: p.action,
    position: p.position,
    redirectPoolId: p.redirect_pool_id,
    redirectUrl: p.redirect_url,
    redirectPrefix: p.redirect_prefix,
    redirectHttpCode: p.redirect_http_code,
    rules: rules.map(ruleView),
  }
}

function ruleView(r: L7RuleRow): L7RuleView {
  return {
    ...provisioned(r),
    type: r.type,
    compareType: r.compare_type,
    key: r.key,
    value: r.value,
    invert: r.invert === 1,
  }
}

function poolView(p: PoolRow, members: MemberView[], hm: HealthMonitorRow | null): PoolView {
  return {
    ...provisioned(p),
    name: p.name,
    description: p.description,
    protocol: p.protocol,
    lbAlgorithm: p.lb_algorithm,
    sessionPersistence: p.sp_type === null ? null : {
      type: p.sp_type,
      cookieName: p.sp_cookie_name,
      persistenceTimeout: p.sp_persistence_timeout,
      persistenceGranularity: p.sp_persistence_granularity,
    },
    tlsEnabled: p.tls_enabled === 1,
    tlsCiphers: p.tls_ciphers,
    tlsVersions: stringList(p.tls_versions),
    alpnProtocols: stringList(p.alpn_protocols),
    tlsCertificateId: p.tls_certificate_id,
    caTlsCertificateId: p.ca_tls_certificate_id,
    crlContainerId: p.crl_container_id,
    members,
    healthMonitor: hm === null ? null : healthMonitorView(hm),
  }
}

function memberView(m: MemberRow): MemberView {
  return {
    ...provisioned(m),
    name: m.name,
    address: m.ip_address,
    protocolPort: m.protocol_port,
    weight: m.weight,
    backup: m.backup === 1,
    monitorAddress: m.monitor_address,
    monitorPort: m.monitor_port,
  }
}

function healthMonitorView(h: HealthMonitorRow): HealthMonitorView {
  return {
    ...provisioned(h),
    name: h.name,
    type: h.type,
    delay: h.delay,
    timeout: h.timeout,
    maxRetries: h.rise_threshold,
    maxRetriesDown: h.fall_threshold,
    httpMethod: h.http_method,
    urlPath: h.url_path,
    expectedCodes: h.expected_codes,
    httpVersion: h.http_version,
    domainName: h.domain_name,
  }
}
