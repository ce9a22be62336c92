import { existsSync } from 'node:fs'
import type { Config } from '../common/config/schema.js'
import type { Logger } from '../common/logging.js'
import { selectOne, type Database } from '../db/database.js'

/** One backend's verdict, as oslo.middleware's HealthcheckResult. */
export interface HealthcheckResult {
  readonly available: boolean
  readonly reason: string
  readonly details: string
  /** The result's class name in detailed answers (Octavia's DB check: `OctaviaDBCheckResult`). */
  readonly kind: string
}

/** A healthcheck backend (`[healthcheck] backends`): never throws, answers a result. */
export type HealthcheckBackend = () => Promise<HealthcheckResult>

/** Octavia's reason when its database check fails. */
export const DB_UNAVAILABLE_REASON = 'The Octavia database is unavailable.'

/** A `SELECT 1` that takes longer than this counts as failed (a load balancer polling us should not hang). */
const DB_CHECK_TIMEOUT_MS = 10_000

async function checkDatabase(database: Database): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${DB_CHECK_TIMEOUT_MS} ms`)), DB_CHECK_TIMEOUT_MS)
  })
  try {
    await Promise.race([selectOne(database.db), timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Octavia's `octavia_db_check`: `SELECT 1` on the database. A result is
 * reused for `[api_settings] healthcheck_refresh_interval` seconds (0: every
 * request checks).
 */
export function databaseCheck(database: Database, refreshSeconds: number, log: Logger): HealthcheckBackend {
  let last: { at: number; result: HealthcheckResult } | null = null
  return async () => {
    if (last && (Date.now() - last.at) / 1000 < refreshSeconds) return last.result
    let result: HealthcheckResult
    try {
      await checkDatabase(database)
      result = { available: true, reason: 'OK', details: '', kind: 'OctaviaDBCheckResult' }
    } catch (err) {
      const details = `Database health check failed due to: ${(err as Error).message}.`
      log.error({ err: (err as Error).message }, details)
      result = { available: false, reason: DB_UNAVAILABLE_REASON, details, kind: 'OctaviaDBCheckResult' }
    }
    last = { at: Date.now(), result }
    return result
  }
}

/** oslo.middleware's `disable_by_file`: unavailable while `[healthcheck] disable_by_file_path` exists. */
export function disableByFileCheck(path: string): HealthcheckBackend {
  return async () => {
    if (!path) return { available: true, reason: 'OK', details: "No 'disable_by_file_path' configuration value specified", kind: 'HealthcheckResult' }
    if (!existsSync(path)) return { available: true, reason: 'OK', details: `Path '${path}' was not found`, kind: 'HealthcheckResult' }
    return { available: false, reason: 'DISABLED BY FILE', details: `Path '${path}' was found`, kind: 'HealthcheckResult' }
  }
}

/**
 * The backends named in `[healthcheck] backends`, in that order. Unknown
 * names are logged and skipped (oslo.middleware loads only what it finds).
 */
export function healthcheckBackends(
  config: Pick<Config, 'api_settings' | 'healthcheck'>, database: Database, log: Logger,
): HealthcheckBackend[] {
  const out: HealthcheckBackend[] = []
  for (const name of config.healthcheck.backends) {
    if (name === 'octavia_db_check') out.push(databaseCheck(database, config.api_settings.healthcheck_refresh_interval, log))
    else if (name === 'disable_by_file') out.push(disableByFileCheck(config.healthcheck.disable_by_file_path))
    else log.warn({ backend: name }, 'unknown [healthcheck] backend; ignored')
  }
  return out
}
