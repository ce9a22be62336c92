import { sql } from 'kysely'
import { nowIso } from '../../common/time.js'
import { AmphoraStatus } from '../../model/statuses.js'
import type { Executor } from '../database.js'
import { isUniqueViolation } from '../constraint-errors.js'
import { speaksMysql } from '../executor-dialect.js'

/**
 * The `amphora_health` table (Octavia's AmphoraHealthRepository): liveness
 * rows written by the health manager from heartbeats, read by its stale
 * scan. Times are epoch milliseconds of the health manager's clock (hosts
 * running several health managers need synchronised clocks, as Octavia's).
 */

/** Statuses an amphora may be failed over from (Octavia: ALLOCATED, FAILOVER_STOPPED). */
export const FAILOVERABLE_AMPHORA_STATUSES: readonly string[] = [AmphoraStatus.ALLOCATED, AmphoraStatus.FAILOVER_STOPPED]

/** One accepted heartbeat's liveness: amphora id and receive time (epoch ms). */
export interface HealthBeat {
  readonly amphoraId: string
  readonly lastUpdate: number
}

const CHUNK = 500

/**
 * Records the liveness of many amphorae in one statement per 500 rows:
 * inserts missing rows (busy = 0), otherwise raises `last_update` (never
 * lowers it: a late batch of another health manager must not age a row).
 * `busy` is left alone. `beats` must hold each amphora once (PostgreSQL
 * refuses to update one row twice in a statement).
 */
export async function upsertAmphoraHealth(db: Executor, beats: readonly HealthBeat[]): Promise<void> {
  for (let i = 0; i < beats.length; i += CHUNK) {
    const rows = beats.slice(i, i + CHUNK).map(b => ({ amphora_id: b.amphoraId, last_update: Math.trunc(b.lastUpdate), busy: 0 }))
    const insert = db.insertInto('amphora_health').values(rows)
    await (speaksMysql(db)
      ? insert.onDuplicateKeyUpdate({ last_update: sql<number>`GREATEST(last_update, VALUES(last_update))` })
      : insert.onConflict(oc => oc.column('amphora_id').doUpdateSet({
        last_update: sql<number>`CASE WHEN excluded.last_update > amphora_health.last_update
          THEN excluded.last_update ELSE amphora_health.last_update END`,
      }))).execute()
  }
}

/**
 * Removes an amphora's health row (Octavia's "disable health monitoring"):
 * called by the failover and delete flows once the amphora is going away,
 * so the stale scan never picks it again. Idempotent.
 */
export async function deleteAmphoraHealth(db: Executor, amphoraId: string): Promise<void> {
  await db.deleteFrom('amphora_health').where('amphora_id', '=', amphoraId).execute()
}

/** An amphora's health row, or undefined. */
export function findAmphoraHealth(db: Executor, amphoraId: string): Promise<{ last_update: number; busy: number } | undefined> {
  return db.selectFrom('amphora_health').select(['last_update', 'busy']).where('amphora_id', '=', amphoraId).executeTakeFirst()
    .then(r => r && { last_update: Number(r.last_update), busy: Number(r.busy) })
}

/** A failover candidate of the stale scan. */
export interface StaleAmphora {
  readonly amphoraId: string
  readonly status: string
  readonly loadBalancerId: string | null
}

/**
 * Amphorae whose newest heartbeat is older than `cutoff` (epoch ms), that no
 * health manager claimed (busy = 0), and that are ALLOCATED or
 * FAILOVER_STOPPED (others are being built, deleted or failed over, or are
 * ERROR: not the health manager's business). Unordered.
 */
export async function staleAmphorae(db: Executor, cutoff: number): Promise<StaleAmphora[]> {
  const rows = await db.selectFrom('amphora_health as h')
    .innerJoin('amphora as a', 'a.id', 'h.amphora_id')
    .select(['h.amphora_id', 'a.status', 'a.load_balancer_id'])
    .where('h.busy', '=', 0).where('h.last_update', '<', cutoff)
    .where('a.status', 'in', [...FAILOVERABLE_AMPHORA_STATUSES])
    .execute()
  return rows.map(r => ({ amphoraId: r.amphora_id, status: r.status, loadBalancerId: r.load_balancer_id }))
}

/**
 * Octavia's failover circuit breaker: sets the given amphorae that are
 * ALLOCATED to FAILOVER_STOPPED. Returns how many changed.
 */
export async function stopFailovers(db: Executor, amphoraIds: readonly string[]): Promise<number> {
  let changed = 0
  const now = nowIso()
  for (let i = 0; i < amphoraIds.length; i += CHUNK) {
    const res = await db.updateTable('amphora').set({ status: AmphoraStatus.FAILOVER_STOPPED, updated_at: now })
      .where('id', 'in', amphoraIds.slice(i, i + CHUNK)).where('status', '=', AmphoraStatus.ALLOCATED)
      .executeTakeFirst()
    changed += Number(res.numUpdatedRows)
  }
  return changed
}

/**
 * Octavia's `update_failover_stopped`: FAILOVER_STOPPED amphorae whose
 * heartbeats resumed (not busy, `last_update` at or after `cutoff`) go back
 * to ALLOCATED. Returns their ids.
 */
export async function resumeStoppedAmphorae(db: Executor, cutoff: number): Promise<string[]> {
  const fresh = await db.selectFrom('amphora as a')
    .innerJoin('amphora_health as h', 'h.amphora_id', 'a.id')
    .select('a.id')
    .where('a.status', '=', AmphoraStatus.FAILOVER_STOPPED).where('h.busy', '=', 0).where('h.last_update', '>=', cutoff)
    .execute()
  const now = nowIso()
  const resumed: string[] = []
  // NOTE: one UPDATE per amphora (this is rare: only after a failover storm) so the ids returned are exact;
  // each re-checks the status, so a row changed since the SELECT is left alone.
  for (const { id } of fresh) {
    const res = await db.updateTable('amphora').set({ status: AmphoraStatus.ALLOCATED, updated_at: now })
      .where('id', '=', id).where('status', '=', AmphoraStatus.FAILOVER_STOPPED)
      .executeTakeFirst()
    if (Number(res.numUpdatedRows) === 1) resumed.push(id)
  }
  return resumed
}

/**
 * Claims a stale amphora for a failover: sets busy only while the row is
 * still not busy and still older than `cutoff`, in one conditional UPDATE.
 * Exactly one of several concurrent claimers (processes, hosts) gets true:
 * SQLite serialises writers, PostgreSQL re-checks the condition on the row
 * once the first claimer's transaction ends. Call inside the transaction
 * that submits the failover, so a rollback releases the claim.
 */
export async function claimStaleAmphora(tx: Executor, amphoraId: string, cutoff: number): Promise<boolean> {
  const res = await tx.updateTable('amphora_health').set({ busy: 1 })
    .where('amphora_id', '=', amphoraId).where('busy', '=', 0).where('last_update', '<', cutoff)
    .executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

/**
 * Claims an amphora its agent reported broken, whatever its `last_update`:
 * inserts a busy row (an amphora may fail before its first accepted
 * heartbeat) or sets busy on a row that is not busy. True for exactly one of
 * several concurrent claimers, as claimStaleAmphora.
 */
export async function claimFailedAmphora(tx: Executor, amphoraId: string, now: number): Promise<boolean> {
  if (speaksMysql(tx)) return claimFailedAmphoraMysql(tx, amphoraId, now)
  const res = await tx.insertInto('amphora_health').values({ amphora_id: amphoraId, last_update: Math.trunc(now), busy: 1 })
    .onConflict(oc => oc.column('amphora_id').doUpdateSet({ busy: 1 }).where('amphora_health.busy', '=', 0))
    .executeTakeFirst()
  return Number(res.numInsertedOrUpdatedRows ?? 0n) === 1
}

/**
 * claimFailedAmphora on MySQL/MariaDB, in two statements, since `ON
 * DUPLICATE KEY UPDATE` reports an unchanged row like an inserted one: an
 * insert that a concurrent claimer's row makes fail (after waiting for it),
 * then the guarded update.
 */
async function claimFailedAmphoraMysql(tx: Executor, amphoraId: string, now: number): Promise<boolean> {
  try {
    await tx.insertInto('amphora_health').values({ amphora_id: amphoraId, last_update: Math.trunc(now), busy: 1 }).execute()
    return true
  } catch (err) {
    if (!isUniqueViolation(err)) throw err
  }
  const res = await tx.updateTable('amphora_health').set({ busy: 1 })
    .where('amphora_id', '=', amphoraId).where('busy', '=', 0).executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}
