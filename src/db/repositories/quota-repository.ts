import { sql } from 'kysely'
import { nowIso } from '../../common/time.js'
import type { Executor } from '../database.js'
import { speaksMysql } from '../executor-dialect.js'
import { applyListSpec, type ListColumn, type ListSpec } from '../list-query.js'
import type { QuotaRow } from '../schema.js'

/**
 * All SQL of quotas. A project's limits live in one `quota` row (null: the
 * configured default). What a project uses is counted from the live rows of
 * each resource's table, never stored, so it cannot drift: objects in any
 * PENDING_* or ERROR state count, DELETED load balancers do not.
 */

/** The quota resources, in the order Octavia checks a single-call create; each is also its table's name. */
export const QUOTA_RESOURCES = ['load_balancer', 'listener', 'pool', 'health_monitor', 'member', 'l7policy', 'l7rule'] as const
export type QuotaResource = (typeof QUOTA_RESOURCES)[number]

/** Limits by resource; null means "the configured default". */
export type QuotaLimits = { readonly [R in QuotaResource]: number | null }

/** API attribute → column, for filters and sorting of quota lists. */
export const QUOTA_COLUMNS: Readonly<Record<string, ListColumn>> = {
  project_id: { column: 'project_id', type: 'string' },
  load_balancer: { column: 'load_balancer', type: 'int' },
  loadbalancer: { column: 'load_balancer', type: 'int' },
  listener: { column: 'listener', type: 'int' },
  pool: { column: 'pool', type: 'int' },
  health_monitor: { column: 'health_monitor', type: 'int' },
  healthmonitor: { column: 'health_monitor', type: 'int' },
  member: { column: 'member', type: 'int' },
  l7policy: { column: 'l7policy', type: 'int' },
  l7rule: { column: 'l7rule', type: 'int' },
}

const NO_LIMITS: QuotaLimits = {
  load_balancer: null, listener: null, pool: null, health_monitor: null, member: null, l7policy: null, l7rule: null,
}

/** One project's quota row, or undefined. */
export async function findQuota(db: Executor, projectId: string): Promise<QuotaRow | undefined> {
  return db.selectFrom('quota').selectAll().where('project_id', '=', projectId).executeTakeFirst()
}

/** A page of quota rows (limit + 1 when limited), optionally of one project; oldest first by default. */
export async function listQuotas(db: Executor, spec: ListSpec, projectId: string | null): Promise<QuotaRow[]> {
  let q = db.selectFrom('quota').selectAll()
  if (projectId !== null) q = q.where('project_id', '=', projectId)
  return applyListSpec(q, 'quota', spec, ['created_at', 'project_id']).execute()
}

/** Sets the given limits of a project (creating its row); limits not given keep their value. */
export async function setQuotaLimits(tx: Executor, projectId: string, limits: Partial<QuotaLimits>): Promise<void> {
  const now = nowIso()
  const insert = tx.insertInto('quota').values({ project_id: projectId, ...NO_LIMITS, ...limits, created_at: now, updated_at: null })
  await (speaksMysql(tx)
    ? insert.onDuplicateKeyUpdate({ ...limits, updated_at: now })
    : insert.onConflict(oc => oc.column('project_id').doUpdateSet({ ...limits, updated_at: now }))).execute()
}

/** Resets every limit of a project to the defaults (the row stays, as in Octavia). False: no row. */
export async function resetQuotaLimits(tx: Executor, projectId: string): Promise<boolean> {
  const res = await tx.updateTable('quota').set({ ...NO_LIMITS, updated_at: nowIso() })
    .where('project_id', '=', projectId).executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

/**
 * Locks a project's quota row for the rest of the caller's transaction,
 * creating it first when missing (as Octavia's ensure_project_exists), and
 * returns it. A conditional no-op UPDATE is the lock: on PostgreSQL it holds
 * the row until commit, so concurrent quota checks of one project run one
 * after the other, each counting what the previous one committed; SQLite
 * serialises writers anyway.
 */
export async function lockProjectQuota(tx: Executor, projectId: string): Promise<QuotaRow> {
  const insert = tx.insertInto('quota').values({ project_id: projectId, ...NO_LIMITS, created_at: nowIso(), updated_at: null })
  await (speaksMysql(tx)
    ? insert.onDuplicateKeyUpdate({ project_id: sql<string>`project_id` })
    : insert.onConflict(oc => oc.column('project_id').doNothing())).execute()
  await tx.updateTable('quota').set(eb => ({ project_id: eb.ref('project_id') }))
    .where('project_id', '=', projectId).execute()
  return tx.selectFrom('quota').selectAll().where('project_id', '=', projectId).executeTakeFirstOrThrow()
}

/** How many objects of a resource a project has now (not DELETED). */
export async function countInUse(db: Executor, projectId: string, resource: QuotaResource): Promise<number> {
  const row = await db.selectFrom(resource).select(eb => eb.fn.countAll<number>().as('n'))
    .where('project_id', '=', projectId).where('provisioning_status', '!=', 'DELETED')
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}
