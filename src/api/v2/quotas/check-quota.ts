import type { Transaction } from 'kysely'
import type { Config } from '../../../common/config/schema.js'
import { forbidden, validationFailure } from '../../../common/errors.js'
import {
  countInUse, lockProjectQuota, type QuotaLimits, type QuotaResource,
} from '../../../db/repositories/quota-repository.js'
import type { DB } from '../../../db/schema.js'
import type { ApiDeps } from '../../deps.js'
import { defaultLimits } from './limits.js'

/** Octavia's resource names in `Quota has been met for resources: <Name>`. */
const QUOTA_NAMES: Readonly<Record<QuotaResource, string>> = {
  load_balancer: 'Load Balancer', listener: 'Listener', pool: 'Pool', health_monitor: 'Health Monitor',
  member: 'Member', l7policy: 'L7 Policy', l7rule: 'L7 Rule',
}

/** One project's quota state inside one transaction, once its row is locked. */
interface Ledger {
  readonly limits: QuotaLimits
  /** In use so far, counting what this transaction already approved. */
  readonly inUse: Map<QuotaResource, number>
}

// NOTE: keyed by the transaction object: once the project's row is locked, no
// other transaction can add objects to the project, so counts are read once
// per transaction and then advanced by what this one approves.
const ledgers = new WeakMap<Transaction<DB>, Map<string, Ledger>>()

/**
 * Whether quotas are enforced: as in Octavia, not with `auth_strategy =
 * noauth` (every caller is admin there), unless `[quotas] enforce_with_noauth`.
 */
export const quotasEnforced = (config: Pick<Config, 'api_settings' | 'quotas'>): boolean =>
  config.api_settings.auth_strategy !== 'noauth' || config.quotas.enforce_with_noauth

/**
 * Octavia's check_quota_met, inside the caller's create transaction: the
 * project may have `count` more objects of `resource` when what it has (live
 * rows, PENDING_* and ERROR included, DELETED load balancers excluded) plus
 * `count` stays within its limit (the quota row's, else `[quotas]
 * default_*_quota`; -1 is unlimited). Else 403 `Quota has been met for
 * resources: <Name>`, and the caller's transaction writes nothing.
 *
 * The first check of a project in a transaction locks the project's quota
 * row (creating it, as Octavia does) until commit, so concurrent creates of
 * one project never exceed the quota. Lock order: callers that lock a load
 * balancer do that first, then check quotas.
 *
 * Does nothing when quotas are not enforced; with a `count` that is not
 * positive it only takes that lock (a member batch that adds members but
 * removes as many still serialises with the project's other creates).
 */
export async function checkQuota(
  tx: Transaction<DB>, deps: Pick<ApiDeps, 'config'>, projectId: string | null,
  resource: QuotaResource, count = 1,
): Promise<void> {
  if (!quotasEnforced(deps.config)) return
  if (!projectId) throw validationFailure('Missing project ID in request where one is required.')
  const ledger = await ledgerOf(tx, projectId)
  if (count <= 0) return
  const limit = ledger.limits[resource] ?? defaultLimits(deps.config.quotas)[resource]
  const used = ledger.inUse.get(resource) ?? await countInUse(tx, projectId, resource)
  if (limit !== -1 && used + count > limit) {
    throw forbidden(`Quota has been met for resources: ${QUOTA_NAMES[resource]}`, 'quota_exceeded')
  }
  ledger.inUse.set(resource, used + count)
}

async function ledgerOf(tx: Transaction<DB>, projectId: string): Promise<Ledger> {
  let byProject = ledgers.get(tx)
  if (!byProject) ledgers.set(tx, byProject = new Map())
  let ledger = byProject.get(projectId)
  if (!ledger) {
    const row = await lockProjectQuota(tx, projectId)
    ledger = { limits: row, inUse: new Map() }
    byProject.set(projectId, ledger)
  }
  return ledger
}
