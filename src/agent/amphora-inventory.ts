import type { AmphoraInventory } from '../amphora-api/agent-api.js'
import { processesUnder } from './amphora-processes.js'

/**
 * `GET /amphorae`: the amphorae registered in the base directory, and those
 * of which only processes carrying their paths under it remain
 * (amphora-processes.ts). The processes are looked for before the
 * registrations are read: an amphora is registered before any process of
 * it starts, so one registered meanwhile is never reported unregistered.
 */
export async function amphoraInventory(base: string, registeredIds: () => readonly string[]): Promise<AmphoraInventory> {
  const found = await processesUnder(base)
  const registered = new Set(registeredIds())
  const unregistered = [...found].filter(([id]) => !registered.has(id))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([id, pids]) => ({ id, pids: [...pids].sort((x, y) => x - y) }))
  return { registered: [...registered].sort(), unregistered }
}
