import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { nowIso } from '../../common/time.js'
import type { Executor } from '../database.js'
import { speaksMysql } from '../executor-dialect.js'

/**
 * What one heartbeat of one amphora reported for one listener (Octavia's v3
 * heartbeat: counters are deltas since the amphora's previous heartbeat,
 * `active_connections` is the current value).
 */
export interface ListenerStatsDelta {
  readonly listenerId: string
  readonly amphoraId: string
  /** The heartbeat's seq (strictly increasing per amphora). */
  readonly seq: number
  readonly bytesIn: number
  readonly bytesOut: number
  readonly totalConnections: number
  readonly requestErrors: number
  readonly activeConnections: number
}

/** Traffic counters summed over `listener_statistics` rows (the API's `stats` of a listener or load balancer). */
export interface TrafficStats {
  readonly bytes_in: number
  readonly bytes_out: number
  readonly active_connections: number
  readonly total_connections: number
  readonly request_errors: number
}

/** A `listener_statistics` row as sumTraffic reads it, with the status of the amphora that reported it (null: no such amphora). */
export interface ReportedTraffic extends TrafficStats {
  readonly listener_id: string
  readonly amphora_id: string
  readonly amphora_status: string | null
}

/**
 * Octavia's sum of statistics rows: bytes, total connections and errors
 * over every row; active connections only from ALLOCATED amphorae (or rows
 * a non-amphora provider reports under the listener's own id). Zeros for
 * no rows. Pure: reads and writes nothing.
 */
export function sumTraffic(rows: readonly ReportedTraffic[]): TrafficStats {
  const sum = { bytes_in: 0, bytes_out: 0, active_connections: 0, total_connections: 0, request_errors: 0 }
  for (const r of rows) {
    sum.bytes_in += Number(r.bytes_in)
    sum.bytes_out += Number(r.bytes_out)
    sum.total_connections += Number(r.total_connections)
    sum.request_errors += Number(r.request_errors)
    if (r.amphora_status === 'ALLOCATED' || r.amphora_id === r.listener_id) sum.active_connections += Number(r.active_connections)
  }
  return sum
}

const CHUNK = 500

/**
 * Adds heartbeat deltas to the `listener_statistics` rows of (listener,
 * amphora), creating missing rows, and replaces `active_connections`
 * (Octavia's stats driver with `deltas=True`) — but only for a heartbeat
 * newer than the newest one the row includes (`last_seq`): every health
 * manager receives every heartbeat, the first to write it adds it, the
 * others' writes change nothing. Deltas are applied in seq order, one
 * statement per 500 rows (per heartbeat of an amphora beyond the first in
 * the same call, as PostgreSQL refuses to update one row twice in a
 * statement). The caller passes only listeners it just read as existing (a
 * deleted listener's statistics must not come back).
 */
export async function addListenerStatistics(db: Executor, deltas: readonly ListenerStatsDelta[]): Promise<void> {
  const now = nowIso()
  for (const layer of layers(deltas)) {
    for (let i = 0; i < layer.length; i += CHUNK) {
      const rows = layer.slice(i, i + CHUNK).map(d => ({
        listener_id: d.listenerId, amphora_id: d.amphoraId, bytes_in: d.bytesIn, bytes_out: d.bytesOut,
        total_connections: d.totalConnections, request_errors: d.requestErrors, active_connections: d.activeConnections,
        last_seq: d.seq, updated_at: now,
      }))
      const insert = db.insertInto('listener_statistics').values(rows)
      if (speaksMysql(db)) {
        await insert.onDuplicateKeyUpdate(mysqlStatisticsUpdate).execute()
        continue
      }
      await insert
        .onConflict(oc => oc.columns(['listener_id', 'amphora_id']).doUpdateSet({
          bytes_in: sql<number>`listener_statistics.bytes_in + excluded.bytes_in`,
          bytes_out: sql<number>`listener_statistics.bytes_out + excluded.bytes_out`,
          total_connections: sql<number>`listener_statistics.total_connections + excluded.total_connections`,
          request_errors: sql<number>`listener_statistics.request_errors + excluded.request_errors`,
          active_connections: sql<number>`excluded.active_connections`,
          last_seq: sql<number>`excluded.last_seq`,
          updated_at: sql<string>`excluded.updated_at`,
        }).where(sql<SqlBool>`excluded.last_seq > listener_statistics.last_seq`))
        .execute()
    }
  }
}

/**
 * A row of zero counters for each of `listenerIds` on amphora `amphoraId`
 * where none exists yet (existing rows keep their counters). For amphorae
 * that send no heartbeats (the noop amphora driver): the statistics API then
 * lists each listener of the amphora, as Octavia's noop driver makes it do.
 */
export async function ensureListenerStatistics(db: Executor, amphoraId: string, listenerIds: readonly string[]): Promise<void> {
  const now = nowIso()
  for (let i = 0; i < listenerIds.length; i += CHUNK) {
    const rows = listenerIds.slice(i, i + CHUNK).map(listenerId => ({
      listener_id: listenerId, amphora_id: amphoraId, bytes_in: 0, bytes_out: 0, total_connections: 0, request_errors: 0,
      active_connections: 0, last_seq: 0, updated_at: now,
    }))
    const insert = db.insertInto('listener_statistics').values(rows)
    await (speaksMysql(db)
      ? insert.onDuplicateKeyUpdate({ listener_id: sql<string>`listener_id` })
      : insert.onConflict(oc => oc.columns(['listener_id', 'amphora_id']).doNothing())).execute()
  }
}

/** Splits deltas, in seq order, into lists where each (listener, amphora) appears at most once. */
function layers(deltas: readonly ListenerStatsDelta[]): ListenerStatsDelta[][] {
  const out: ListenerStatsDelta[][] = []
  const seen = new Map<string, number>()
  for (const d of [...deltas].sort((a, b) => a.seq - b.seq)) {
    const key = `${d.listenerId}/${d.amphoraId}`
    const n = seen.get(key) ?? 0
    seen.set(key, n + 1)
    ;(out[n] ??= []).push(d)
  }
  return out
}

/** `a` when the incoming row's seq is newer than the stored one, else the stored column `keep`. */
const ifNewer = <T>(a: RawBuilder<T>, keep: string) => sql<T>`IF(VALUES(last_seq) > last_seq, ${a}, ${sql.ref(keep)})`

/**
 * addListenerStatistics' update on MySQL/MariaDB, where `ON DUPLICATE KEY
 * UPDATE` has no WHERE: each column keeps its value unless the heartbeat is
 * newer. MySQL assigns left to right and later assignments see earlier ones,
 * so `last_seq`, which every condition reads, is assigned last.
 */
const mysqlStatisticsUpdate = {
  bytes_in: ifNewer(sql<number>`bytes_in + VALUES(bytes_in)`, 'bytes_in'),
  bytes_out: ifNewer(sql<number>`bytes_out + VALUES(bytes_out)`, 'bytes_out'),
  total_connections: ifNewer(sql<number>`total_connections + VALUES(total_connections)`, 'total_connections'),
  request_errors: ifNewer(sql<number>`request_errors + VALUES(request_errors)`, 'request_errors'),
  active_connections: ifNewer(sql<number>`VALUES(active_connections)`, 'active_connections'),
  updated_at: ifNewer(sql<string>`VALUES(updated_at)`, 'updated_at'),
  last_seq: sql<number>`GREATEST(last_seq, VALUES(last_seq))`,
}
