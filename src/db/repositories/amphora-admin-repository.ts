import { notFound, immutable } from '../../common/errors.js'
import { nowIso } from '../../common/time.js'
import { AmphoraStatus } from '../../model/statuses.js'
import type { Executor } from '../database.js'
import { applyListSpec, type ListColumn, type ListSpec } from '../list-query.js'
import type { AmphoraRow } from '../schema.js'

/**
 * The SQL of the admin amphora API (`/v2/octavia/amphorae`). Amphorae with
 * status DELETED are invisible here, as Octavia's `show_deleted=False`.
 */

/**
 * API attribute → column, for filters and sorting. `project_id` filters on
 * the project of the amphora's load balancer (Octavia's secondary filter);
 * it cannot be sorted on.
 */
export const AMPHORA_COLUMNS: Readonly<Record<string, ListColumn>> = {
  id: { column: 'id', type: 'string' },
  loadbalancer_id: { column: 'load_balancer_id', type: 'string' },
  compute_id: { column: 'compute_id', type: 'string' },
  lb_network_ip: { column: 'lb_network_ip', type: 'string' },
  vrrp_ip: { column: 'vrrp_ip', type: 'string' },
  ha_ip: { column: 'ha_ip', type: 'string' },
  vrrp_port_id: { column: 'vrrp_port_id', type: 'string' },
  ha_port_id: { column: 'ha_port_id', type: 'string' },
  cert_expiration: { column: 'cert_expiration', type: 'string' },
  cert_busy: { column: 'cert_busy', type: 'bool' },
  role: { column: 'role', type: 'string' },
  status: { column: 'status', type: 'string' },
  vrrp_interface: { column: 'vrrp_interface', type: 'string' },
  vrrp_id: { column: 'vrrp_id', type: 'int' },
  vrrp_priority: { column: 'vrrp_priority', type: 'int' },
  cached_zone: { column: 'cached_zone', type: 'string' },
  created_at: { column: 'created_at', type: 'string' },
  updated_at: { column: 'updated_at', type: 'string' },
  image_id: { column: 'image_id', type: 'string' },
  compute_flavor: { column: 'compute_flavor', type: 'string' },
  project_id: { column: 'load_balancer.project_id', type: 'string', sortable: false },
}

/** Query names accepted besides the API names (Octavia also takes the DB name `load_balancer_id`). */
export const AMPHORA_ALIASES: Readonly<Record<string, string>> = { load_balancer_id: 'loadbalancer_id' }

/** An amphora with what the admin actions need of its load balancer (null fields when it has none). */
export interface AmphoraWithLoadBalancer {
  readonly row: AmphoraRow
  readonly lbProjectId: string | null
  readonly lbProvider: string | null
  /** The load balancer's provisioning status, null when the amphora has no (existing) load balancer. */
  readonly lbStatus: string | null
}

/** One amphora, or undefined when absent or DELETED. */
export async function findAmphora(db: Executor, id: string): Promise<AmphoraRow | undefined> {
  return db.selectFrom('amphora').selectAll().where('id', '=', id)
    .where('status', '!=', AmphoraStatus.DELETED).executeTakeFirst()
}

/** One amphora (not DELETED) with its load balancer's project, provider and status, or undefined. */
export async function findAmphoraWithLoadBalancer(db: Executor, id: string): Promise<AmphoraWithLoadBalancer | undefined> {
  const row = await findAmphora(db, id)
  if (!row) return undefined
  const lb = row.load_balancer_id === null ? undefined : await db.selectFrom('load_balancer')
    .select(['project_id', 'provider', 'provisioning_status']).where('id', '=', row.load_balancer_id).executeTakeFirst()
  return { row, lbProjectId: lb?.project_id ?? null, lbProvider: lb?.provider ?? null, lbStatus: lb?.provisioning_status ?? null }
}

/** The marker row of a page (its column values by column name), or undefined when absent or DELETED. */
export async function amphoraMarker(db: Executor, id: string): Promise<Record<string, unknown> | undefined> {
  const row = await findAmphora(db, id)
  return row && { ...row }
}

/** A page of amphorae (limit + 1 rows when limited), DELETED excluded. */
export async function listAmphoraRows(db: Executor, spec: ListSpec): Promise<AmphoraRow[]> {
  const qb = db.selectFrom('amphora').leftJoin('load_balancer', 'load_balancer.id', 'amphora.load_balancer_id')
    .selectAll('amphora').where('amphora.status', '!=', AmphoraStatus.DELETED)
  return applyListSpec(qb, 'amphora', spec).execute()
}

/** One listener's counters on one amphora, as the stats API renders them. */
export interface AmphoraListenerStats {
  readonly id: string
  readonly listener_id: string
  readonly loadbalancer_id: string | null
  readonly active_connections: number
  readonly bytes_in: number
  readonly bytes_out: number
  readonly request_errors: number
  readonly total_connections: number
}

/**
 * The listener statistics rows reported by amphora `id` (any status), with
 * the amphora's load balancer, ordered by listener id. Empty when none.
 */
export async function amphoraStats(db: Executor, id: string): Promise<AmphoraListenerStats[]> {
  const rows = await db.selectFrom('listener_statistics as s')
    .innerJoin('amphora as a', 'a.id', 's.amphora_id')
    .select(['s.amphora_id', 's.listener_id', 'a.load_balancer_id', 's.active_connections', 's.bytes_in', 's.bytes_out',
      's.request_errors', 's.total_connections'])
    .where('s.amphora_id', '=', id).orderBy('s.listener_id').execute()
  return rows.map(r => ({
    id: r.amphora_id,
    listener_id: r.listener_id,
    loadbalancer_id: r.load_balancer_id,
    active_connections: Number(r.active_connections),
    bytes_in: Number(r.bytes_in),
    bytes_out: Number(r.bytes_out),
    request_errors: Number(r.request_errors),
    total_connections: Number(r.total_connections),
  }))
}

/**
 * Octavia's `test_and_set_status_for_delete`: an ERROR amphora becomes
 * PENDING_DELETE in one guarded UPDATE. Throws 404 `Amphora <id> not found.`
 * when absent or DELETED, 409 `amphora <id> is immutable and cannot be
 * updated.` in any other status.
 */
export async function markAmphoraPendingDelete(tx: Executor, id: string): Promise<void> {
  const res = await tx.updateTable('amphora')
    .set({ status: AmphoraStatus.PENDING_DELETE, updated_at: nowIso() })
    .where('id', '=', id).where('status', '=', AmphoraStatus.ERROR)
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) === 1) return
  const row = await tx.selectFrom('amphora').select('status').where('id', '=', id).executeTakeFirst()
  if (!row || row.status === AmphoraStatus.DELETED) throw notFound('Amphora', id)
  // NOTE: Octavia names the resource with its lower-case constant here.
  throw immutable('amphora', id)
}

/**
 * Sets the status of amphorae, skipping DELETED ones (a deleted amphora
 * stays deleted). `onlyFrom` limits the change to rows in those statuses.
 */
export async function setAmphoraStatus(
  db: Executor, ids: readonly string[], status: string, onlyFrom?: readonly string[],
): Promise<void> {
  if (ids.length === 0) return
  let q = db.updateTable('amphora').set({ status, updated_at: nowIso() })
    .where('id', 'in', [...ids]).where('status', '!=', AmphoraStatus.DELETED)
  if (onlyFrom) q = q.where('status', 'in', [...onlyFrom])
  await q.execute()
}
