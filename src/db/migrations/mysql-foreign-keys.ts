import { sql, type Kysely } from 'kysely'

/** A foreign key of the current MySQL/MariaDB database, as information_schema describes it. */
interface ForeignKey {
  name: string
  table: string
  columns: string
  referencedTable: string
  referencedColumns: string
  deleteRule: string
  updateRule: string
}

/**
 * Runs `change` with the current database's foreign keys dropped, then adds
 * them back as they were (name, columns, rules). For changes MariaDB refuses
 * on referenced or referencing columns even with FOREIGN_KEY_CHECKS off, such
 * as a new collation. Not atomic (MySQL has no transactional DDL): a failure
 * in `change` leaves the keys dropped and the migration failed, to be rerun.
 */
export async function withoutForeignKeys(db: Kysely<unknown>, change: () => Promise<void>): Promise<void> {
  const keys = await foreignKeys(db)
  for (const k of keys) await sql`ALTER TABLE ${sql.table(k.table)} DROP FOREIGN KEY ${sql.id(k.name)}`.execute(db)
  await change()
  for (const k of keys) {
    await sql`ALTER TABLE ${sql.table(k.table)} ADD CONSTRAINT ${sql.id(k.name)}
      FOREIGN KEY (${idList(k.columns)}) REFERENCES ${sql.table(k.referencedTable)} (${idList(k.referencedColumns)})
      ON DELETE ${sql.raw(rule(k.deleteRule))} ON UPDATE ${sql.raw(rule(k.updateRule))}`.execute(db)
  }
}

async function foreignKeys(db: Kysely<unknown>): Promise<ForeignKey[]> {
  const { rows } = await sql<ForeignKey>`SELECT rc.constraint_name AS name, rc.table_name AS \`table\`,
      GROUP_CONCAT(k.column_name ORDER BY k.ordinal_position) AS columns,
      rc.referenced_table_name AS referencedTable,
      GROUP_CONCAT(k.referenced_column_name ORDER BY k.ordinal_position) AS referencedColumns,
      rc.delete_rule AS deleteRule, rc.update_rule AS updateRule
    FROM information_schema.referential_constraints rc
    JOIN information_schema.key_column_usage k ON k.constraint_schema = rc.constraint_schema
      AND k.constraint_name = rc.constraint_name AND k.table_name = rc.table_name
    WHERE rc.constraint_schema = DATABASE()
    GROUP BY rc.constraint_name, rc.table_name, rc.referenced_table_name, rc.delete_rule, rc.update_rule`.execute(db)
  return rows
}

const idList = (columns: string) => sql.join(columns.split(',').map(c => sql.id(c)))

/** A referential action from information_schema, checked before it is written into DDL. */
function rule(action: string): string {
  const known = ['CASCADE', 'SET NULL', 'SET DEFAULT', 'RESTRICT', 'NO ACTION']
  if (!known.includes(action)) throw new Error(`unexpected foreign key rule '${action}'`)
  return action
}
