import { randomUUID } from 'node:crypto'
import { MEMBER_FIELDS } from '../../../model/member-fields.js'
import type { Transaction } from 'kysely'
import { healthMonitorOfPool } from '../../../db/repositories/health-monitor-repository.js'
import { duplicateMember, findMemberByEndpoint, insertMemberRow } from '../../../db/repositories/member-repository.js'
import { setTags } from '../../../db/repositories/tag-repository.js'
import type { DB, PoolRow } from '../../../db/schema.js'
import type { ApiDeps } from '../../deps.js'
import { pendingCreateColumns } from '../pending-create.js'
import { checkAddressNotReserved, checkSriovAllowed, checkSubnetExists } from './member-rules.js'
import type { MemberCreate } from './schema.js'

/**
 * Inserts one member of `pool` with PENDING_CREATE, inside the caller's
 * transaction, without locking or jobs (the caller does both). Validates
 * Octavia's semantic rules: reserved address (400), unknown subnet (400),
 * SR-IOV not allowed (400), duplicate (address, port) in the pool (409).
 * The operating status is OFFLINE when the pool already has a health monitor,
 * else NO_MONITOR (a graph create must insert the monitor first).
 * Returns the new member id.
 */
export async function insertMember(
  tx: Transaction<DB>, deps: ApiDeps, pool: PoolRow, body: MemberCreate, projectId: string | null,
): Promise<string> {
  checkAddressNotReserved(deps, body.address)
  checkSubnetExists(deps, body.subnet_id)
  checkSriovAllowed(null, body.request_sriov)
  if (await findMemberByEndpoint(tx, pool.id, body.address, body.protocol_port)) {
    throw duplicateMember(body.address, body.protocol_port)
  }
  const hasMonitor = (await healthMonitorOfPool(tx, pool.id)) !== undefined
  const id = randomUUID()
  await insertMemberRow(tx, {
    pool_id: pool.id,
    name: body.name ?? null,
    ip_address: body.address,
    protocol_port: body.protocol_port,
    subnet_id: body.subnet_id ?? null,
    weight: body.weight ?? MEMBER_FIELDS.weight.default,
    backup: body.backup ? 1 : 0,
    monitor_address: body.monitor_address ?? null,
    monitor_port: body.monitor_port ?? null,
    vnic_type: 'normal',
    ...pendingCreateColumns(id, projectId, body.admin_state_up !== false, hasMonitor ? 'OFFLINE' : 'NO_MONITOR'),
  })
  if (body.tags?.length) await setTags(tx, id, body.tags)
  return id
}
