import { join, resolve } from 'node:path'
import { loadConfig } from '../common/config/load.js'
import type { Config } from '../common/config/schema.js'
import { createLogger, type Logger } from '../common/logging.js'
import { openDatabase, type Database } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'

/** What every process command starts from: validated config, logger, migrated database. */
export interface ProcessContext {
  readonly config: Config
  readonly log: Logger
  readonly database: Database
}

/** The config file: `--config`, else `$OCTAVIA_TS_CONFIG`, else none (defaults). */
export const configPath = (flag?: string): string | undefined => flag ?? (process.env.OCTAVIA_TS_CONFIG || undefined)

/** The database URL: `[database] connection`, else SQLite under the state directory. */
export const databaseUrl = (config: Config): string =>
  config.database.connection || `sqlite:///${join(resolve(config.DEFAULT.state_dir), 'octavia.sqlite')}`

/** Loads everything a process needs; `migrate` runs the schema migrations first. */
export async function openProcessContext(opts: { config?: string; migrate: boolean; name: string }): Promise<ProcessContext> {
  const config = loadConfig(configPath(opts.config))
  const log = createLogger({ name: opts.name, level: config.DEFAULT.debug ? 'debug' : undefined })
  const database = openDatabase(databaseUrl(config))
  if (opts.migrate) {
    const applied = await migrateToLatest(database.db)
    if (applied.length) log.info({ applied }, 'database migrated')
  }
  return { config, log, database }
}
