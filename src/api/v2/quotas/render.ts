import type { QuotaLimits } from '../../../db/repositories/quota-repository.js'

/** A quota as Octavia renders it: both spellings of the load balancer and health monitor limits. */
export interface QuotaJson {
  readonly project_id: string
  readonly loadbalancer: number | null
  readonly load_balancer: number | null
  readonly listener: number | null
  readonly member: number | null
  readonly pool: number | null
  readonly healthmonitor: number | null
  readonly health_monitor: number | null
  readonly l7policy: number | null
  readonly l7rule: number | null
}

/** Renders limits (null where a listed row leaves the default in force). */
export function renderQuota(projectId: string, l: { readonly [K in keyof QuotaLimits]: number | null }): QuotaJson {
  return {
    project_id: projectId,
    loadbalancer: l.load_balancer,
    load_balancer: l.load_balancer,
    listener: l.listener,
    member: l.member,
    pool: l.pool,
    healthmonitor: l.health_monitor,
    health_monitor: l.health_monitor,
    l7policy: l.l7policy,
    l7rule: l.l7rule,
  }
}
