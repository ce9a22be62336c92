import type { Executor } from '../database.js'
import { speaksMysql } from '../executor-dialect.js'
import type { PortRow } from '../schema.js'
import { isUniqueViolation } from '../constraint-errors.js'

/** A unique-constraint violation on any dialect (re-exported for the local network service). */
export { isUniqueViolation }

/** Equality filters on the port table: several values of one key are OR-ed, keys AND-ed. */
export interface PortRowFilter {
  readonly id?: readonly string[]
  readonly name?: readonly string[]
  readonly network_id?: readonly string[]
  readonly subnet_id?: readonly string[]
  readonly ip_address?: readonly string[]
  readonly device_id?: readonly string[]
  readonly device_owner?: readonly string[]
  readonly project_id?: readonly string[]
}

/**
 * Inserts a port unless its (subnet, address) is taken. Returns false when
 * taken: the unique constraint decides (`ON CONFLICT DO NOTHING`, which on
 * PostgreSQL waits for a concurrent inserter of the same address and then
 * yields), so two transactions never get one address and neither aborts.
 * MySQL/MariaDB has no `ON CONFLICT`: the subnet's `ipam_lock` row is taken
 * first (allocators of one subnet take turns, see migration 0006), then a
 * plain insert, whose duplicate-key error rolls back that statement only.
 */
export async function insertPortIfFree(exec: Executor, row: PortRow): Promise<boolean> {
  try {
    if (speaksMysql(exec)) {
      await exec.withTables<{ ipam_lock: { subnet_id: string } }>().insertInto('ipam_lock').values({ subnet_id: row.subnet_id })
        .onDuplicateKeyUpdate({ subnet_id: row.subnet_id }).execute()
      await exec.insertInto('port').values(row).execute()
      return true
    }
    const res = await exec.insertInto('port').values(row)
      .onConflict(oc => oc.columns(['subnet_id', 'ip_address']).doNothing())
      .executeTakeFirst()
    return Number(res.numInsertedOrUpdatedRows ?? 0n) === 1
  } catch (err) {
    if (isUniqueViolation(err)) return false
    throw err
  }
}

export async function findPort(exec: Executor, id: string): Promise<PortRow | undefined> {
  return exec.selectFrom('port').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The port holding an address of a subnet (address in canonical text). */
export async function findPortByAddress(exec: Executor, subnetId: string, ipAddress: string): Promise<PortRow | undefined> {
  return exec.selectFrom('port').selectAll().where('subnet_id', '=', subnetId).where('ip_address', '=', ipAddress).executeTakeFirst()
}

/** Every address taken in a subnet. */
export async function usedAddresses(exec: Executor, subnetId: string): Promise<string[]> {
  const rows = await exec.selectFrom('port').select('ip_address').where('subnet_id', '=', subnetId).execute()
  return rows.map(r => r.ip_address)
}

/** Binds a free port (device_id NULL) to a device; false when it is gone or already bound. */
export async function bindPort(exec: Executor, id: string, deviceId: string): Promise<boolean> {
  const res = await exec.updateTable('port').set({ device_id: deviceId })
    .where('id', '=', id).where('device_id', 'is', null).executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

/** Clears a port's device_id. */
export async function unbindPort(exec: Executor, id: string): Promise<void> {
  await exec.updateTable('port').set({ device_id: null }).where('id', '=', id).execute()
}

export async function deletePort(exec: Executor, id: string): Promise<void> {
  await exec.deleteFrom('port').where('id', '=', id).execute()
}

/** Deletes the ports of one device with one owner (e.g. every `Octavia` port of `lb-<id>`). */
export async function deletePortsOfDevice(exec: Executor, deviceId: string, deviceOwner: string): Promise<void> {
  await exec.deleteFrom('port').where('device_id', '=', deviceId).where('device_owner', '=', deviceOwner).execute()
}

/** Ports matching the filter, oldest first (then by id). */
export async function listPortRows(exec: Executor, filter: PortRowFilter = {}): Promise<PortRow[]> {
  let q = exec.selectFrom('port').selectAll()
  for (const [column, values] of Object.entries(filter) as [keyof PortRowFilter, readonly string[] | undefined][]) {
    if (values === undefined) continue
    if (values.length === 0) return []
    // Neutron shows a missing device/owner/name as '': filtering on '' finds NULL too.
    q = values.includes('') && column !== 'id'
      ? q.where(eb => eb.or([eb(column, 'in', [...values]), eb(column, 'is', null)]))
      : q.where(column, 'in', [...values])
  }
  return q.orderBy('created_at').orderBy('id').execute()
}
