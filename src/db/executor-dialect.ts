import { MysqlAdapter, type QueryExecutor } from 'kysely'

/**
 * True when `db` (the root handle, a transaction, or a migration's untyped
 * handle) speaks MySQL/MariaDB, for the few statements whose form differs
 * there: `INSERT … ON DUPLICATE KEY UPDATE` instead of `ON CONFLICT`, no
 * `UPDATE … RETURNING`, `LOCK IN SHARE MODE`.
 */
export function speaksMysql(db: { getExecutor(): QueryExecutor }): boolean {
  return db.getExecutor().adapter instanceof MysqlAdapter
}
