import { AsyncLocalStorage } from 'node:async_hooks'
import type { Transaction } from 'kysely'
import type { Database, Executor } from './database.js'
import type { DB } from './schema.js'

/**
 * A transaction that code further down the same async call chain can join
 * without being handed it: the API's write opens one (writeAndDispatch), and
 * the local certificate manager, which the API calls through an interface
 * that knows nothing of databases, reads the secret store inside it.
 *
 * Why: SQLite has one connection behind a mutex, so a read outside a
 * transaction that is open on it waits for the transaction to end, which
 * waits for that read: a deadlock. Reading inside it also gives the read the
 * transaction's snapshot on PostgreSQL.
 */
const ambient = new AsyncLocalStorage<{ readonly database: Database; readonly tx: Transaction<DB> }>()

/** Runs `fn` in a new transaction of `database`, visible to ambientExecutor in `fn`'s async context. */
export function runInTransaction<T>(database: Database, fn: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
  return database.db.transaction().execute(tx => ambient.run({ database, tx }, () => fn(tx)))
}

/** The transaction runInTransaction opened on `database` in this async context, else the root handle. */
export function ambientExecutor(database: Database): Executor {
  const open = ambient.getStore()
  return open !== undefined && open.database === database ? open.tx : database.db
}
