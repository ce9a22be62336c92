import type { Config } from '../../../common/config/schema.js'
import { QUOTA_RESOURCES, type QuotaLimits, type QuotaResource } from '../../../db/repositories/quota-repository.js'

/** Limits with every value settled (-1: unlimited). */
export type EffectiveLimits = { readonly [R in QuotaResource]: number }

/** The `[quotas] default_*_quota` of the configuration, by resource. */
export function defaultLimits(q: Config['quotas']): EffectiveLimits {
  return {
    load_balancer: q.default_load_balancer_quota,
    listener: q.default_listener_quota,
    pool: q.default_pool_quota,
    health_monitor: q.default_health_monitor_quota,
    member: q.default_member_quota,
    l7policy: q.default_l7policy_quota,
    l7rule: q.default_l7rule_quota,
  }
}

/** A project's limits with the defaults filled in where its row (if any) sets none. */
export function effectiveLimits(q: Config['quotas'], row: QuotaLimits | undefined): EffectiveLimits {
  const defaults = defaultLimits(q)
  return Object.fromEntries(QUOTA_RESOURCES.map(r => [r, row?.[r] ?? defaults[r]])) as EffectiveLimits
}
