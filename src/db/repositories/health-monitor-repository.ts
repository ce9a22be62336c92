import { conflict } from '../../common/errors.js'
import { nowIso } from '../../common/time.js'
import type { Executor } from '../database.js'
import { applyListSpec, type ListSpec } from '../list-query.js'
import type { HealthMonitorRow } from '../schema.js'
import { isUniqueViolation } from '../constraint-errors.js'

/** Columns a health monitor write may change. */
export type HealthMonitorPatch = Partial<Omit<HealthMonitorRow, 'id' | 'pool_id' | 'type' | 'created_at' | 'updated_at'>>

/** 409 `This pool already has a health monitor` */
export const duplicateHealthMonitor = () => conflict('This pool already has a health monitor', 'duplicate_health_monitor')

/** One health monitor, or undefined (also for a DELETED row). */
export async function findHealthMonitor(db: Executor, id: string): Promise<HealthMonitorRow | undefined> {
  const row = await db.selectFrom('health_monitor').selectAll().where('id', '=', id).executeTakeFirst()
  return row && row.provisioning_status !== 'DELETED' ? row : undefined
}

/** The health monitor of a pool, if it has one. */
export async function healthMonitorOfPool(db: Executor, poolId: string): Promise<HealthMonitorRow | undefined> {
  return db.selectFrom('health_monitor').selectAll().where('pool_id', '=', poolId)
    .where('provisioning_status', '!=', 'DELETED').executeTakeFirst()
}

/** Reads the pool of a health monitor, whatever its status; undefined when the row is absent. */
export async function poolIdOfHealthMonitor(db: Executor, id: string): Promise<string | undefined> {
  const hm = await db.selectFrom('health_monitor').select('pool_id').where('id', '=', id).executeTakeFirst()
  return hm?.pool_id
}

/** A page of health monitors (fetches `limit + 1` rows: see applyListSpec). */
export async function listHealthMonitors(db: Executor, spec: ListSpec): Promise<HealthMonitorRow[]> {
  const q = db.selectFrom('health_monitor').selectAll().where('health_monitor.provisioning_status', '!=', 'DELETED')
  return applyListSpec(q, 'health_monitor', spec).execute()
}

/** Inserts a health monitor; the unique pool_id index turns a race into Octavia's 409. */
export async function insertHealthMonitorRow(tx: Executor, row: HealthMonitorRow): Promise<void> {
  try {
    await tx.insertInto('health_monitor').values(row).execute()
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateHealthMonitor()
    throw err
  }
}

/** Applies a patch and stamps updated_at. */
export async function updateHealthMonitorRow(tx: Executor, id: string, patch: HealthMonitorPatch): Promise<void> {
  await tx.updateTable('health_monitor').set({ ...patch, updated_at: nowIso() }).where('id', '=', id).execute()
}
