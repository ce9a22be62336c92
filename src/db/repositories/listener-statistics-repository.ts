import { nowIso } from '../../common/time.js'
import type { Executor } from '../database.js'
import type { ListenerStatisticsRow } from '../schema.js'

/** Counters of one listener on one amphora, as stored (absolute). */
export type ListenerCounters = Pick<ListenerStatisticsRow,
  'bytes_in' | 'bytes_out' | 'active_connections' | 'total_connections' | 'request_errors'>

/** The stored counters of a listener on an amphora, or undefined. */
export function findListenerStatistics(db: Executor, listenerId: string, amphoraId: string): Promise<ListenerStatisticsRow | undefined> {
  return db.selectFrom('listener_statistics').selectAll()
    .where('listener_id', '=', listenerId).where('amphora_id', '=', amphoraId).executeTakeFirst()
}

/**
 * Writes the counters of a listener on an amphora (insert or replace). Rows of
 * listeners that no longer exist are not written (the listener's delete
 * removed its statistics; a late report must not bring them back).
 */
export async function saveListenerStatistics(db: Executor, listenerId: string, amphoraId: string, c: ListenerCounters): Promise<void> {
  const listener = await db.selectFrom('listener').select('id').where('id', '=', listenerId).executeTakeFirst()
  if (!listener) return
  const values = { ...c, updated_at: nowIso() }
  await db.insertInto('listener_statistics').values({ listener_id: listenerId, amphora_id: amphoraId, ...values })
    .onConflict(oc => oc.columns(['listener_id', 'amphora_id']).doUpdateSet(values)).execute()
}
