import { openDatabase } from '../../../src/db/database.js'

/** The tables whose rows carry a provisioning_status. */
export const STATUS_TABLES = ['load_balancer', 'listener', 'pool', 'member', 'health_monitor', 'l7policy', 'l7rule'] as const

/** Provisioning statuses per table, and job states, as counts read straight from the database. */
export interface StatusCensus {
  /** `{ load_balancer: { ACTIVE: 3, PENDING_CREATE: 2 }, ... }` */
  readonly objects: Record<string, Record<string, number>>
  /** `{ DONE: 10, RUNNING: 2 }` */
  readonly jobs: Record<string, number>
}

/** Reads the census with a connection of its own (the service may be running or dead). */
export async function statusCensus(databaseUrl: string): Promise<StatusCensus> {
  const database = openDatabase(databaseUrl)
  try {
    const objects: Record<string, Record<string, number>> = {}
    for (const table of STATUS_TABLES) {
      const rows = await database.db.selectFrom(table).select('provisioning_status').execute()
      objects[table] = count(rows.map(r => r.provisioning_status))
    }
    const jobs = count((await database.db.selectFrom('job').select('state').execute()).map(r => r.state))
    return { objects, jobs }
  } finally {
    await database.close()
  }
}

const count = (values: string[]): Record<string, number> => {
  const out: Record<string, number> = {}
  for (const v of values) out[v] = (out[v] ?? 0) + 1
  return out
}

/** Objects whose provisioning_status starts with PENDING_, e.g. `["listener PENDING_CREATE ×2"]`. */
export const pendingObjects = (c: StatusCensus): string[] =>
  Object.entries(c.objects).flatMap(([t, m]) => Object.entries(m).filter(([s]) => s.startsWith('PENDING_')).map(([s, n]) => `${t} ${s} ×${n}`))

/** Jobs not finished (neither DONE nor FAILED). */
export const unfinishedJobs = (c: StatusCensus): string[] =>
  Object.entries(c.jobs).filter(([s]) => s !== 'DONE' && s !== 'FAILED').map(([s, n]) => `job ${s} ×${n}`)
