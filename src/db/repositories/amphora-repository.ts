import { sql } from 'kysely'
import { nowIso } from '../../common/time.js'
import { AmphoraStatus } from '../../model/statuses.js'
import type { Executor } from '../database.js'
import { speaksMysql } from '../executor-dialect.js'
import type { AmphoraRow } from '../schema.js'

/**
 * The `amphora` table as the amphora provider's flows use it. Amphora rows
 * are never hard-deleted here: a deleted amphora stays with status DELETED
 * (as in Octavia, until housekeeping).
 */

/** Fields a flow may record on an amphora. */
export type AmphoraUpdate = Partial<Pick<AmphoraRow,
  'status' | 'compute_id' | 'lb_network_ip' | 'vrrp_ip' | 'ha_ip' | 'vrrp_port_id' | 'ha_port_id' | 'role'
  | 'cert_expiration' | 'vrrp_interface' | 'vrrp_priority' | 'vrrp_id' | 'cached_zone' | 'compute_flavor'>>

/**
 * Inserts the amphora row `id` for a load balancer with status PENDING_CREATE
 * unless it exists already (a re-run of the same task). Returns the row.
 */
export async function ensureAmphora(db: Executor, id: string, loadBalancerId: string, role: string | null): Promise<AmphoraRow> {
  const existing = await findAmphora(db, id)
  if (existing) return existing
  const row: AmphoraRow = {
    id, load_balancer_id: loadBalancerId, compute_id: null, status: AmphoraStatus.PENDING_CREATE,
    lb_network_ip: null, vrrp_ip: null, ha_ip: null, vrrp_port_id: null, ha_port_id: null, role,
    cert_expiration: null, cert_busy: 0, vrrp_interface: null, vrrp_id: null, vrrp_priority: null,
    cached_zone: null, image_id: null, compute_flavor: null, created_at: nowIso(), updated_at: null,
  }
  const insert = db.insertInto('amphora').values(row)
  await (speaksMysql(db) ? insert.onDuplicateKeyUpdate({ id: sql<string>`id` }) : insert.onConflict(oc => oc.column('id').doNothing())).execute()
  return (await findAmphora(db, id)) ?? row
}

/** The amphora row, or undefined. */
export function findAmphora(db: Executor, id: string): Promise<AmphoraRow | undefined> {
  return db.selectFrom('amphora').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Records fields of an amphora (no-op for an unknown id). */
export async function updateAmphora(db: Executor, id: string, values: AmphoraUpdate): Promise<void> {
  await db.updateTable('amphora').set({ ...values, updated_at: nowIso() }).where('id', '=', id).execute()
}

/** The amphorae of a load balancer that are not DELETED, by id. */
export function amphoraeOf(db: Executor, loadBalancerId: string): Promise<AmphoraRow[]> {
  return db.selectFrom('amphora').selectAll().where('load_balancer_id', '=', loadBalancerId)
    .where('status', '!=', AmphoraStatus.DELETED).orderBy('id').execute()
}

/**
 * Which of `ids` have an amphora row that is not DELETED (the orphan sweep:
 * a namespace or process of this host that no such row owns is an orphan).
 * Queried in chunks, so any number of ids fits the dialects' parameter limits.
 */
export async function liveAmphoraIds(db: Executor, ids: readonly string[]): Promise<Set<string>> {
  const live = new Set<string>()
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.selectFrom('amphora').select('id').where('id', 'in', ids.slice(i, i + 500))
      .where('status', '!=', AmphoraStatus.DELETED).execute()
    for (const r of rows) live.add(r.id)
  }
  return live
}
