/**
 * Decides WHAT is rendered, before any text is written: which listeners get a
 * frontend, which pools a backend behind each of them, which L7 policies and
 * rules apply, and the HAProxy mode of each proxy. Rules (as Octavia's
 * amphora driver): objects in PENDING_DELETE are left out; a disabled load
 * balancer has no proxies, a disabled listener no frontend, a disabled pool
 * no backend (and is no default or redirect target), a disabled L7 policy or
 * rule is skipped and a policy without enabled rules never matches.
 */
import type {
  L7PolicyView, L7RuleView, ListenerView, LoadBalancerView, PoolView,
} from '../../../model/load-balancer-view.js'
import { RenderError } from './render-error.js'

/** HAProxy proxy mode. */
export type ProxyMode = 'http' | 'tcp'

/** A policy that will be rendered, with its enabled rules (≥ 1). */
export interface PolicyPlan {
  readonly policy: L7PolicyView
  readonly rules: readonly L7RuleView[]
}

/** One frontend and the backends rendered for it. */
export interface ListenerPlan {
  readonly listener: ListenerView
  readonly mode: ProxyMode
  /** Backends of this listener (default pool first, then redirect pools). */
  readonly pools: readonly PoolPlan[]
  readonly defaultPool: PoolView | null
  /** Policies in position order. */
  readonly policies: readonly PolicyPlan[]
}

/** A pool rendered as a backend, with the mode it runs in. */
export interface PoolPlan {
  readonly pool: PoolView
  readonly mode: ProxyMode
}

/** Protocols HAProxy serves; UDP and SCTP belong to the datagram balancer. */
const LISTENER_MODES: Readonly<Record<string, ProxyMode>> = {
  HTTP: 'http', HTTPS: 'tcp', TCP: 'tcp', TERMINATED_HTTPS: 'http', PROMETHEUS: 'http',
}
/** Listeners that may carry L7 policies. */
const L7_PROTOCOLS = new Set(['HTTP', 'TERMINATED_HTTPS'])
const DATAGRAM_PROTOCOLS = new Set(['UDP', 'SCTP'])
const POOL_MODES: Readonly<Record<string, ProxyMode>> = { HTTP: 'http', HTTPS: 'tcp', TCP: 'tcp' }
const PROXY_PROTOCOL_POOLS = new Set(['PROXY', 'PROXYV2'])

const live = (o: { readonly provisioningStatus: string }): boolean => o.provisioningStatus !== 'PENDING_DELETE'
const usable = (o: { readonly provisioningStatus: string, readonly enabled: boolean }): boolean => live(o) && o.enabled
const byId = (a: { readonly id: string }, b: { readonly id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/**
 * Lists the listeners to render, sorted by port then id. Throws RenderError
 * for protocols this renderer does not support (unknown ones)
 * and for combinations HAProxy would refuse. UDP/SCTP listeners are skipped:
 * another engine serves them.
 */
export function planListeners(lb: LoadBalancerView): ListenerPlan[] {
  if (!usable(lb)) return []
  const pools = new Map(lb.pools.filter(usable).map((p) => [p.id, p]))
  return lb.listeners
    .filter((l) => usable(l) && !DATAGRAM_PROTOCOLS.has(l.protocol))
    .sort((a, b) => a.protocolPort - b.protocolPort || byId(a, b))
    .map((l) => planListener(l, pools))
}

function planListener(listener: ListenerView, pools: ReadonlyMap<string, PoolView>): ListenerPlan {
  const mode = LISTENER_MODES[listener.protocol]
  if (mode === undefined) {
    throw new RenderError(`listener ${listener.id}: protocol ${listener.protocol} is not supported by the haproxy renderer`)
  }
  // NOTE: the API refuses pools and L7 policies on PROMETHEUS listeners; any
  // stray reference is ignored, the frontend only serves the exporter.
  if (listener.protocol === 'PROMETHEUS') return { listener, mode, pools: [], defaultPool: null, policies: [] }
  const policies = planPolicies(listener, pools)
  if (policies.length > 0 && !L7_PROTOCOLS.has(listener.protocol)) {
    throw new RenderError(`listener ${listener.id}: l7 policies need an HTTP listener`)
  }
  const defaultPool = listener.defaultPoolId === null ? null : pools.get(listener.defaultPoolId) ?? null
  // Redirect targets of every live policy get a backend (even of a disabled
  // policy) so that their members are monitored like Octavia's listener pools.
  const targets = listener.l7Policies.filter(live).sort(byPosition).map((p) => p.redirectPoolId)
  const ids = [...new Set([defaultPool?.id, ...targets])]
  const backends = ids.flatMap((id) => {
    const pool = id == null ? undefined : pools.get(id)
    return pool === undefined ? [] : [{ pool, mode: poolMode(pool, mode, listener.id) }]
  })
  return { listener, mode, pools: backends, defaultPool, policies }
}

function planPolicies(listener: ListenerView, pools: ReadonlyMap<string, PoolView>): PolicyPlan[] {
  return listener.l7Policies
    .filter(usable)
    .sort(byPosition)
    .map((policy) => ({ policy, rules: policy.rules.filter(usable).sort(byId) }))
    .filter(({ policy, rules }) => rules.length > 0
      && (policy.action !== 'REDIRECT_TO_POOL' || (policy.redirectPoolId !== null && pools.has(policy.redirectPoolId))))
}

function byPosition(a: L7PolicyView, b: L7PolicyView): number {
  return a.position - b.position || byId(a, b)
}

/** Backend mode: the pool's protocol, or the listener's for PROXY protocol pools. */
function poolMode(pool: PoolView, listenerMode: ProxyMode, listenerId: string): ProxyMode {
  const mode = PROXY_PROTOCOL_POOLS.has(pool.protocol) ? listenerMode : POOL_MODES[pool.protocol]
  if (mode === undefined) {
    throw new RenderError(`pool ${pool.id}: protocol ${pool.protocol} cannot serve listener ${listenerId}`)
  }
  if (listenerMode === 'http' && mode === 'tcp') {
    throw new RenderError(`pool ${pool.id}: a ${pool.protocol} pool cannot serve the HTTP listener ${listenerId}`)
  }
  return mode
}

/** Members to render (PENDING_DELETE left out; disabled ones are kept), sorted by id. */
export function plannedMembers(pool: PoolView): PoolView['members'] {
  return pool.members.filter(live).sort(byId)
}

/** The health monitor that drives checks, or null (absent, disabled or being deleted). */
export function activeHealthMonitor(pool: PoolView): PoolView['healthMonitor'] {
  const hm = pool.healthMonitor
  return hm !== null && usable(hm) ? hm : null
}
