/**
 * The process-wide sections: `global`, `defaults` and, for ACTIVE_STANDBY,
 * the `peers` section that keeps stick tables in sync between amphorae.
 */
import type { LoadBalancerView } from '../../../model/load-balancer-view.js'
import { configWord } from './config-escape.js'
import { directive, type Section } from './config-section.js'
import { ipAddress, objectId } from './config-values.js'
import { activeHealthMonitor, type ListenerPlan } from './render-plan.js'
import type { RenderOptions } from './render-options.js'

/**
 * Global `maxconn`: the sum of the frontends' (capped) limits, at most the
 * cap; the cap itself without frontends (as Octavia, whose default is its
 * maximum), so the runtime API is never starved.
 */
export function globalMaxconn(frontendLimits: readonly number[], cap: number): number {
  const sum = frontendLimits.reduce((a, b) => a + b, 0)
  return sum > 0 ? Math.min(sum, cap) : cap
}

/**
 * `global`: one thread (DESIGN §5; the agent runs it with -W -S), the admin
 * stats socket, logs, limits, and the permission to fork for PING checks.
 */
export function globalSection(
  plans: readonly ListenerPlan[], maxconn: number, peersName: string | null, o: RenderOptions,
): Section {
  const logTarget = o.log.address === null ? null : directive(configWord(o.log.address), o.log.format !== null && `format ${o.log.format}`)
  const needsFork = plans.some((p) => p.pools.some(({ pool }) => activeHealthMonitor(pool)?.type === 'PING'))
  return {
    header: 'global',
    lines: [
      'nbthread 1',
      o.user !== null && `user ${o.user}`,
      o.group !== null && `group ${o.group}`,
      logTarget !== null && `log ${logTarget} local${o.log.userFacility}`,
      logTarget !== null && `log ${logTarget} local${o.log.adminFacility} notice`,
      `stats socket ${configWord(o.statsSocketPath)} mode 600 level admin expose-fd listeners`,
      o.serverStateFilePath !== null && `server-state-file ${configWord(o.serverStateFilePath)}`,
      `maxconn ${maxconn}`,
      peersName !== null && o.localAmphoraId !== null && `localpeer ${o.localAmphoraId}`,
      needsFork && 'external-check',
      needsFork && 'insecure-fork-wanted',
    ].filter((l): l is string => typeof l === 'string'),
  }
}

/** `defaults` shared by every proxy; timeouts are set per proxy. */
export function defaultsSection(o: RenderOptions): Section {
  return {
    header: 'defaults',
    lines: [
      o.log.connectionLogging ? 'log global' : 'no log',
      'retries 3',
      'option redispatch',
      'option splice-request',
      'option splice-response',
      'option http-keep-alive',
    ],
  }
}

/**
 * The peers section of an ACTIVE_STANDBY load balancer: every ALLOCATED
 * amphora with a VRRP address, named by its id. Returns null (no stick-table
 * sync) for SINGLE, without a local amphora id, or when the local amphora is
 * not among the peers (HAProxy would refuse a peers section without itself).
 */
export function peersSection(lb: LoadBalancerView, o: RenderOptions): Section | null {
  if (lb.topology !== 'ACTIVE_STANDBY' || o.localAmphoraId === null) return null
  const amphorae = lb.amphorae
    .filter((a) => a.status === 'ALLOCATED' && a.vrrpIp !== null)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  if (!amphorae.some((a) => a.id === o.localAmphoraId)) return null
  return {
    header: `peers ${peersNameOf(lb)}`,
    lines: amphorae.map((a) =>
      `peer ${objectId('amphora id', a.id)} ${ipAddress(`amphora ${a.id} vrrp_ip`, a.vrrpIp)}:${o.peerPort}`),
  }
}

/** Name of the peers section of a load balancer. */
export function peersNameOf(lb: LoadBalancerView): string {
  return `${objectId('load balancer id', lb.id)}_peers`
}
