/**
 * Recognises constraint violations by the driver's error code, on every
 * dialect: SQLite (better-sqlite3), PostgreSQL (SQLSTATE) and
 * MySQL/MariaDB (mysql2's symbolic code).
 */

function codeOf(err: unknown): unknown {
  return (err as { code?: unknown } | null)?.code
}

/** A unique or primary key violation. */
export function isUniqueViolation(err: unknown): boolean {
  const code = codeOf(err)
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'ER_DUP_ENTRY'
}

/** A foreign key violation: a missing referenced row, or a delete of a referenced one. */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = codeOf(err)
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY'
    || code === 'ER_NO_REFERENCED_ROW_2' || code === 'ER_ROW_IS_REFERENCED_2'
}
