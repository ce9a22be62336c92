import { join } from 'node:path'
import { openDatabase } from '../../../src/db/database.js'
import { assertNothingLeft } from './amphora-leftovers.js'
import type { AmphoraStack, StackMode } from './amphora-stack.js'
import type { ServiceProcess } from './service-process.js'

/**
 * Asserts that a `serve` process left nothing of amphora `amphoraId` (VIP
 * `vip`) on the host: the checks of amphora-leftovers, pointed at the
 * service's state directory and database instead of an in-process stack.
 */
export async function assertServiceLeftNothing(svc: ServiceProcess, mode: StackMode, amphoraId: string, vip: string): Promise<void> {
  const database = openDatabase(svc.databaseUrl)
  try {
    const stateDir = join(svc.dir, 'state')
    const view = { mode, database, stateDir, agentBase: join(stateDir, 'amphorae') } as unknown as AmphoraStack
    await assertNothingLeft(view, amphoraId, vip)
  } finally {
    await database.close()
  }
}
