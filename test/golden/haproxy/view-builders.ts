/**
 * Builders of load balancer views for renderer tests: every field has a
 * plain default, each builder takes overrides. Ids are fixed UUIDs so output
 * is stable: `id('listener', 2)` → `1e000000-0000-4000-8000-000000000002`.
 */
import type {
  HealthMonitorView, L7PolicyView, L7RuleView, ListenerTlsView, ListenerView, LoadBalancerView, MemberView, PoolView,
} from '../../../src/model/load-balancer-view.js'
import { DEFAULT_RENDER_OPTIONS, type RenderOptions } from '../../../src/drivers/amphora/haproxy/render-options.js'
import type { TlsFiles } from '../../../src/drivers/amphora/haproxy/tls-files.js'

const PREFIX = {
  lb: '0b', listener: '1e', pool: '2b', member: '3e', hm: '4a', policy: '5c', rule: '6a', amphora: '7a',
} as const

/** A stable id of the given kind and number. */
export function id(kind: keyof typeof PREFIX, n: number): string {
  return `${PREFIX[kind]}000000-0000-4000-8000-${String(n).padStart(12, '0')}`
}

const base = { enabled: true, provisioningStatus: 'ACTIVE' } as const

export function member(n: number, o: Partial<MemberView> = {}): MemberView {
  return {
    ...base, id: id('member', n), name: `member-${n}`, address: `192.0.2.${n % 250 + 1}`, protocolPort: 8080,
    weight: 1, backup: false, monitorAddress: null, monitorPort: null, ...o,
  }
}

export function healthMonitor(n: number, o: Partial<HealthMonitorView> = {}): HealthMonitorView {
  return {
    ...base, id: id('hm', n), name: null, type: 'TCP', delay: 5, timeout: 3, maxRetries: 2, maxRetriesDown: 3,
    httpMethod: null, urlPath: null, expectedCodes: null, httpVersion: null, domainName: null, ...o,
  }
}

export function pool(n: number, o: Partial<PoolView> = {}): PoolView {
  return {
    ...base, id: id('pool', n), name: `pool-${n}`, description: null, protocol: 'HTTP', lbAlgorithm: 'ROUND_ROBIN',
    sessionPersistence: null, tlsEnabled: false, tlsCiphers: null, tlsVersions: null, alpnProtocols: null,
    tlsCertificateId: null, caTlsCertificateId: null, crlContainerId: null,
    members: [member(10 * n + 1), member(10 * n + 2)], healthMonitor: null, ...o,
  }
}

export function rule(n: number, o: Partial<L7RuleView> = {}): L7RuleView {
  return {
    ...base, id: id('rule', n), type: 'PATH', compareType: 'STARTS_WITH', key: null, value: '/api', invert: false, ...o,
  }
}

export function policy(n: number, o: Partial<L7PolicyView> = {}): L7PolicyView {
  return {
    ...base, id: id('policy', n), name: null, description: null, action: 'REJECT', position: n,
    redirectPoolId: null, redirectUrl: null, redirectPrefix: null, redirectHttpCode: null, rules: [rule(n)], ...o,
  }
}

export function listener(n: number, o: Partial<ListenerView> = {}): ListenerView {
  return {
    ...base, id: id('listener', n), name: `listener-${n}`, description: null, protocol: 'HTTP', protocolPort: 80,
    connectionLimit: null, defaultPoolId: id('pool', n), insertHeaders: {},
    timeoutClientData: null, timeoutMemberConnect: null, timeoutMemberData: null, timeoutTcpInspect: null,
    allowedCidrs: [], l7Policies: [], tls: NO_LISTENER_TLS, ...o,
  }
}

/** A listener's TLS columns as the API writes them for a listener without TLS. */
export const NO_LISTENER_TLS: ListenerTlsView = Object.freeze({
  certificateRef: null, sniRefs: [], clientAuthentication: 'NONE', clientCaRef: null, clientCrlRef: null,
  ciphers: null, versions: null, alpnProtocols: null, hstsMaxAge: null, hstsIncludeSubdomains: false, hstsPreload: false,
})

/** A listener's TLS columns: a default certificate reference and the API's defaults otherwise. */
export function listenerTls(o: Partial<ListenerTlsView> = {}): ListenerTlsView {
  return { ...NO_LISTENER_TLS, certificateRef: 'https://keys.example/v1/secrets/default', ...o }
}

export function loadBalancer(o: Partial<LoadBalancerView> = {}): LoadBalancerView {
  return {
    ...base, id: id('lb', 1), projectId: 'e3cd678b11784734bc366148aa37580e', name: 'lb-1', description: null,
    topology: 'SINGLE', vip: { ipAddress: '203.0.113.10', subnetId: null, portId: null }, additionalVips: [],
    listeners: [listener(1)], pools: [pool(1)], amphorae: [], ...o,
  }
}

/** Options the golden files are rendered with (plus each file's overrides). */
export const GOLDEN_OPTIONS: RenderOptions = {
  ...DEFAULT_RENDER_OPTIONS,
  statsSocketPath: '/run/octavia-ts/haproxy.sock',
  serverStateFilePath: '/var/lib/octavia-ts/servers-state',
  log: { ...DEFAULT_RENDER_OPTIONS.log, address: '/dev/log' },
}

/** TlsFiles from plain objects: certificate references and secret references to paths. */
export function tlsFiles(certificates: Readonly<Record<string, string>>, secrets: Readonly<Record<string, string>> = {}): TlsFiles {
  return { certificates: new Map(Object.entries(certificates)), secrets: new Map(Object.entries(secrets)) }
}
