import type { ExpressionBuilder, Kysely } from 'kysely'
import { nowIso } from '../../common/time.js'
import { AmphoraStatus } from '../../model/statuses.js'
import type { Executor } from '../database.js'
import { speaksMysql } from '../executor-dialect.js'
import type { DB } from '../schema.js'

/**
 * The `amphora` rows housekeeping's certificate rotation works on (Octavia's
 * `get_cert_expiring_amphora`, grouped per agent). Only amphorae of the
 * given providers (those served by an agent) whose agent address
 * (`lb_network_ip`) is known take part. Every statement is one conditional
 * UPDATE or SELECT, atomic on SQLite and PostgreSQL.
 */

/** Statuses whose amphorae are left alone (Octavia's filter). */
const GONE = [AmphoraStatus.DELETED, AmphoraStatus.PENDING_DELETE]

/**
 * A `cert_busy` claim older than this counts as abandoned (its housekeeping
 * process died mid-rotation) and may be claimed again; a rotation takes
 * seconds to minutes. Octavia keeps such an amphora busy for ever, and its
 * certificate then expires.
 */
export const ABANDONED_CLAIM_MS = 3_600_000

/** Rows nobody holds: `cert_busy` 0, or a claim last touched before `staleBefore`. */
const free = (staleBefore: string) => (eb: ExpressionBuilder<DB, 'amphora'>) => eb.or([
  eb('amphora.cert_busy', '=', 0),
  eb(eb.fn.coalesce('amphora.updated_at', 'amphora.created_at'), '<', staleBefore),
])

/** An amphora whose certificate is due, with the agent address it is reached at. */
export interface DueAmphora {
  readonly id: string
  readonly lb_network_ip: string
  readonly cert_expiration: string
}

/** Query of the live amphorae of `providers`' load balancers. */
const live = (db: Executor, providers: readonly string[]) => db.selectFrom('amphora')
  .where('amphora.status', 'not in', GONE)
  .where('amphora.lb_network_ip', 'is not', null)
  .where('amphora.load_balancer_id', 'in', db.selectFrom('load_balancer').select('load_balancer.id').where('load_balancer.provider', 'in', [...providers]))

/**
 * Amphorae whose certificate expires before `dueBefore` (stored time
 * format) and that no rotation holds (`cert_busy` 0, or a claim abandoned
 * before `staleBefore`), oldest expiry first. An unknown expiry (NULL) is
 * not due, as in Octavia.
 */
export async function dueForRotation(
  db: Executor, dueBefore: string, staleBefore: string, providers: readonly string[],
): Promise<DueAmphora[]> {
  if (providers.length === 0) return []
  const rows = await live(db, providers)
    .select(['amphora.id', 'amphora.lb_network_ip', 'amphora.cert_expiration'])
    .where(free(staleBefore))
    .where('amphora.cert_expiration', '<', dueBefore)
    .orderBy('amphora.cert_expiration').orderBy('amphora.id')
    .execute()
  return rows.map((r) => ({ id: r.id, lb_network_ip: r.lb_network_ip ?? '', cert_expiration: r.cert_expiration ?? '' }))
}

/**
 * Sets `cert_busy` (and `updated_at`, the claim's age) on those of `ids`
 * that are still due, live and free; returns the ids this call claimed. A
 * concurrent claimer (another housekeeping process) gets each row at most
 * once: the condition is re-checked under the row lock.
 */
export async function claimForRotation(db: Executor, ids: readonly string[], dueBefore: string, staleBefore: string): Promise<string[]> {
  if (ids.length === 0) return []
  if (speaksMysql(db)) {
    const claimIn = (tx: Executor) => claimLockedMysql(tx, ids, dueBefore, staleBefore)
    return db.isTransaction ? claimIn(db) : (db as Kysely<DB>).transaction().execute(claimIn)
  }
  const rows = await db.updateTable('amphora').set({ cert_busy: 1, updated_at: nowIso() })
    .where('id', 'in', [...ids])
    .where(free(staleBefore))
    .where('status', 'not in', GONE)
    .where('cert_expiration', '<', dueBefore)
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

/**
 * claimForRotation on MySQL/MariaDB, which has no UPDATE … RETURNING: inside
 * the caller's transaction, locks the rows still due and free (a concurrent
 * claimer waits, then re-reads them committed and busy), then sets them
 * busy (per-row guarded updates instead let two claimers split one agent's
 * rows, so that neither rotates it). Both lock in primary key order, so they
 * cannot deadlock on these rows.
 */
async function claimLockedMysql(tx: Executor, ids: readonly string[], dueBefore: string, staleBefore: string): Promise<string[]> {
  const rows = await tx.selectFrom('amphora').select('id')
    .where('id', 'in', [...ids])
    .where(free(staleBefore))
    .where('status', 'not in', GONE)
    .where('cert_expiration', '<', dueBefore)
    .forUpdate()
    .execute()
  const claimed = rows.map((r) => r.id)
  if (claimed.length > 0) await tx.updateTable('amphora').set({ cert_busy: 1, updated_at: nowIso() }).where('id', 'in', claimed).execute()
  return claimed
}

/** Clears `cert_busy` of `ids` (idempotent). */
export async function releaseRotation(db: Executor, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return
  await db.updateTable('amphora').set({ cert_busy: 0 }).where('id', 'in', [...ids]).execute()
}

/**
 * Records `expiration` as `cert_expiration` of every live amphora of
 * `providers` served by the agent at `host` (they all share its
 * certificate). Returns how many rows changed.
 */
export async function recordAgentCertExpiration(
  db: Executor, host: string, expiration: string, providers: readonly string[],
): Promise<number> {
  if (providers.length === 0) return 0
  const res = await db.updateTable('amphora').set({ cert_expiration: expiration, updated_at: nowIso() })
    .where('lb_network_ip', '=', host)
    .where('status', 'not in', GONE)
    .where('load_balancer_id', 'in', db.selectFrom('load_balancer').select('load_balancer.id').where('load_balancer.provider', 'in', [...providers]))
    .executeTakeFirst()
  return Number(res.numUpdatedRows)
}
